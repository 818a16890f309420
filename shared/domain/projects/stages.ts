/**
 * Stage moves (推介 → 在谈 → 签约 → 拟开工 → 在建 → 竣工投产, the list a setting). Forward moves may skip
 * stages; a move back needs a reason. The first day a project reaches the signing stage is its signing
 * (it counts once, at the first); the first day it reaches the construction stage is its 开工. A 续建
 * project's 复工 is the day it reaches (or, already there, reports again) the construction stage in a
 * year: once per year. Pure: the project as read and the move in, the project as it will be and the
 * event out, or a refusal naming why.
 */
import type { LocalText } from '#shared/errors.ts';
import { type ProjectSettings, stageIndexOf } from '#shared/schemas/project-settings.ts';
import type { ProjectRecord, StageEvent } from '#shared/schemas/projects.ts';
import { yearOf } from './shanghai-time.ts';

export interface StageMove {
  readonly stage: string;
  readonly on: string;
  readonly note: string | null;
  readonly reason: string | null;
  readonly at: string;
  readonly by: StageEvent['by'];
  /** The sequence number the event will take (events so far + 1). */
  readonly seq: number;
}

export type StageOutcome =
  | { readonly ok: true; readonly project: ProjectRecord; readonly event: StageEvent }
  | {
      readonly ok: false;
      readonly problem:
        | 'unknown_stage'
        | 'before_current'
        | 'reason_required'
        | 'same_stage'
        | 'already_resumed';
      readonly text: LocalText;
    };

/** The facts a project takes on when it is at `stageIndex` since `on`. */
function reached(project: ProjectRecord, stageIndex: number, on: string, settings: ProjectSettings) {
  const signedAt = stageIndexOf(settings, settings.signedStage);
  const startedAt = stageIndexOf(settings, settings.startedStage);
  return {
    signedOn: project.signedOn ?? (stageIndex >= signedAt ? on : null),
    startedOn: project.startedOn ?? (stageIndex >= startedAt ? on : null),
  };
}

/** The project's state at registration: the stage it is at since `on`, with the facts that follow. */
export function initialState(
  project: Omit<ProjectRecord, 'signedOn' | 'startedOn' | 'resumptions'>,
  settings: ProjectSettings,
): ProjectRecord {
  const index = stageIndexOf(settings, project.stage);
  const base: ProjectRecord = { ...project, signedOn: null, startedOn: null, resumptions: {} };
  const facts = reached(base, index, project.stageOn, settings);
  const startedAt = stageIndexOf(settings, settings.startedStage);
  const resumptions =
    project.kind === 'continued' && index >= startedAt
      ? { [String(yearOf(project.stageOn))]: project.stageOn }
      : {};
  return { ...base, ...facts, resumptions };
}

export function moveStage(project: ProjectRecord, move: StageMove, settings: ProjectSettings): StageOutcome {
  const to = stageIndexOf(settings, move.stage);
  if (to < 0) {
    const codes = settings.stages.map((stage) => stage.code);
    return {
      ok: false,
      problem: 'unknown_stage',
      text: { zh: `阶段须为以下之一：${codes.join('、')}`, en: `must be one of ${codes.join(', ')}` },
    };
  }
  if (move.on < project.stageOn) {
    return {
      ok: false,
      problem: 'before_current',
      text: {
        zh: `不能早于当前阶段的日期（${project.stageOn}）`,
        en: `must not be before the date of the current stage (${project.stageOn})`,
      },
    };
  }
  const from = stageIndexOf(settings, project.stage);
  const startedAt = stageIndexOf(settings, settings.startedStage);
  const year = String(yearOf(move.on));
  const isContinued = project.kind === 'continued';

  let direction: StageEvent['direction'];
  if (to === from) {
    if (!isContinued || to < startedAt) {
      return {
        ok: false,
        problem: 'same_stage',
        text: {
          zh: `项目已处于“${settings.stages[to]?.zh}”阶段`,
          en: `the project is at stage ${move.stage} already`,
        },
      };
    }
    direction = 'resume';
  } else if (to < from) {
    if (move.reason === null) {
      return {
        ok: false,
        problem: 'reason_required',
        text: { zh: '退回到较早阶段须说明原因', en: 'is required to move back to an earlier stage' },
      };
    }
    direction = 'back';
  } else {
    direction = 'forward';
  }

  // 复工 of a 续建 project: reaching the construction stage from below, or reporting it again there.
  const resumes = isContinued && to >= startedAt && (direction === 'resume' || from < startedAt);
  if (direction === 'resume' && project.resumptions[year] !== undefined) {
    return {
      ok: false,
      problem: 'already_resumed',
      text: {
        zh: `${year}年的复工日期已记录（${project.resumptions[year]}）`,
        en: `the 复工 (back at work) date of ${year} is recorded already (${project.resumptions[year]})`,
      },
    };
  }
  const resumptions =
    resumes && project.resumptions[year] === undefined
      ? { ...project.resumptions, [year]: move.on }
      : project.resumptions;

  const next: ProjectRecord = {
    ...project,
    ...reached(project, to, move.on, settings),
    stage: move.stage,
    stageOn: move.on,
    resumptions,
    updatedAt: move.at,
    version: project.version + 1,
  };
  const event: StageEvent = {
    projectId: project.projectId,
    seq: move.seq,
    from: project.stage,
    to: move.stage,
    on: move.on,
    direction,
    note: move.note,
    reason: move.reason,
    at: move.at,
    by: move.by,
  };
  return { ok: true, project: next, event };
}
