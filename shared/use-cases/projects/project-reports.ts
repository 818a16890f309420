/**
 * The reports of project tracking (finance, auditors, the admin; a sector team its own sector):
 * the 月度台账 of a month, the half-year review with its paragraph, and the 半年评比 of the sector teams.
 * Read-only: computed from the stored plans and reports each time, never stored.
 */
import * as z from 'zod';
import { hasRole, type Principal, sectorsOf } from '#shared/auth/principal.ts';
import { formatFen } from '#shared/domain/money.ts';
import { percentOf } from '#shared/domain/projects/figure-format.ts';
import { halfYearReview } from '#shared/domain/projects/half-year-review.ts';
import {
  inLedger,
  projectFigures,
  type YearBook,
  yearBookOf,
  zoneRates,
} from '#shared/domain/projects/ledger.ts';
import { yearOf } from '#shared/domain/projects/shanghai-time.ts';
import { rankTeams, type TeamRating } from '#shared/domain/projects/team-ranking.ts';
import { DEFAULT_SECTORS, findSector } from '#shared/domain/sectors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ProjectReference, ProjectStore } from '#shared/ports/projects.ts';
import { type ProjectSettings, stageIndexOf } from '#shared/schemas/project-settings.ts';
import {
  LightReasonSchema,
  LightSchema,
  type MonthlyReportQuerySchema,
  ProjectRecordSchema,
} from '#shared/schemas/projects.ts';
import { PercentSchema, sectorScope, settingsOf, todayOf } from './project-context.ts';

export interface ReportDeps {
  readonly projects: Pick<ProjectStore, 'all' | 'getMany' | 'plansOfYear' | 'progressOfYear'>;
  readonly reference: Pick<ProjectReference, 'settings' | 'ratings'>;
  readonly clock: Clock;
}

const LocalTextSchema = z.object({ zh: z.string(), en: z.string() });
const money = { fen: z.number().int(), text: z.string() };
const Amount = z.object(money);

export const LedgerRowSchema = z.object({
  projectId: z.string(),
  name: z.string(),
  sector: z.string(),
  sectorName: LocalTextSchema,
  kind: ProjectRecordSchema.shape.kind,
  municipalMajor: ProjectRecordSchema.shape.municipalMajor,
  stage: z.string(),
  stageName: LocalTextSchema,
  team: ProjectRecordSchema.shape.team,
  /** 全年计划投资, 1–M月计划, 1–M月累计完成. */
  annualPlan: Amount,
  planToDate: Amount,
  completedToDate: Amount,
  /** 完成序时计划%, 完成年度计划%. */
  scheduleRate: PercentSchema.nullable(),
  annualRate: PercentSchema.nullable(),
  light: LightSchema,
  reasons: z.array(LightReasonSchema),
  reported: z.boolean(),
  /** The month's report came after its due day. */
  late: z.boolean(),
});

export const MonthlyReportSchema = z.object({
  month: z.string(),
  sector: z.string().nullable(),
  title: LocalTextSchema,
  generatedOn: z.string(),
  rows: z.array(LedgerRowSchema),
  /** 合计. */
  total: z.object({
    projects: z.number().int(),
    annualPlan: Amount,
    planToDate: Amount,
    completedToDate: Amount,
    scheduleRate: PercentSchema.nullable(),
    annualRate: PercentSchema.nullable(),
    lights: z.object({ green: z.number().int(), yellow: z.number().int(), red: z.number().int() }),
  }),
  /** 开工率 (新开工 started ÷ planned) and 复工率 (续建 back at work ÷ 续建). */
  rates: z.object({
    startRate: PercentSchema.nullable(),
    started: z.number().int(),
    startBase: z.number().int(),
    resumptionRate: PercentSchema.nullable(),
    resumed: z.number().int(),
    continued: z.number().int(),
  }),
});
export type MonthlyReport = z.infer<typeof MonthlyReportSchema>;

const amount = (fen: number) => ({ fen, text: formatFen(fen) });

function stageName(settings: ProjectSettings, code: string) {
  const stage = settings.stages[stageIndexOf(settings, code)];
  return { zh: stage?.zh ?? code, en: stage?.en ?? code };
}

function sectorName(code: string) {
  const sector = findSector(code);
  return { zh: sector?.zh ?? code, en: sector?.en ?? code };
}

