/**
 * The 月度工作台账 for a month M (Asia/Shanghai): per project 全年计划投资, 1–M月计划, 1–M月累计完成,
 * 完成序时计划% (completed ÷ plan to date), 完成年度计划% and its light; for the zone 开工率 and 复工率.
 * Pure: the stored plans and reports in, figures out. A plan or a report is never overwritten: the
 * newest plan revision of the year and the newest entry of each month are the ones that count.
 */

import type { ProjectSettings } from '#shared/schemas/project-settings.ts';
import type { PlanRecord, ProgressEntry, ProjectRecord } from '#shared/schemas/projects.ts';
import { type Percent, percentOf } from './figure-format.ts';
import { planToDate } from './plan-split.ts';
import { lastDateOfMonth, monthNumberOf, monthOf, yearOf } from './shanghai-time.ts';
import { type LightVerdict, lightOf } from './traffic-lights.ts';

/** The plans and reports of one year, reduced to those that count. */
export interface YearBook {
  readonly year: number;
  /** The newest plan revision per project. */
  readonly plans: ReadonlyMap<string, PlanRecord>;
  /** Per project, the newest entry of each month (`YYYY-MM`). */
  readonly progress: ReadonlyMap<string, ReadonlyMap<string, ProgressEntry>>;
}

export function yearBookOf(
  year: number,
  plans: readonly PlanRecord[],
  entries: readonly ProgressEntry[],
): YearBook {
  const latestPlans = new Map<string, PlanRecord>();
  for (const plan of plans) {
    if (plan.year !== year) continue;
    const seen = latestPlans.get(plan.projectId);
    if (seen === undefined || plan.revision > seen.revision) latestPlans.set(plan.projectId, plan);
  }
  const progress = new Map<string, Map<string, ProgressEntry>>();
  for (const entry of entries) {
    if (yearOf(entry.month) !== year) continue;
    const months = progress.get(entry.projectId) ?? new Map<string, ProgressEntry>();
    const seen = months.get(entry.month);
    if (seen === undefined || entry.seq > seen.seq) months.set(entry.month, entry);
    progress.set(entry.projectId, months);
  }
  return { year, plans: latestPlans, progress };
}

/** In the year's ledger: the project has a plan for the year or has reported for one of its months. */
export function inLedger(book: YearBook, projectId: string): boolean {
  return book.plans.has(projectId) || (book.progress.get(projectId)?.size ?? 0) > 0;
}

export interface ProjectFigures {
  readonly month: string;
  readonly annualPlanFen: number;
  readonly planToDateFen: number;
  readonly completedToDateFen: number;
  /** 完成序时计划%: completed 1–M ÷ plan 1–M (null when nothing is planned yet). */
  readonly scheduleRate: Percent | null;
  /** 完成年度计划%: completed 1–M ÷ the annual plan. */
  readonly annualRate: Percent | null;
  readonly reported: boolean;
  readonly verdict: LightVerdict;
}

/** Completed investment of months `fromMonth`…`toMonth` (numbers 1–12) of the book's year. */
export function completedIn(book: YearBook, projectId: string, fromMonth: number, toMonth: number): number {
  const months = book.progress.get(projectId);
  if (months === undefined) return 0;
  let total = 0;
  for (let m = fromMonth; m <= toMonth; m += 1) total += months.get(monthOf(book.year, m))?.completedFen ?? 0;
  return total;
}

export function projectFigures(
  project: ProjectRecord,
  book: YearBook,
  month: string,
  today: string,
  settings: ProjectSettings,
): ProjectFigures {
  const through = monthNumberOf(month);
  const plan = book.plans.get(project.projectId);
  const annualPlanFen = plan?.annualFen ?? 0;
  const planToDateFen = plan === undefined ? 0 : planToDate(plan.monthsFen, through);
  const completedToDateFen = completedIn(book, project.projectId, 1, through);
  const reported = book.progress.get(project.projectId)?.has(month) ?? false;
  const verdict = lightOf(
    {
      kind: project.kind,
      month,
      planToDateFen,
      completedToDateFen,
      plannedStartMonth: project.plannedStartMonth,
      startedOn: project.startedOn,
      reportExpected: inLedger(book, project.projectId),
      reported,
      today,
    },
    settings,
  );
  return {
    month,
    annualPlanFen,
    planToDateFen,
    completedToDateFen,
    scheduleRate: percentOf(completedToDateFen, planToDateFen, settings.percent),
    annualRate: percentOf(completedToDateFen, annualPlanFen, settings.percent),
    reported,
    verdict,
  };
}

/** Started (开工) by the end of `month`: it reached the construction stage on or before that day. */
export function startedBy(project: ProjectRecord, month: string): boolean {
  return project.startedOn !== null && project.startedOn <= lastDateOfMonth(month);
}

/** A 续建 project back at work (复工) in the month's year, by the end of the month. */
export function resumedBy(project: ProjectRecord, month: string): boolean {
  const on = project.resumptions[String(yearOf(month))];
  return on !== undefined && on <= lastDateOfMonth(month);
}

export interface ZoneRates {
  /** 新开工 projects of the ledger counted in 开工率's denominator, and those of them started. */
  readonly newProjects: number;
  readonly startBase: number;
  readonly started: number;
  /** 新开工 projects that started within the year, by the end of the month (新建项目开工 N 个). */
  readonly startedThisYear: number;
  readonly startRate: Percent | null;
  readonly continuedProjects: number;
  readonly resumed: number;
  readonly resumptionRate: Percent | null;
}

/** 开工率 and 复工率 over the projects of the year's ledger, as of the end of `month`. */
export function zoneRates(
  projects: readonly ProjectRecord[],
  book: YearBook,
  month: string,
  settings: ProjectSettings,
): ZoneRates {
  const ledger = projects.filter((project) => inLedger(book, project.projectId));
  const newOnes = ledger.filter((project) => project.kind === 'new');
  const yearStart = `${book.year}-01-01`;
  const base = newOnes.filter((project) => {
    const planned = project.plannedStartMonth;
    if (planned === null) return false;
    return settings.startRateBase === 'planned_to_date' ? planned <= month : yearOf(planned) === book.year;
  });
  const started = base.filter((project) => startedBy(project, month)).length;
  const startedThisYear = newOnes.filter(
    (project) => startedBy(project, month) && (project.startedOn ?? '') >= yearStart,
  ).length;
  const continued = ledger.filter((project) => project.kind === 'continued');
  const resumed = continued.filter((project) => resumedBy(project, month)).length;
  return {
    newProjects: newOnes.length,
    startBase: base.length,
    started,
    startedThisYear,
    startRate: percentOf(started, base.length, settings.percent),
    continuedProjects: continued.length,
    resumed,
    resumptionRate: percentOf(resumed, continued.length, settings.percent),
  };
}
