/**
 * 督办. The daily run (08:00 Asia/Shanghai, `functions/supervise-projects`) opens an item for each yellow
 * or red project and each overdue monthly report of the newest month due, and escalates every open item
 * past its deadline (blue → yellow → red, red naming the 帮包 leader); on a day off it does nothing (a
 * setting). Items are opened under ids made of project, cause and month, so running twice opens nothing
 * twice. A sector team (its own sector) or the admin resolves an item with a note. Every step is audited.
 */
import * as z from 'zod';
import type { Principal } from '#shared/auth/principal.ts';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { projectFigures, yearBookOf } from '#shared/domain/projects/ledger.ts';
import { latestDueMonth, shanghaiDateOf, yearOf } from '#shared/domain/projects/shanghai-time.ts';
import { causesOf, escalated, openItem } from '#shared/domain/projects/supervision.ts';
import { isWorkingDay } from '#shared/domain/projects/working-days.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ProjectReference, ProjectStore, SupervisionStore } from '#shared/ports/projects.ts';
import type { AuditActor } from '#shared/schemas/audit-entry.ts';
import {
  type SupervisionItem,
  SupervisionItemSchema,
  type SupervisionQuerySchema,
} from '#shared/schemas/projects.ts';
import {
  actorFor,
  calendarOf,
  mayChangeSector,
  maySeeSector,
  sectorScope,
  settingsOf,
} from './project-context.ts';

export interface SuperviseDeps {
  readonly projects: Pick<ProjectStore, 'all' | 'plansOfYear' | 'progressOfYear'>;
  readonly supervision: SupervisionStore;
  readonly reference: Pick<ProjectReference, 'settings' | 'calendar'>;
}

const SCHEDULER: AuditActor = { userId: 'supervise-projects', role: 'system' };

export const SupervisionRunSchema = z.object({
  day: z.string(),
  workingDay: z.boolean(),
  month: z.string(),
  opened: z.number().int(),
  escalated: z.number().int(),
  open: z.number().int(),
});
export type SupervisionRun = z.infer<typeof SupervisionRunSchema>;

/** One daily run, as of the instant `at` (the schedule's time). */
export async function superviseProjects(deps: SuperviseDeps, at: Date): Promise<SupervisionRun> {
  const settings = await settingsOf(deps.reference);
  const today = shanghaiDateOf(at);
  const month = latestDueMonth(today, settings.progressDueDay);
  const calendar = await calendarOf(deps.reference, settings, [yearOf(today), yearOf(today) + 1]);
  const workingDay = isWorkingDay(today, calendar);
  if (!workingDay && settings.supervision.onlyOnWorkingDays) {
    const open = (await deps.supervision.list('open')).length;
    return { day: today, workingDay, month, opened: 0, escalated: 0, open };
  }
  const stamp = at.toISOString();
  const [projects, plans, progress] = await Promise.all([
    deps.projects.all(),
    deps.projects.plansOfYear(yearOf(month)),
    deps.projects.progressOfYear(yearOf(month)),
  ]);
  const book = yearBookOf(yearOf(month), plans, progress);

  let opened = 0;
  for (const project of projects) {
    const { verdict } = projectFigures(project, book, month, today, settings);
    for (const { cause, reasons } of causesOf(verdict.reasons)) {
      const item = openItem(project, cause, reasons, month, today, calendar, settings);
      const outcome = await deps.supervision.open(item, {
        at: stamp,
        actor: SCHEDULER,
        action: 'supervision.opened',
        subject: item.itemId,
        inputHash: hashCanonical(item),
        policyVersion: settings.version,
        details: {
          projectId: item.projectId,
          cause,
          month,
          light: item.light,
          level: item.level,
          deadline: item.deadline,
        },
      });
      if (outcome === 'opened') opened += 1;
    }
  }

  const leaders = new Map(projects.map((project) => [project.projectId, project.team.leader]));
  let escalations = 0;
  const openItems = await deps.supervision.list('open');
  for (const item of openItems) {
    const target = escalated(item, today, leaders.get(item.projectId) ?? '', calendar, settings);
    // One audited write per level passed, each over the version before it.
    let current = item;
    for (const step of target.steps.slice(item.steps.length)) {
      const next: SupervisionItem = {
        ...current,
        level: step.level,
        deadline: step.deadline,
        escalatedTo: step.level === 'red' ? target.escalatedTo : current.escalatedTo,
        steps: [...current.steps, step],
        version: current.version + 1,
      };
      const outcome = await deps.supervision.update(current.version, next, {
        at: stamp,
        actor: SCHEDULER,
        action: 'supervision.escalated',
        subject: item.itemId,
        inputHash: hashCanonical(next),
        policyVersion: settings.version,
        details: {
          projectId: item.projectId,
          from: current.level,
          to: step.level,
          on: step.on,
          deadline: step.deadline,
        },
      });
      if (outcome !== 'applied') break; // resolved meanwhile: nothing more to escalate
      escalations += 1;
      current = next;
    }
  }
  const open = (await deps.supervision.list('open')).length;
  return { day: today, workingDay, month, opened, escalated: escalations, open };
}

