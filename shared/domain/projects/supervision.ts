/**
 * 督办: every morning each yellow or red project and each overdue monthly report gets a supervision item,
 * owned by the project's 帮包 commissioner, with a deadline in working days. Unresolved past its deadline
 * it escalates blue (reminder, 提醒) → yellow (warning, 预警) → red (the 帮包 leader is named for a talk,
 * 约谈). Pure and deterministic: an item's id is a function of its project, cause and ledger month, so the
 * daily run opens each at most once however often it runs; escalation is a function of the item, the day
 * and the calendar, so a run that missed days catches up to exactly where daily runs would have been.
 */
import { sha256Hex } from '#shared/domain/canonical-json.ts';
import type { ProjectSettings } from '#shared/schemas/project-settings.ts';
import type {
  Light,
  LightReason,
  ProjectRecord,
  SupervisionItem,
  SupervisionLevel,
} from '#shared/schemas/projects.ts';
import { worstLight } from './traffic-lights.ts';
import { addWorkingDays, type WorkingCalendar } from './working-days.ts';

export type SupervisionCause = SupervisionItem['cause'];

export function supervisionIdOf(projectId: string, cause: SupervisionCause, month: string): string {
  return `sv_${sha256Hex(`${projectId}\n${cause}\n${month}`).slice(0, 24)}`;
}

/** What a project's light says should be supervised: its light rules, and its overdue report apart. */
export function causesOf(
  reasons: readonly LightReason[],
): { cause: SupervisionCause; reasons: LightReason[] }[] {
  const lightReasons = reasons.filter((reason) => reason.code !== 'report_missing');
  const reportReasons = reasons.filter((reason) => reason.code === 'report_missing');
  return [
    ...(lightReasons.length > 0 ? [{ cause: 'light' as const, reasons: lightReasons }] : []),
    ...(reportReasons.length > 0 ? [{ cause: 'report_overdue' as const, reasons: reportReasons }] : []),
  ];
}

/** A new item at level blue, due the configured number of working days after `today`. */
export function openItem(
  project: ProjectRecord,
  cause: SupervisionCause,
  reasons: readonly LightReason[],
  month: string,
  today: string,
  calendar: WorkingCalendar,
  settings: ProjectSettings,
): SupervisionItem {
  const deadline = addWorkingDays(today, settings.supervision.deadlineWorkingDays.blue, calendar);
  const light: Light = worstLight(reasons.map((reason) => reason.light));
  return {
    itemId: supervisionIdOf(project.projectId, cause, month),
    projectId: project.projectId,
    projectName: project.name,
    sector: project.sector,
    cause,
    month,
    light,
    reasons: [...reasons],
    owner: project.team.commissioner,
    escalatedTo: null,
    level: 'blue',
    deadline,
    status: 'open',
    openedOn: today,
    steps: [{ level: 'blue', on: today, deadline }],
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    version: 1,
  };
}

const NEXT: Readonly<Record<SupervisionLevel, SupervisionLevel | null>> = {
  blue: 'yellow',
  yellow: 'red',
  red: null,
};

/**
 * The item as it stands on `today`: each level whose deadline has passed moves up on the first working
 * day after that deadline, with a new deadline counted in working days from the old one. Red
 * names the 帮包 leader. An item already red, or resolved, does not move.
 */
export function escalated(
  item: SupervisionItem,
  today: string,
  leader: string,
  calendar: WorkingCalendar,
  settings: ProjectSettings,
): SupervisionItem {
  if (item.status !== 'open') return item;
  let current = item;
  for (;;) {
    const next = NEXT[current.level];
    if (next === null) return current;
    // The level moves on the first working day after the deadline, not before.
    const on = addWorkingDays(current.deadline, 1, calendar);
    if (today < on) return current;
    const deadline = addWorkingDays(
      current.deadline,
      settings.supervision.deadlineWorkingDays[next],
      calendar,
    );
    current = {
      ...current,
      level: next,
      deadline,
      escalatedTo: next === 'red' ? leader : current.escalatedTo,
      steps: [...current.steps, { level: next, on, deadline }],
    };
  }
}
