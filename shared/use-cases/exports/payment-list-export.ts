/**
 * `GET /rewards/export?status=APPROVED|PAID&from=&to=&format=xlsx|csv` (finance): the 奖励支付清单, one
 * row per lead approved or paid, read from the store page by page (100 leads and one batch read of their
 * reviews at a time) and written as the rows arrive. `from`/`to` bound the submission time, as in
 * `GET /rewards`. A natural person's resident ID appears masked (shared/domain/identifiers.ts), never whole.
 * Beside the reward: what was paid of it (gross), what clawbacks reversed (recovered), the net, and what
 * this payment withheld for the introducer's earlier clawbacks (issue 17, part 6).
 */
import * as z from 'zod';
import { paidSoFarFen, recoverySummary } from '#shared/domain/clawback.ts';
import { maskResidentId } from '#shared/domain/identifiers.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import { findSector } from '#shared/domain/sectors.ts';
import type { ClawbackStore } from '#shared/ports/clawbacks.ts';
import type { ExportFile } from '#shared/ports/export-delivery.ts';
import type { LeadPage, LeadStore } from '#shared/ports/leads.ts';
import type { ReviewBatch } from '#shared/ports/reviews.ts';
import type { RecoveryTotals } from '#shared/schemas/clawback.ts';
import type { ReviewRecord } from '#shared/schemas/fund.ts';
import type { Introducer } from '#shared/schemas/lead.ts';
import { LEAD_STATUS_ZH, type LeadRecord } from '#shared/schemas/lead-record.ts';
import { oneOf } from '#shared/schemas/zod-text.ts';
import type { Column } from '#shared/sheets/columns.ts';
import { checkRange, instantParam } from '#shared/use-cases/query-params.ts';
import { dayOfInstant, ExportFormatSchema, tableFile } from './export-format.ts';

export const PAYMENT_STATUSES = ['APPROVED', 'PAID'] as const;

export const RewardsExportQuerySchema = z
  .object({
    status: z.enum(PAYMENT_STATUSES, { error: oneOf(PAYMENT_STATUSES) }),
    from: instantParam('start').optional(),
    to: instantParam('end').optional(),
    format: ExportFormatSchema,
  })
  .strict();
export type RewardsExportQuery = z.output<typeof RewardsExportQuerySchema>;

export interface PaymentListDeps {
  readonly leads: Pick<LeadStore, 'list'>;
  readonly reviews: ReviewBatch;
  /** The clawback totals of a page's leads (issue 17, part 6). */
  readonly recoveries: Pick<ClawbackStore, 'totalsOf'>;
  readonly clock: { now(): Date };
  /** 填报单位 on the sheet. */
  readonly zoneUnit: string;
}

/** Leads read per page: one Query, then their reviews in BatchGetItems of at most 100 keys each. */
const PAGE_SIZE = 500;
const REVIEWS_PER_BATCH = 100;

interface PaymentRow {
  readonly lead: LeadRecord;
  readonly review: ReviewRecord | undefined;
  readonly totals: RecoveryTotals | undefined;
}

const recoveryOf = ({ review, totals }: PaymentRow) =>
  review === undefined ? undefined : recoverySummary(paidSoFarFen(review), totals);

const INTRODUCER_ZH: Readonly<Record<Introducer['type'], string>> = {
  leading_enterprise: '龙头企业',
  natural_person: '自然人',
  intermediary: '中介机构',
  professional_team: '专业团队',
  none: '无',
};

/** The introducer's identifier as a payment list may show it: a USCC (public), or a masked resident ID. */
export function introducerIdOf(introducer: Introducer): string | null {
  if (introducer.type === 'none') return null;
  if ('uscc' in introducer && introducer.uscc !== undefined) return introducer.uscc;
  if ('residentId' in introducer && introducer.residentId !== undefined) {
    return maskResidentId(introducer.residentId);
  }
  return null;
}

const day = (instant: string | undefined) =>
  instant === undefined ? null : shanghaiDateOf(new Date(instant));

