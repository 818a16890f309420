/**
 * `GET /reports/monthly?month=&sector=&format=xlsx|csv`: the 月度台账 (shared/use-cases/projects/
 * project-reports.ts computes it, for the same roles and scope as the JSON) as a sheet or a CSV, one row
 * per project, amounts in 万元 with the 合计 summed in fen.
 */
import * as z from 'zod';
import type { Principal } from '#shared/auth/principal.ts';
import { hasRole, sectorsOf } from '#shared/auth/principal.ts';
import { inLedger, type YearBook, yearBookOf } from '#shared/domain/projects/ledger.ts';
import { yearOf } from '#shared/domain/projects/shanghai-time.ts';
import { findSector } from '#shared/domain/sectors.ts';
import type { ExportFile } from '#shared/ports/export-delivery.ts';
import { PROJECTS_PER_GET } from '#shared/ports/projects.ts';
import type { ProjectSettings } from '#shared/schemas/project-settings.ts';
import type { ProjectRecord } from '#shared/schemas/projects.ts';
import { MonthlyReportQuerySchema } from '#shared/schemas/projects.ts';
import { oneOf } from '#shared/schemas/zod-text.ts';
import { type Cells, type Column, cellsOf, columnsOverCells } from '#shared/sheets/columns.ts';
import { sectorScope, settingsOf, todayOf } from '#shared/use-cases/projects/project-context.ts';
import {
  type LedgerRow,
  type LedgerScope,
  ledgerRowOf,
  ledgerTitle,
  type ReportDeps,
  sectorOrder,
} from '#shared/use-cases/projects/project-reports.ts';
import { type ExportFormat, tableFile } from './export-format.ts';

const REPORT_FORMATS = ['json', 'xlsx', 'csv'] as const;

/** The JSON route's query plus `format` (default json: the route answers as it always did). */
export const MonthlyReportExportQuerySchema = MonthlyReportQuerySchema.extend({
  format: z
    .enum(REPORT_FORMATS, { error: oneOf(REPORT_FORMATS) })
    .default('json')
    .meta({ description: 'json (default), xlsx (the titled 台账 sheet) or csv (its table, UTF-8 with BOM)' }),
}).strict();
export type MonthlyReportExportQuery = z.output<typeof MonthlyReportExportQuerySchema>;

const KIND_ZH: Readonly<Record<LedgerRow['kind'], string>> = {
  new: '新开工',
  continued: '续建',
  completed: '竣工',
  reserve: '预备',
};
const MAJOR_ZH = { implementation: '实施类', preparatory: '预备类' } as const;
const LIGHT_ZH: Readonly<Record<LedgerRow['light'], string>> = { green: '绿', yellow: '黄', red: '红' };
const yesNo = (value: boolean) => (value ? '是' : '否');

/** The 台账's columns; the month's number goes into the headers (1—6月计划). */
export function monthlyLedgerColumns(monthNumber: number): readonly Column<LedgerRow>[] {
  const upTo = `1—${monthNumber}月`;
  return [
    { header: '专班', en: 'Sector team', kind: 'text', value: (row) => row.sectorName.zh, width: 16 },
    { header: '项目名称', en: 'Project', kind: 'text', value: (row) => row.name, width: 32 },
    { header: '项目类型', en: 'Kind', kind: 'text', value: (row) => KIND_ZH[row.kind], width: 10 },
    {
      header: '市级重大项目',
      en: 'Municipal major project',
      kind: 'text',
      value: (row) => (row.municipalMajor === null ? null : MAJOR_ZH[row.municipalMajor]),
      width: 12,
    },
    { header: '所处阶段', en: 'Stage', kind: 'text', value: (row) => row.stageName.zh, width: 12 },
    { header: '包保领导', en: 'Leader', kind: 'text', value: (row) => row.team.leader, width: 10 },
    { header: '责任部门', en: 'Department', kind: 'text', value: (row) => row.team.department },
    { header: '属地', en: 'Township', kind: 'text', value: (row) => row.team.township, width: 12 },
    {
      header: '帮包专员',
      en: 'Commissioner',
      kind: 'text',
      value: (row) => row.team.commissioner,
      width: 10,
    },
    { header: '全年计划投资', en: 'Annual plan', kind: 'amount', value: (row) => row.annualPlan.fen },
    {
      header: `${upTo}计划`,
      en: `Plan, months 1–${monthNumber}`,
      kind: 'amount',
      value: (row) => row.planToDate.fen,
    },
    {
      header: `${upTo}累计完成`,
      en: `Completed, months 1–${monthNumber}`,
      kind: 'amount',
      value: (row) => row.completedToDate.fen,
    },
    {
      header: '完成序时计划%',
      en: 'Of the plan to date, %',
      kind: 'percent',
      value: (row) => row.scheduleRate?.value ?? null,
    },
    {
      header: '完成年度计划%',
      en: 'Of the annual plan, %',
      kind: 'percent',
      value: (row) => row.annualRate?.value ?? null,
    },
    { header: '亮灯', en: 'Light', kind: 'text', value: (row) => LIGHT_ZH[row.light], width: 6 },
    {
      header: '亮灯原因',
      en: 'Why',
      kind: 'text',
      value: (row) => row.reasons.map((reason) => reason.text.zh).join('；'),
      width: 36,
    },
    {
      header: '本月已填报',
      en: 'Reported this month',
      kind: 'text',
      value: (row) => yesNo(row.reported),
      width: 8,
    },
    { header: '逾期填报', en: 'Reported late', kind: 'text', value: (row) => yesNo(row.late), width: 8 },
  ];
}