export const SupervisionListSchema = z.object({ items: z.array(SupervisionItemSchema) });

const LEVEL_ORDER = { red: 0, yellow: 1, blue: 2 } as const;

/** `GET /supervision?level=&status=&sector=`: open items first, the most urgent level first. */
export async function listSupervision(
  deps: { supervision: Pick<SupervisionStore, 'list'> },
  command: { principal: Principal; query: z.output<typeof SupervisionQuerySchema> },
): Promise<z.infer<typeof SupervisionListSchema>> {
  const { principal, query } = command;
  const scope = sectorScope(principal, query.sector);
  const allowed = scope === undefined ? undefined : new Set(typeof scope === 'string' ? [scope] : scope);
  const items = (await deps.supervision.list(query.status))
    .filter((item) => allowed === undefined || allowed.has(item.sector))
    .filter((item) => query.level === undefined || item.level === query.level)
    .sort(
      (a, b) =>
        a.status.localeCompare(b.status) ||
        LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
        a.deadline.localeCompare(b.deadline) ||
        a.itemId.localeCompare(b.itemId),
    );
  return { items };
}

export async function resolveSupervision(
  deps: {
    supervision: Pick<SupervisionStore, 'get' | 'update'>;
    reference: Pick<ProjectReference, 'settings'>;
    clock: Clock;
  },
  command: { principal: Principal; itemId: string; note: string },
): Promise<SupervisionItem> {
  const { principal } = command;
  const item = await deps.supervision.get(command.itemId);
  if (item === undefined || !maySeeSector(principal, item.sector)) {
    throw new NotFoundError({
      zh: `没有督办事项 ${command.itemId}。`,
      en: `There is no supervision item ${command.itemId}.`,
    });
  }
  if (!mayChangeSector(principal, item.sector)) {
    throw new ForbiddenError({
      zh: `督办事项只能由专班 ${item.sector} 或管委会办结。`,
      en: `Only sector team ${item.sector} or the admin may resolve this item.`,
    });
  }
  if (item.status !== 'open') {
    throw new ConflictError('already_resolved', {
      zh: `督办事项已于 ${item.resolvedAt} 办结。`,
      en: `The item was resolved already at ${item.resolvedAt}.`,
    });
  }
  const settings = await settingsOf(deps.reference);
  const at = deps.clock.now().toISOString();
  const actor = actorFor(principal, item.sector);
  const next: SupervisionItem = {
    ...item,
    status: 'resolved',
    resolvedAt: at,
    resolvedBy: actor,
    resolution: command.note,
    version: item.version + 1,
  };
  const outcome = await deps.supervision.update(item.version, next, {
    at,
    actor,
    action: 'supervision.resolved',
    subject: item.itemId,
    inputHash: hashCanonical(next),
    policyVersion: settings.version,
    details: { projectId: item.projectId, level: item.level, cause: item.cause, month: item.month },
  });
  if (outcome !== 'applied') {
    throw new ConflictError('concurrent_change', {
      zh: '督办事项刚被修改（升级或办结），请刷新后重试。',
      en: 'The item changed a moment ago (escalated or resolved); read it again and retry.',
    });
  }
  return next;
}
