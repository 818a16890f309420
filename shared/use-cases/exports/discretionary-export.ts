/**
 * `GET /discretionary-rewards/export?year=&format=xlsx|csv` (finance, auditors): the 重奖清单 of a year, one row
 * per reward by decision (issue 20), apart from the 2% rewards' payment list, with the year's 合计. A
 * person's resident ID appears masked, never whole.
 */
import * as z from 'zod';
import { maskResidentId } from '#shared/domain/identifiers.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import type { DiscretionaryRewardStore } from '#shared/ports/discretionary-rewards.ts';
import type { ExportFile } from '#shared/ports/export-delivery.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { DiscretionaryRewardRecord } from '#shared/schemas/discretionary-reward.ts';
import type { Column } from '#shared/sheets/columns.ts';
import { withProjectNames } from '../discretionary-project-names.ts';
import { ExportFormatSchema, tableFile } from './export-format.ts';

export const DiscretionaryExportQuerySchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100),
    format: ExportFormatSchema,
  })
  .strict();
export type DiscretionaryExportQuery = z.output<typeof DiscretionaryExportQuerySchema>;

export interface DiscretionaryExportDeps {
  readonly discretionary: Pick<DiscretionaryRewardStore, 'ofYear'>;
  /** The lead of a reward proposed before its project name was recorded, for that name. */
  readonly leads: Pick<LeadStore, 'get'>;
  readonly clock: { now(): Date };
  readonly zoneUnit: string;
}

const STATE_ZH: Readonly<Record<DiscretionaryRewardRecord['state'], string>> = {
  PROPOSED: '待审批',
  APPROVED: '已批准',
  REJECTED: '已驳回',
  PAID: '已支付',
};
const TYPE_ZH = { intermediary: '中介机构或个人', professional_team: '专业招商团队' } as const;
const day = (instant: string | null | undefined) =>
  instant == null ? null : shanghaiDateOf(new Date(instant));

export const DISCRETIONARY_COLUMNS: readonly Column<DiscretionaryRewardRecord>[] = [
  { header: '重奖编号', en: 'Reward id', kind: 'text', value: (r) => r.rewardId, width: 30 },
  { header: '线索编号', en: 'Lead id', kind: 'text', value: (r) => r.leadId, width: 30 },
  {
    header: '项目名称',
    en: 'Project',
    kind: 'text',
    value: (r) => r.projectName ?? null,
    width: 30,
  },
  {
    header: '受奖人类型',
    en: 'Recipient type',
    kind: 'text',
    value: (r) => TYPE_ZH[r.recipient.type],
    width: 14,
  },
  { header: '受奖人', en: 'Recipient', kind: 'text', value: (r) => r.recipient.name, width: 24 },
  {
    header: '证件号（脱敏）',
    en: 'Credit code or resident ID (masked)',
    kind: 'text',
    value: (r) =>
      r.recipient.uscc ??
      (r.recipient.residentId === undefined ? null : maskResidentId(r.recipient.residentId)),
    width: 22,
  },
  { header: '金额', en: 'Amount', kind: 'amount', value: (r) => r.amountFen },
  {
    header: '已支付金额',
    en: 'Paid',
    kind: 'amount',
    value: (r) => (r.state === 'PAID' ? r.amountFen : 0),
  },
  { header: '事由', en: 'Reason', kind: 'text', value: (r) => r.reason, width: 30 },
  {
    header: '集体决策',
    en: 'Collective decision',
    kind: 'text',
    value: (r) =>
      `${r.collectiveDecision.body} ${r.collectiveDecision.meetingDate} ${r.collectiveDecision.minutesNumber}`,
    width: 30,
  },
  {
    header: '法律依据',
    en: 'Legal basis',
    kind: 'text',
    value: (r) => `${r.legalBasis.document} ${r.legalBasis.clause}`,
    width: 30,
  },
  { header: '状态', en: 'Status', kind: 'text', value: (r) => STATE_ZH[r.state], width: 8 },
  { header: '提出人', en: 'Proposed by', kind: 'text', value: (r) => r.proposedBy.userId },
  { header: '提出日期', en: 'Proposed on', kind: 'date', value: (r) => day(r.proposedAt) },
  {
    header: '签批人',
    en: 'Signed by',
    kind: 'text',
    value: (r) => r.signOffs.map((s) => s.by.userId).join('、') || null,
  },
  { header: '支付日期', en: 'Paid on', kind: 'date', value: (r) => day(r.payment?.paidAt) },
  {
    header: '支付凭证号',
    en: 'Payment reference',
    kind: 'text',
    value: (r) => r.payment?.reference ?? null,
    width: 20,
  },
];

export async function exportDiscretionaryRewards(
  deps: DiscretionaryExportDeps,
  query: DiscretionaryExportQuery,
): Promise<ExportFile> {
  // Rewards proposed before the project name was recorded take their lead's (withProjectNames).
  const records = await withProjectNames(deps.leads, await deps.discretionary.ofYear(query.year));
  return tableFile(
    query.format,
    `重奖清单-${query.year}`,
    {
      title: `按决定奖励（重奖）清单（${query.year} 年，与 2% 引荐奖励分列）`,
      unit: deps.zoneUnit,
      date: shanghaiDateOf(deps.clock.now()),
      sheetName: `重奖-${query.year}`,
      columns: DISCRETIONARY_COLUMNS,
    },
    records,
  );
}
