/**
 * `GET /reports/monthly?month=&sector=&format=xlsx|csv`: the 月度台账 (shared/use-cases/projects/
 * project-reports.ts computes it, for the same roles and scope as the JSON) as a sheet or a CSV, one row
 * per project, amounts in 万元 with the 合计 summed in fen.
 */
import * as z from 'zod';
import type { Principal } from '#shared/auth/principal.ts';
import { hasRole, sectorsOf } from '#shared/auth/principal.ts';
import { findSector } from '#shared/domain/sectors.ts';
import type { ExportFile } from '#shared/ports/export-delivery.ts';
import { MonthlyReportQuerySchema } from '#shared/schemas/projects.ts';
import { oneOf } from '#shared/schemas/zod-text.ts';
import type { Column } from '#shared/sheets/columns.ts';
import {
  type MonthlyReport,
  monthlyReport,
  type ReportDeps,
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

type LedgerRow = MonthlyReport['rows'][number];

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
function unitOf(report: MonthlyReport, principal: Principal, zoneUnit: string): string {
  const teamName = (code: string) => `${findSector(code)?.zh ?? code}专班`;
  if (report.sector !== null) return teamName(report.sector);
  const seesAll = (['finance', 'auditor', 'admin'] as const).some((role) => hasRole(principal, role));
  const own = sectorsOf(principal);
  return !seesAll && own.length > 0 ? own.map(teamName).join('、') : zoneUnit;
}

export async function exportMonthlyLedger(
  deps: ReportDeps & { readonly zoneUnit: string },
  command: { principal: Principal; query: MonthlyReportExportQuery; format: ExportFormat },
): Promise<ExportFile> {
  const { principal, query, format } = command;
  const report = await monthlyReport(deps, {
    principal,
    query: { month: query.month, sector: query.sector },
  });
  const monthNumber = Number(report.month.slice(5, 7));
  return tableFile(
    format,
    `月度台账-${report.month}`,
    {
      title: report.title.zh,
      unit: unitOf(report, principal, deps.zoneUnit),
      date: report.generatedOn,
      sheetName: `台账${report.month}`,
      columns: monthlyLedgerColumns(monthNumber),
    },
    report.rows,
  );
}