/** A sector's place in the catalogue: the ledger's order (a code not in it last). */
export const sectorOrder = (code: string) => {
  const index = DEFAULT_SECTORS.findIndex((sector) => sector.code === code);
  return index < 0 ? DEFAULT_SECTORS.length : index;
};

async function yearData(deps: ReportDeps, year: number, scope: string | undefined | readonly string[]) {
  const [all, plans, progress] = await Promise.all([
    deps.projects.all(),
    deps.projects.plansOfYear(year),
    deps.projects.progressOfYear(year),
  ]);
  const allowed = scope === undefined ? undefined : new Set(typeof scope === 'string' ? [scope] : scope);
  const projects = all.filter((project) => allowed === undefined || allowed.has(project.sector));
  return { projects, book: yearBookOf(year, plans, progress) };
}

export type LedgerRow = z.infer<typeof LedgerRowSchema>;

/** One project's row of the month's ledger. */
export function ledgerRowOf(
  project: z.infer<typeof ProjectRecordSchema>,
  book: YearBook,
  month: string,
  today: string,
  settings: ProjectSettings,
): LedgerRow {
  const figures = projectFigures(project, book, month, today, settings);
  return {
    projectId: project.projectId,
    name: project.name,
    sector: project.sector,
    sectorName: sectorName(project.sector),
    kind: project.kind,
    municipalMajor: project.municipalMajor,
    stage: project.stage,
    stageName: stageName(settings, project.stage),
    team: project.team,
    annualPlan: amount(figures.annualPlanFen),
    planToDate: amount(figures.planToDateFen),
    completedToDate: amount(figures.completedToDateFen),
    scheduleRate: figures.scheduleRate,
    annualRate: figures.annualRate,
    light: figures.verdict.light,
    reasons: [...figures.verdict.reasons],
    reported: figures.reported,
    late: book.progress.get(project.projectId)?.get(month)?.late ?? false,
  };
}

/** The ledger's title: of a sector, of the caller's own teams, or of the zone. */
export function ledgerTitle(month: string, sector: string | undefined, scope: LedgerScope) {
  const own = typeof scope === 'object' ? scope : [];
  const scopeName =
    sector !== undefined
      ? sectorName(sector)
      : own.length > 0
        ? { zh: own.map((code) => `${sectorName(code).zh}专班`).join('、'), en: own.join(', ') }
        : { zh: '全区', en: 'the zone' };
  const months = Number(month.slice(5, 7));
  return {
    zh: `${scopeName.zh}重点项目月度工作台账（1—${months}月）`,
    en: `Monthly ledger of key projects of ${scopeName.en}, ${month.slice(0, 4)}, months 1–${months}`,
  };
}

export type LedgerScope = ReturnType<typeof sectorScope>;

/** `GET /reports/monthly?month=&sector=`: one row per project of the year's ledger and a 合计 row. */
export async function monthlyReport(
  deps: ReportDeps,
  command: { principal: Principal; query: z.output<typeof MonthlyReportQuerySchema> },
): Promise<MonthlyReport> {
  const { principal, query } = command;
  const scope = sectorScope(principal, query.sector);
  const settings = await settingsOf(deps.reference);
  const today = todayOf(deps.clock);
  const { month } = query;
  const { projects, book } = await yearData(deps, yearOf(month), scope);
  const ledger = projects
    .filter((project) => inLedger(book, project.projectId))
    .sort((a, b) => sectorOrder(a.sector) - sectorOrder(b.sector) || a.createdAt.localeCompare(b.createdAt));
  const rows = ledger.map((project) => ledgerRowOf(project, book, month, today, settings));
  const sum = (pick: (row: (typeof rows)[number]) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);
  const annual = sum((row) => row.annualPlan.fen);
  const toDate = sum((row) => row.planToDate.fen);
  const done = sum((row) => row.completedToDate.fen);
  const count = (light: string) => rows.filter((row) => row.light === light).length;
  const rates = zoneRates(ledger, book, month, settings);
  return {
    month,
    sector: query.sector ?? null,
    title: ledgerTitle(month, query.sector, scope),
    generatedOn: today,
    rows,
    total: {
      projects: rows.length,
      annualPlan: amount(annual),
      planToDate: amount(toDate),
      completedToDate: amount(done),
      scheduleRate: percentOf(done, toDate, settings.percent),
      annualRate: percentOf(done, annual, settings.percent),
      lights: { green: count('green'), yellow: count('yellow'), red: count('red') },
    },
    rates: {
      startRate: rates.startRate,
      started: rates.started,
      startBase: rates.startBase,
      resumptionRate: rates.resumptionRate,
      resumed: rates.resumed,
      continued: rates.continuedProjects,
    },
  };
}

