/**
 * What a sector team (its own sector) or the admin records on a project: a stage move, the year's
 * investment plan, a month's completed investment. Each is a new item with its audit entry in one
 * transaction; nothing is overwritten: a new plan is a new revision, a correction a new entry of the
 * month (the newest counts, the older stay and are shown). Sending the same plan or report again answers
 * what is stored (a retry), without a new revision or entry.
 */
import type { Principal } from '#shared/auth/principal.ts';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { evenSplit, sumFen } from '#shared/domain/projects/plan-split.ts';
import { dueDateOf, monthOfDate } from '#shared/domain/projects/shanghai-time.ts';
import { moveStage } from '#shared/domain/projects/stages.ts';
import { ConflictError, ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ProjectReference, ProjectStore } from '#shared/ports/projects.ts';
import type {
  PlanBody,
  PlanRecord,
  ProgressBody,
  ProgressEntry,
  ProjectRecord,
  StageBody,
  StageEvent,
} from '#shared/schemas/projects.ts';
import { actorFor, changeableProject, settingsOf, todayOf } from './project-context.ts';

export interface RecordChangesDeps {
  readonly projects: Pick<
    ProjectStore,
    'get' | 'moveStage' | 'plans' | 'addPlan' | 'progress' | 'addProgress'
  >;
  readonly reference: Pick<ProjectReference, 'settings'>;
  readonly clock: Clock;
}

/** Concurrent writers: the loser of a condition reads again and retries this many times. */
const ATTEMPTS = 5;

function conflictAfterRetries(): ConflictError {
  return new ConflictError('concurrent_change', {
    zh: '项目正被他人同时修改，请稍后重试。',
    en: 'The project is being changed by someone else at the same moment; try again.',
  });
}

export async function changeStage(
  deps: RecordChangesDeps,
  command: { principal: Principal; projectId: string; body: StageBody },
): Promise<{ project: ProjectRecord; event: StageEvent }> {
  const { principal, body } = command;
  const settings = await settingsOf(deps.reference);
  const today = todayOf(deps.clock);
  if (body.on > today) {
    throw new ValidationError([
      { field: 'on', message: { zh: '不能晚于今天', en: 'must not be after today (Asia/Shanghai)' } },
    ]);
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const project = changeableProject(
      principal,
      command.projectId,
      await deps.projects.get(command.projectId),
    );
    const at = deps.clock.now().toISOString();
    const actor = actorFor(principal, project.sector);
    // Only stage moves change the project item, each by one version: event N+1 follows version N.
    const outcome = moveStage(
      project,
      {
        stage: body.stage,
        on: body.on,
        note: body.note ?? null,
        reason: body.reason ?? null,
        at,
        by: actor,
        seq: project.version + 1,
      },
      settings,
    );
    if (!outcome.ok) {
      if (outcome.problem === 'unknown_stage')
        throw new ValidationError([{ field: 'stage', message: outcome.text }]);
      if (outcome.problem === 'reason_required')
        throw new ValidationError([{ field: 'reason', message: outcome.text }]);
      if (outcome.problem === 'before_current')
        throw new ValidationError([{ field: 'on', message: outcome.text }]);
      throw new ConflictError(outcome.problem, outcome.text);
    }
    const { event } = outcome;
    const written = await deps.projects.moveStage(project.version, outcome.project, event, {
      at,
      actor,
      action: 'project.stage_changed',
      subject: project.projectId,
      inputHash: hashCanonical(event),
      policyVersion: settings.version,
      details: {
        from: event.from,
        to: event.to,
        on: event.on,
        direction: event.direction,
        seq: event.seq,
        startedOn: outcome.project.startedOn,
        resumedOn: outcome.project.resumptions[event.on.slice(0, 4)] ?? null,
      },
    });
    if (written === 'applied') return { project: outcome.project, event };
  }
  throw conflictAfterRetries();
}

