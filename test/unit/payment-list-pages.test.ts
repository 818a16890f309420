import { describe, expect, it } from 'vitest';
import type { LeadPage } from '#shared/ports/leads.ts';
import type { ReviewRecord } from '#shared/schemas/fund.ts';
import {
  exportPaymentList,
  RewardsExportQuerySchema,
} from '#shared/use-cases/exports/payment-list-export.ts';
import { receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { makeLead } from '#test/fixtures/leads.ts';

const LEADS = 11;
const PER_PAGE = 3;

/** A store that answers in pages of three, each a little late: the export must chain the pages in order. */
function pagedDeps() {
  const leads = Array.from({ length: LEADS }, (_, index) =>
    receivedLeadRecord(makeLead({ projectName: `分页项目 ${index}` }), { status: 'APPROVED' }),
  );
  const listed: (string | undefined)[] = [];
  const reviewed: string[][] = [];
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 5));
  return {
    listed,
    reviewed,
    leads,
    deps: {
      leads: {
        list: async (query: { cursor?: string }): Promise<LeadPage> => {
          listed.push(query.cursor);
          const start = query.cursor === undefined ? 0 : Number(query.cursor);
          const end = start + PER_PAGE;
          return later({ leads: leads.slice(start, end), nextCursor: end < LEADS ? String(end) : null });
        },
      },
      reviews: {
        reviewsOf: async (ids: readonly string[]) => {
          reviewed.push([...ids]);
          const reviews = ids.map((leadId, index): [string, ReviewRecord] => [
            leadId,
            {
              leadId,
              state: 'APPROVED',
              revision: 1,
              rewardFen: 1_000_000 + index,
              fundFen: 0,
              decidedBy: { userId: `fin-${leadId.slice(-4)}`, role: 'finance' },
              decidedAt: '2026-11-30T02:00:00.000Z',
              note: null,
              payment: null,
            },
          ]);
          return later(new Map(reviews));
        },
      },
      recoveries: { totalsOf: async () => later(new Map()) },
      clock: { now: () => new Date('2026-11-30T08:00:00.000Z') },
      zoneUnit: '开发区管委会',
    },
  };
}

describe('the payment list over several pages of leads', () => {
  it('writes every lead once, in the listing order, each beside its own review', async () => {
    const { deps, leads, listed, reviewed } = pagedDeps();
    const query = RewardsExportQuerySchema.parse({ status: 'APPROVED', format: 'csv' });
    const file = await exportPaymentList(deps as never, query);
    const lines = new TextDecoder()
      .decode(file.bytes)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const rows = lines.slice(1).filter((line) => !line.startsWith('合计'));
    expect(rows).toHaveLength(LEADS);
    leads.forEach((lead, index) => {
      expect(rows[index]).toContain(lead.leadId);
      expect(rows[index]).toContain(`fin-${lead.leadId.slice(-4)}`);
    });
    expect(listed).toEqual([undefined, '3', '6', '9']);
    expect(reviewed.flat()).toEqual(leads.map((lead) => lead.leadId));
  });

  it('fails the export when a later page cannot be read, and leaves no rejection unhandled', async () => {
    const { deps } = pagedDeps();
    const list = deps.leads.list;
    deps.leads.list = async (query) => {
      if (query.cursor === '6') throw new Error('the table is gone');
      return list(query);
    };
    const query = RewardsExportQuerySchema.parse({ status: 'APPROVED', format: 'csv' });
    await expect(exportPaymentList(deps as never, query)).rejects.toThrow('the table is gone');
  });

  it('shows each paid reward gross, recovered and net, and what its payment withheld for earlier clawbacks', async () => {
    const lead = receivedLeadRecord(makeLead({ projectName: '追回项目' }), { status: 'PAID' });
    const review: ReviewRecord = {
      leadId: lead.leadId,
      state: 'PAID',
      revision: 1,
      rewardFen: 240_000_000,
      fundFen: 0,
      decidedBy: { userId: 'fin-a', role: 'finance' },
      decidedAt: '2026-11-02T02:00:00.000Z',
      note: null,
      payment: {
        reference: 'BANK-1',
        paidBy: { userId: 'fin-b', role: 'finance' },
        paidAt: '2026-11-20T02:00:00.000Z',
        deductions: [{ clawbackId: 'cb_1', fromLeadId: 'ld_other', amountFen: 50_000_000 }],
      },
    };
    const deps = {
      leads: { list: async () => ({ leads: [lead], nextCursor: null }) },
      reviews: { reviewsOf: async () => new Map([[lead.leadId, review]]) },
      recoveries: {
        totalsOf: async () =>
          new Map([
            [
              lead.leadId,
              { leadId: lead.leadId, claimedFen: 100_000_000, clawedBackFen: 60_000_000, version: 3 },
            ],
          ]),
      },
      clock: { now: () => new Date('2026-11-30T08:00:00.000Z') },
      zoneUnit: '开发区管委会',
    };
    const query = RewardsExportQuerySchema.parse({ status: 'PAID', format: 'csv' });
    const text = new TextDecoder().decode((await exportPaymentList(deps as never, query)).bytes);
    const [header = '', row = ''] = text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .filter((line) => line.includes('奖励金额') || line.includes(lead.leadId));
    const cells = (line: string) => line.split(',').map((cell) => cell.replaceAll('"', ''));
    const at = (name: string) => cells(row)[cells(header).findIndex((cell) => cell.startsWith(name))];
    expect(at('奖励金额')).toBe('240.00');
    expect(at('已支付')).toBe('240.00');
    expect(at('已追回')).toBe('60.00');
    expect(at('净额')).toBe('180.00');
    expect(at('本次抵扣他案追回款')).toBe('50.00');
  });
});