export const PAYMENT_LIST_COLUMNS: readonly Column<PaymentRow>[] = [
  { header: '线索编号', en: 'Lead id', kind: 'text', value: ({ lead }) => lead.leadId, width: 30 },
  {
    header: '专班',
    en: 'Sector team',
    kind: 'text',
    value: ({ lead }) => findSector(lead.sector)?.zh ?? lead.sector,
    width: 16,
  },
  { header: '项目名称', en: 'Project', kind: 'text', value: ({ lead }) => lead.lead.projectName, width: 30 },
  { header: '投资方', en: 'Investor', kind: 'text', value: ({ lead }) => lead.lead.investor.name, width: 24 },
  {
    header: '引荐方类型',
    en: 'Introducer type',
    kind: 'text',
    value: ({ lead }) => INTRODUCER_ZH[lead.lead.introducer.type],
    width: 10,
  },
  {
    header: '引荐方',
    en: 'Introducer',
    kind: 'text',
    value: ({ lead }) => ('name' in lead.lead.introducer ? lead.lead.introducer.name : null),
    width: 20,
  },
  {
    header: '引荐方证件号（脱敏）',
    en: 'Introducer ID (resident IDs masked)',
    kind: 'text',
    value: ({ lead }) => introducerIdOf(lead.lead.introducer),
    width: 22,
  },
  { header: '奖励金额', en: 'Reward', kind: 'amount', value: ({ review }) => review?.rewardFen ?? null },
  { header: '已支付', en: 'Paid (gross)', kind: 'amount', value: (row) => recoveryOf(row)?.grossFen ?? null },
  {
    header: '已追回',
    en: 'Recovered (clawbacks approved)',
    kind: 'amount',
    value: (row) => recoveryOf(row)?.recoveredFen ?? null,
  },
  { header: '净额', en: 'Net', kind: 'amount', value: (row) => recoveryOf(row)?.netFen ?? null },
  {
    header: '本次抵扣他案追回款',
    en: 'Withheld for earlier clawbacks',
    kind: 'amount',
    value: ({ review }) =>
      review?.payment === null || review?.payment === undefined
        ? null
        : (review.payment.deductions ?? []).reduce((sum, d) => sum + d.amountFen, 0),
  },
  { header: '状态', en: 'Status', kind: 'text', value: ({ lead }) => LEAD_STATUS_ZH[lead.status], width: 8 },
  {
    header: '审批人',
    en: 'Approved by',
    kind: 'text',
    value: ({ review }) => review?.decidedBy.userId ?? null,
  },
  { header: '审批日期', en: 'Approved on', kind: 'date', value: ({ review }) => day(review?.decidedAt) },
  {
    header: '支付经办人',
    en: 'Paid by',
    kind: 'text',
    value: ({ review }) => review?.payment?.paidBy.userId ?? null,
  },
  { header: '支付日期', en: 'Paid on', kind: 'date', value: ({ review }) => day(review?.payment?.paidAt) },
  {
    header: '支付凭证号',
    en: 'Payment reference',
    kind: 'text',
    value: ({ review }) => review?.payment?.reference ?? null,
    width: 20,
  },
];

interface ReviewedPage {
  readonly page: LeadPage;
  readonly reviews: ReadonlyMap<string, ReviewRecord>;
  readonly totals: ReadonlyMap<string, RecoveryTotals>;
}

/** Every lead of the status and period, newest first, each with its review, one page at a time. */
async function* paymentRows(deps: PaymentListDeps, query: RewardsExportQuery): AsyncIterable<PaymentRow> {
  const listAt = (cursor: string | undefined): Promise<LeadPage> =>
    deps.leads.list({
      status: query.status,
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(cursor === undefined ? {} : { cursor }),
      limit: PAGE_SIZE,
    });
  const reviewed = async (listing: Promise<LeadPage>): Promise<ReviewedPage> => {
    const page = await listing;
    const ids = page.leads.map((lead) => lead.leadId);
    // BatchGetItem takes 100 keys: a page's batches go out together.
    const slices = Array.from({ length: Math.ceil(ids.length / REVIEWS_PER_BATCH) }, (_, index) =>
      ids.slice(index * REVIEWS_PER_BATCH, (index + 1) * REVIEWS_PER_BATCH),
    );
    const [batches, totals] = await Promise.all([
      Promise.all(slices.map((slice) => deps.reviews.reviewsOf(slice))),
      Promise.all(slices.map((slice) => deps.recoveries.totalsOf(slice))),
    ]);
    return {
      page,
      reviews: new Map(batches.flatMap((batch) => [...batch])),
      totals: new Map(totals.flatMap((batch) => [...batch])),
    };
  };
  // The listing runs ahead: as soon as a page of leads is in, the next page's query leaves, while this
  // page's reviews are read and its rows written. Each read's failure is caught here so that a writer
  // that stops first leaves no unhandled rejection; awaiting it below still throws.
  let listing: Promise<LeadPage> | undefined = listAt(undefined);
  let current: Promise<ReviewedPage> | undefined = reviewed(listing);
  while (listing !== undefined && current !== undefined) {
    const { nextCursor }: LeadPage = await listing;
    listing = nextCursor === null || nextCursor === undefined ? undefined : listAt(nextCursor);
    const upcoming = listing === undefined ? undefined : reviewed(listing);
    listing?.catch(() => undefined);
    upcoming?.catch(() => undefined);
    const { page, reviews, totals }: ReviewedPage = await current;
    current = upcoming;
    for (const lead of page.leads) {
      yield { lead, review: reviews.get(lead.leadId), totals: totals.get(lead.leadId) };
    }
  }
}

export async function exportPaymentList(
  deps: PaymentListDeps,
  query: RewardsExportQuery,
): Promise<ExportFile> {
  checkRange(query.from, query.to);
  const today = shanghaiDateOf(deps.clock.now());
  const from = query.from === undefined ? '不限' : dayOfInstant(query.from);
  const to = query.to === undefined ? today : dayOfInstant(query.to);
  const statusZh = LEAD_STATUS_ZH[query.status];
  return tableFile(
    query.format,
    `奖励支付清单-${query.status}-${from}-${to}`,
    {
      title: `引荐奖励支付清单（${statusZh}，提交于 ${from} 至 ${to}）`,
      unit: deps.zoneUnit,
      date: today,
      sheetName: `支付清单-${statusZh}`,
      columns: PAYMENT_LIST_COLUMNS,
    },
    paymentRows(deps, query),
  );
}