const MajorGroupSchema = z.object({
  projects: z.number().int(),
  annualPlanFen: z.number().int(),
  completedFen: z.number().int(),
  annualPlanYi: z.string(),
  completedYi: z.string(),
});

export const HalfYearReportSchema = z.object({
  year: z.number().int(),
  half: z.number().int(),
  sector: z.string().nullable(),
  throughMonth: z.string(),
  keyProjects: z.object({
    projects: z.number().int(),
    completedFen: z.number().int(),
    completedYi: z.string(),
    annualPlanFen: z.number().int(),
  }),
  continued: z.object({
    projects: z.number().int(),
    resumed: z.number().int(),
    resumptionRate: PercentSchema.nullable(),
  }),
  newProjects: z.object({
    projects: z.number().int(),
    startedThisYear: z.number().int(),
    startRate: PercentSchema.nullable(),
  }),
  municipalMajor: z.object({
    projects: z.number().int(),
    implementation: MajorGroupSchema,
    preparatory: MajorGroupSchema,
  }),
  /** The review's paragraph, phrased as the zone's own (Chinese), and in English. */
  paragraph: LocalTextSchema,
});

/** `GET /reports/half-year?year=&half=`: a sector team gets the figures of its own sector only. */
export async function halfYearReport(
  deps: ReportDeps,
  command: { principal: Principal; year: number; half: number },
): Promise<z.infer<typeof HalfYearReportSchema>> {
  const { principal } = command;
  const half = command.half === 2 ? 2 : 1;
  const scope = sectorScope(principal, undefined);
  const settings = await settingsOf(deps.reference);
  const { projects, book } = await yearData(deps, command.year, scope);
  // A sector team's review covers its own projects and says so.
  const own = typeof scope === 'object' ? scope : [];
  const area =
    own.length === 0
      ? undefined
      : {
          zh: own.map((code) => `${sectorName(code).zh}专班`).join('、'),
          en: `sector team ${own.join(', ')}'s`,
        };
  const review = halfYearReview(command.year, half, projects, book, settings, area);
  return { ...review, sector: own[0] ?? null };
}

const IndicatorSchema = z.object({
  code: z.string(),
  weight: z.number(),
  value: z.number(),
  pointsHundredths: z.number().int(),
  points: z.string(),
  explanation: LocalTextSchema,
});

export const RankingSchema = z.object({
  year: z.number().int(),
  half: z.number().int(),
  weights: z.record(z.string(), z.number()),
  ratingsRevision: z.number().int().nullable(),
  teams: z.array(
    z.object({
      sector: z.string(),
      zh: z.string(),
      en: z.string(),
      rank: z.number().int(),
      totalHundredths: z.number().int(),
      total: z.string(),
      indicators: z.array(IndicatorSchema),
    }),
  ),
});

/** `GET /reports/ranking?year=&half=`: every team ranked; a sector team sees its own row (and rank). */
export async function teamRanking(
  deps: ReportDeps,
  command: { principal: Principal; year: number; half: number },
): Promise<z.infer<typeof RankingSchema>> {
  const { principal, year } = command;
  const half = command.half === 2 ? 2 : 1;
  const settings = await settingsOf(deps.reference);
  const [{ projects, book }, ratings] = await Promise.all([
    yearData(deps, year, undefined),
    deps.reference.ratings(year, half),
  ]);
  const byTeam = new Map<string, TeamRating>(
    (ratings?.ratings ?? []).map((rating) => [rating.sector, { park: rating.park, field: rating.field }]),
  );
  const teams = rankTeams(
    { year, half, sectors: DEFAULT_SECTORS, projects, book, ratings: byTeam },
    settings,
  );
  const seesAll =
    hasRole(principal, 'finance') || hasRole(principal, 'auditor') || hasRole(principal, 'admin');
  const own = new Set(sectorsOf(principal));
  return {
    year,
    half,
    weights: { ...settings.ranking.weights },
    ratingsRevision: ratings?.revision ?? null,
    teams: teams
      .filter((team) => seesAll || own.has(team.sector))
      .map((team) => ({ ...team, indicators: team.indicators.map((indicator) => ({ ...indicator })) })),
  };
}
