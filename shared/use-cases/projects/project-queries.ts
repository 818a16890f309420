/**
 * `GET /projects` and `GET /projects/{projectId}`: projects with their figures and light for a ledger
 * month (default: the newest month whose report is due, Asia/Shanghai). A sector team sees its own
 * sector; finance, auditors and the admin every sector. Lights are computed, not stored, so the list
 * is filtered after reading the sector's (or zone's) projects: a zone has tens to hundreds of them.
 */
import * as z from 'zod';
import type { Principal } from '#shared/auth/principal.ts';
import { formatFen } from '#shared/domain/money.ts';
import { projectFigures, yearBookOf } from '#shared/domain/projects/ledger.ts';
import { latestDueMonth, yearOf } from '#shared/domain/projects/shanghai-time.ts';
import { ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ProjectReference, ProjectStore } from '#shared/ports/projects.ts';
import {
  type ListProjectsQuerySchema,
  PlanRecordSchema,
  ProgressEntrySchema,
  type ProjectRecord,
  ProjectRecordSchema,
  StageEventSchema,
} from '#shared/schemas/projects.ts';
import { unwrapCursor, wrapCursor } from '#shared/use-cases/query-params.ts';
import {
  FiguresSchema,
  figuresView,
  sectorScope,
  settingsOf,
  todayOf,
  visibleProject,
} from './project-context.ts';

export interface ProjectQueryDeps {
  readonly projects: Pick<
    ProjectStore,
    'get' | 'all' | 'events' | 'plans' | 'progress' | 'plansOfYear' | 'progressOfYear' | 'projectOfLead'
  >;
  readonly reference: Pick<ProjectReference, 'settings'>;
  readonly clock: Clock;
}

/** The stored project without its request hash (an internal detail of idempotency). */
export const ProjectRecordViewSchema = ProjectRecordSchema.omit({ requestHash: true });

export function recordView(project: ProjectRecord): z.infer<typeof ProjectRecordViewSchema> {
  const { requestHash: _hidden, ...shown } = project;
  return shown;
}

export const ProjectSummarySchema = ProjectRecordViewSchema.extend({
  totalInvestmentText: z.string().nullable(),
  figures: FiguresSchema,
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

export const ProjectListSchema = z.object({
  month: z.string(),
  items: z.array(ProjectSummarySchema),
  nextCursor: z.string().nullable(),
});

export const ProjectViewSchema = ProjectSummarySchema.extend({
  stages: z.array(StageEventSchema),
  /** Every plan revision, oldest first; the newest of a year counts. */
  plans: z.array(PlanRecordSchema.extend({ current: z.boolean() })),
  /** Every monthly entry, corrections included; the newest of a month counts. */
  progress: z.array(ProgressEntrySchema.extend({ current: z.boolean() })),
});
export type ProjectView = z.infer<typeof ProjectViewSchema>;

function summaryOf(project: ProjectRecord, figures: ProjectSummary['figures']): ProjectSummary {
  return {
    ...recordView(project),
    totalInvestmentText: project.totalInvestmentFen === null ? null : formatFen(project.totalInvestmentFen),
    figures,
  };
}

export async function getProject(
  deps: ProjectQueryDeps,
  command: { principal: Principal; projectId: string; month?: string },
): Promise<ProjectView> {
  const project = visibleProject(
    command.principal,
    command.projectId,
    await deps.projects.get(command.projectId),
  );
  const settings = await settingsOf(deps.reference);
  const today = todayOf(deps.clock);
  const month = command.month ?? latestDueMonth(today, settings.progressDueDay);
  const [stages, plans, progress] = await Promise.all([
    deps.projects.events(project.projectId),
    deps.projects.plans(project.projectId),
    deps.projects.progress(project.projectId),
  ]);
  const book = yearBookOf(yearOf(month), plans, progress);
  // The newest revision of each year, and the newest entry of each month, are the ones that count.
  const newestPlan = new Map<number, number>();
  for (const plan of plans)
    newestPlan.set(plan.year, Math.max(newestPlan.get(plan.year) ?? 0, plan.revision));
  const newestEntry = new Map<string, number>();
  for (const entry of progress)
    newestEntry.set(entry.month, Math.max(newestEntry.get(entry.month) ?? 0, entry.seq));
  return {
    ...summaryOf(project, figuresView(projectFigures(project, book, month, today, settings))),
    stages: stages.sort((a, b) => a.seq - b.seq),
    plans: plans
      .sort((a, b) => a.year - b.year || a.revision - b.revision)
      .map((plan) => ({ ...plan, current: newestPlan.get(plan.year) === plan.revision })),
    progress: progress
      .sort((a, b) => a.month.localeCompare(b.month) || a.seq - b.seq)
      .map((entry) => ({ ...entry, current: newestEntry.get(entry.month) === entry.seq })),
  };
}

type ListQuery = z.output<typeof ListProjectsQuerySchema>;

const CURSOR_PATTERN = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#pj_[0-9a-f]{24}$/;

/** Newest first; a page of `limit`, the cursor the position of the last one shown. */
export async function listProjects(
  deps: ProjectQueryDeps,
  command: { principal: Principal; query: ListQuery },
): Promise<z.infer<typeof ProjectListSchema>> {
  const { principal, query } = command;
  const scope = sectorScope(principal, query.sector);
  const settings = await settingsOf(deps.reference);
  const today = todayOf(deps.clock);
  const month = query.month ?? latestDueMonth(today, settings.progressDueDay);
  const filters = {
    sector: query.sector,
    stage: query.stage,
    kind: query.kind,
    light: query.light,
    month,
    leadId: query.leadId,
  };
  const after = unwrapCursor(query.cursor, filters);
  if (after !== undefined && !CURSOR_PATTERN.test(after)) {
    throw new ValidationError([
      { field: 'cursor', message: { zh: '不是本接口返回的游标', en: 'Not a cursor returned by this API.' } },
    ]);
  }

  let projects: ProjectRecord[];
  if (query.leadId !== undefined) {
    const linked = await deps.projects.projectOfLead(query.leadId);
    const project = linked === undefined ? undefined : await deps.projects.get(linked);
    projects = project === undefined ? [] : [project];
  } else {
    projects =
      typeof scope === 'string' || scope === undefined
        ? await deps.projects.all(scope)
        : (await Promise.all(scope.map((sector) => deps.projects.all(sector)))).flat();
  }
  const allowed = scope === undefined ? undefined : new Set(typeof scope === 'string' ? [scope] : scope);
  const [plans, progress] = await Promise.all([
    deps.projects.plansOfYear(yearOf(month)),
    deps.projects.progressOfYear(yearOf(month)),
  ]);
  const book = yearBookOf(yearOf(month), plans, progress);
  const order = (project: Pick<ProjectRecord, 'createdAt' | 'projectId'>) =>
    `${project.createdAt}#${project.projectId}`;
  const matching = projects
    .filter((project) => allowed === undefined || allowed.has(project.sector))
    .filter((project) => query.stage === undefined || project.stage === query.stage)
    .filter((project) => query.kind === undefined || project.kind === query.kind)
    .map((project) => summaryOf(project, figuresView(projectFigures(project, book, month, today, settings))))
    .filter((summary) => query.light === undefined || summary.figures.light === query.light)
    .sort((a, b) => order(b).localeCompare(order(a)))
    .filter((summary) => after === undefined || order(summary) < after);
  const page = matching.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    matching.length > page.length && last !== undefined ? wrapCursor(order(last), filters) : null;
  return { month, items: page, nextCursor };
}