/** 填报单位: the sector team the ledger is of, the caller's own teams, or the zone. */
function unitOf(sector: string | undefined, principal: Principal, zoneUnit: string): string {
  const teamName = (code: string) => `${findSector(code)?.zh ?? code}专班`;
  if (sector !== undefined) return teamName(sector);
  const seesAll = (['finance', 'auditor', 'admin'] as const).some((role) => hasRole(principal, role));
  const own = sectorsOf(principal);
  return !seesAll && own.length > 0 ? own.map(teamName).join('、') : zoneUnit;
}

/** Batches of 100 project ids read at once: DynamoDB answers a few batches in parallel. */
const BATCHES_IN_FLIGHT = 4;

/**
 * Reads projects by id while the ids are still arriving: an id is queued once, and up to
 * {@link BATCHES_IN_FLIGHT} batches of {@link PROJECTS_PER_GET} are read at once; a short batch only once
 * no more ids will come. `done()` resolves when every queued id has been read.
 */
function projectReader(
  getMany: (ids: readonly string[]) => Promise<readonly ProjectRecord[]>,
  onProject: (project: ProjectRecord) => void,
) {
  const queued = new Set<string>();
  const waiting: string[] = [];
  const reads: Promise<void>[] = [];
  let inFlight = 0;
  let closed = false;
  let failure: { readonly error: unknown } | undefined;
  const pump = () => {
    while (
      failure === undefined &&
      inFlight < BATCHES_IN_FLIGHT &&
      (waiting.length >= PROJECTS_PER_GET || (closed && waiting.length > 0))
    ) {
      const batch = waiting.splice(0, PROJECTS_PER_GET);
      inFlight += 1;
      reads.push(
        getMany(batch)
          .then((projects) => {
            for (const project of projects) onProject(project);
          })
          // Kept for done(): a read that fails before anyone awaits it must not go unhandled.
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => {
            inFlight -= 1;
            pump();
          }),
      );
    }
  };
  return {
    add(projectId: string) {
      if (queued.has(projectId)) return;
      queued.add(projectId);
      waiting.push(projectId);
      pump();
    },
    async done(): Promise<void> {
      closed = true;
      pump();
      // A settled read may have started others: wait until no read is left.
      let seen = 0;
      while (seen < reads.length) {
        const pending = reads.slice(seen);
        seen = reads.length;
        await Promise.all(pending);
      }
      if (failure !== undefined) throw failure.error;
    },
  };
}

/**
 * The rows of the month's ledger: the JSON report's rows in its order (shared/use-cases/projects/
 * project-reports.ts: the same callers, the same rows). The year's plans and reports say which projects
 * are in the ledger, and only those are read: by id, 100 a batch, a few batches at once, starting while
 * the plans are still being read. A project read before the year's book is complete waits for it; after,
 * it becomes its row's cells at once. The rows are held as cells only, sorted, and written.
 */
async function* ledgerRows(
  deps: ReportDeps,
  month: string,
  scope: LedgerScope,
  columns: readonly Column<LedgerRow>[],
): AsyncIterable<Cells> {
  const year = yearOf(month);
  const today = todayOf(deps.clock);
  const allowed = scope === undefined ? undefined : new Set(typeof scope === 'string' ? [scope] : scope);
  const rows: { readonly order: readonly [number, string, string]; readonly cells: Cells }[] = [];
  let ready: { readonly book: YearBook; readonly settings: ProjectSettings } | undefined;
  const early: ProjectRecord[] = [];
  const addRow = (project: ProjectRecord, { book, settings }: NonNullable<typeof ready>) => {
    if (!inLedger(book, project.projectId)) return;
    rows.push({
      order: [sectorOrder(project.sector), project.createdAt, project.projectId],
      cells: cellsOf(columns, ledgerRowOf(project, book, month, today, settings)),
    });
  };
  const reader = projectReader(
    (ids) => deps.projects.getMany(ids),
    (project) => {
      if (allowed !== undefined && !allowed.has(project.sector)) return;
      if (ready === undefined) early.push(project);
      else addRow(project, ready);
    },
  );
  const [settings, plans, progress] = await Promise.all([
    settingsOf(deps.reference),
    deps.projects.plansOfYear(year, (plan) => reader.add(plan.projectId)),
    deps.projects.progressOfYear(year),
  ]);
  for (const entry of progress) reader.add(entry.projectId);
  ready = { book: yearBookOf(year, plans, progress), settings };
  for (const project of early.splice(0)) addRow(project, ready);
  await reader.done();
  // Code-unit order (ISO instants, ids of hex digits): what the index's sort keys follow.
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort(
    (a, b) => a.order[0] - b.order[0] || compare(a.order[1], b.order[1]) || compare(a.order[2], b.order[2]),
  );
  for (const { cells } of rows) yield cells;
}

export async function exportMonthlyLedger(
  deps: ReportDeps & { readonly zoneUnit: string },
  command: { principal: Principal; query: MonthlyReportExportQuery; format: ExportFormat },
): Promise<ExportFile> {
  const { principal, query, format } = command;
  const scope = sectorScope(principal, query.sector);
  const columns = monthlyLedgerColumns(Number(query.month.slice(5, 7)));
  return tableFile(
    format,
    `月度台账-${query.month}`,
    {
      title: ledgerTitle(query.month, query.sector, scope).zh,
      unit: unitOf(query.sector, principal, deps.zoneUnit),
      date: todayOf(deps.clock),
      sheetName: `台账${query.month}`,
      columns: columnsOverCells(columns),
    },
    ledgerRows(deps, query.month, scope, columns),
  );
}