export async function setPlan(
  deps: RecordChangesDeps,
  command: { principal: Principal; projectId: string; year: number; body: PlanBody },
): Promise<{ plan: PlanRecord; replayed: boolean }> {
  const { principal, body, year } = command;
  const monthsFen = body.months ?? evenSplit(body.annual);
  if (body.months !== undefined && sumFen(body.months) !== body.annual) {
    throw new ValidationError([
      {
        field: 'months',
        message: {
          zh: '12 个月的计划之和须等于年度计划',
          en: 'must sum to the annual plan (12 monthly amounts)',
        },
      },
    ]);
  }
  const settings = await settingsOf(deps.reference);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const project = changeableProject(
      principal,
      command.projectId,
      await deps.projects.get(command.projectId),
    );
    const ofYear = (await deps.projects.plans(project.projectId)).filter((plan) => plan.year === year);
    const newest = ofYear.reduce<PlanRecord | undefined>(
      (best, plan) => (best === undefined || plan.revision > best.revision ? plan : best),
      undefined,
    );
    if (
      newest !== undefined &&
      newest.annualFen === body.annual &&
      newest.monthsFen.every((fen, i) => fen === monthsFen[i])
    ) {
      return { plan: newest, replayed: true };
    }
    const at = deps.clock.now().toISOString();
    const actor = actorFor(principal, project.sector);
    const plan: PlanRecord = {
      projectId: project.projectId,
      sector: project.sector,
      year,
      revision: (newest?.revision ?? 0) + 1,
      annualFen: body.annual,
      monthsFen,
      split: body.months === undefined ? 'even' : 'given',
      at,
      by: actor,
    };
    const outcome = await deps.projects.addPlan(plan, {
      at,
      actor,
      action: 'project.plan_set',
      subject: project.projectId,
      inputHash: hashCanonical(plan),
      policyVersion: settings.version,
      details: {
        year,
        revision: plan.revision,
        annualFen: plan.annualFen,
        split: plan.split,
        replaces: newest?.revision ?? null,
      },
    });
    if (outcome === 'added') return { plan, replayed: false };
  }
  throw conflictAfterRetries();
}

export async function reportProgress(
  deps: RecordChangesDeps,
  command: { principal: Principal; projectId: string; body: ProgressBody },
): Promise<{ entry: ProgressEntry; replayed: boolean }> {
  const { principal, body } = command;
  const settings = await settingsOf(deps.reference);
  const today = todayOf(deps.clock);
  if (body.month > monthOfDate(today)) {
    throw new ValidationError([
      {
        field: 'month',
        message: { zh: '不能晚于本月', en: 'must not be after the current month (Asia/Shanghai)' },
      },
    ]);
  }
  const note = body.note ?? null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const project = changeableProject(
      principal,
      command.projectId,
      await deps.projects.get(command.projectId),
    );
    const ofMonth = (await deps.projects.progress(project.projectId)).filter(
      (entry) => entry.month === body.month,
    );
    const newest = ofMonth.reduce<ProgressEntry | undefined>(
      (best, entry) => (best === undefined || entry.seq > best.seq ? entry : best),
      undefined,
    );
    if (newest !== undefined && newest.completedFen === body.completed && newest.note === note) {
      return { entry: newest, replayed: true };
    }
    const at = deps.clock.now().toISOString();
    const actor = actorFor(principal, project.sector);
    const dueOn = dueDateOf(body.month, settings.progressDueDay);
    const entry: ProgressEntry = {
      projectId: project.projectId,
      sector: project.sector,
      month: body.month,
      seq: (newest?.seq ?? 0) + 1,
      completedFen: body.completed,
      note,
      reportedAt: at,
      dueOn,
      late: today > dueOn,
      correctionOf: newest?.seq ?? null,
      by: actor,
    };
    const outcome = await deps.projects.addProgress(entry, {
      at,
      actor,
      action: newest === undefined ? 'project.progress_reported' : 'project.progress_corrected',
      subject: project.projectId,
      inputHash: hashCanonical(entry),
      policyVersion: settings.version,
      details: {
        month: entry.month,
        seq: entry.seq,
        completedFen: entry.completedFen,
        late: entry.late,
        correctionOf: entry.correctionOf,
        previousFen: newest?.completedFen ?? null,
      },
    });
    if (outcome === 'added') return { entry, replayed: false };
  }
  throw conflictAfterRetries();
}
