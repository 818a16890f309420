/**
 * What every project use case shares: who may see and change which sector's projects, the settings in
 * force, the working-day calendar, today in Asia/Shanghai, and the views the routes answer with.
 */
import * as z from 'zod';
import { hasRole, type Principal, sectorsOf } from '#shared/auth/principal.ts';
import { formatFen } from '#shared/domain/money.ts';
import type { Percent } from '#shared/domain/projects/figure-format.ts';
import type { ProjectFigures } from '#shared/domain/projects/ledger.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import type { WorkingCalendar, YearCalendar } from '#shared/domain/projects/working-days.ts';
import { isSectorCode } from '#shared/domain/sectors.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ProjectReference } from '#shared/ports/projects.ts';
import type { AuditActor } from '#shared/schemas/audit-entry.ts';
import { DEFAULT_PROJECT_SETTINGS, type ProjectSettings } from '#shared/schemas/project-settings.ts';
import { LightReasonSchema, LightSchema, type ProjectRecord } from '#shared/schemas/projects.ts';

/** Finance, auditors and the admin see every sector; a sector team its own sectors only. */
export function maySeeSector(principal: Principal, sector: string): boolean {
  return (
    hasRole(principal, 'finance') ||
    hasRole(principal, 'auditor') ||
    hasRole(principal, 'admin') ||
    sectorsOf(principal).includes(sector)
  );
}

/** The admin changes any sector's projects; a sector team its own. */
export function mayChangeSector(principal: Principal, sector: string): boolean {
  return hasRole(principal, 'admin') || sectorsOf(principal).includes(sector);
}

/** Sees every sector (no sector filter forced on it). */
export function seesAllSectors(principal: Principal): boolean {
  return hasRole(principal, 'finance') || hasRole(principal, 'auditor') || hasRole(principal, 'admin');
}

/**
 * The sectors a listing covers: the one asked for (403 when the caller may not see it), or every sector
 * for those who see all, or the caller's own.
 */
export function sectorScope(
  principal: Principal,
  sector: string | undefined,
): string | undefined | readonly string[] {
  if (sector !== undefined) {
    if (!isSectorCode(sector)) {
      throw new ValidationError([
        { field: 'sector', message: { zh: '不是已配置的招商专班', en: 'is not a configured sector team' } },
      ]);
    }
    if (!maySeeSector(principal, sector)) {
      throw new ForbiddenError({
        zh: `不能查看专班 ${sector} 的项目。`,
        en: `The caller may not see sector ${sector}.`,
      });
    }
    return sector;
  }
  return seesAllSectors(principal) ? undefined : sectorsOf(principal);
}

/** The role the caller acted in, for the audit trail: admin, or the sector team of the project. */
export function actorFor(principal: Principal, sector: string): AuditActor {
  const role = sectorsOf(principal).includes(sector)
    ? `sector:${sector}`
    : hasRole(principal, 'admin')
      ? 'admin'
      : 'unknown';
  return { userId: principal.userId, role };
}

/** A project the caller may see, or 404 (another sector's project answers exactly as a missing one). */
export function visibleProject(
  principal: Principal,
  projectId: string,
  project: ProjectRecord | undefined,
): ProjectRecord {
  if (project === undefined || !maySeeSector(principal, project.sector)) {
    throw new NotFoundError({ zh: `没有项目 ${projectId}。`, en: `There is no project ${projectId}.` });
  }
  return project;
}

/** A project the caller may change: 404 when it may not see it, 403 when it may see but not change it. */
export function changeableProject(
  principal: Principal,
  projectId: string,
  project: ProjectRecord | undefined,
): ProjectRecord {
  const visible = visibleProject(principal, projectId, project);
  if (!mayChangeSector(principal, visible.sector)) {
    throw new ForbiddenError({
      zh: `只有专班 ${visible.sector} 或管委会可以修改此项目。`,
      en: `Only sector team ${visible.sector} or the admin may change this project.`,
    });
  }
  return visible;
}

export function todayOf(clock: Clock): string {
  return shanghaiDateOf(clock.now());
}

/** The newest published settings, or the defaults when none was published. */
export async function settingsOf(reference: Pick<ProjectReference, 'settings'>): Promise<ProjectSettings> {
  return (await reference.settings())?.settings ?? DEFAULT_PROJECT_SETTINGS;
}

/** The working-day calendar of the given years (each as entered, or the default weekdays). */
export async function calendarOf(
  reference: Pick<ProjectReference, 'calendar'>,
  settings: ProjectSettings,
  years: readonly number[],
): Promise<WorkingCalendar> {
  const entered = await Promise.all([...new Set(years)].map((year) => reference.calendar(year)));
  const known = new Map<number, YearCalendar>();
  for (const year of entered) if (year !== undefined) known.set(year.year, year);
  return { weekdays: settings.calendar.weekdays, years: known };
}

// Views -----------------------------------------------------------------------------------------------------

export const PercentSchema = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  value: z.number(),
  text: z.string(),
});

export const FiguresSchema = z.object({
  month: z.string(),
  annualPlanFen: z.number().int(),
  annualPlanText: z.string(),
  planToDateFen: z.number().int(),
  planToDateText: z.string(),
  completedToDateFen: z.number().int(),
  completedToDateText: z.string(),
  /** 完成序时计划%. */
  scheduleRate: PercentSchema.nullable(),
  /** 完成年度计划%. */
  annualRate: PercentSchema.nullable(),
  reported: z.boolean(),
  light: LightSchema,
  reasons: z.array(LightReasonSchema),
});
export type FiguresView = z.infer<typeof FiguresSchema>;

const percentView = (percent: Percent | null) => (percent === null ? null : { ...percent });

export function figuresView(figures: ProjectFigures): FiguresView {
  return {
    month: figures.month,
    annualPlanFen: figures.annualPlanFen,
    annualPlanText: formatFen(figures.annualPlanFen),
    planToDateFen: figures.planToDateFen,
    planToDateText: formatFen(figures.planToDateFen),
    completedToDateFen: figures.completedToDateFen,
    completedToDateText: formatFen(figures.completedToDateFen),
    scheduleRate: percentView(figures.scheduleRate),
    annualRate: percentView(figures.annualRate),
    reported: figures.reported,
    light: figures.verdict.light,
    reasons: [...figures.verdict.reasons],
  };
}
