import { describe, expect, it } from 'vitest';
import {
  claimableFen,
  deciderRefusal,
  introducerIdentity,
  paidSoFarFen,
  planOffsetDeductions,
  proposalRefusal,
  recoverySummary,
  refundRecorderRefusal,
  totalsAfter,
} from '#shared/domain/clawback.ts';
import {
  ClawbackBodySchema,
  type ClawbackRecord,
  type OpenOffset,
  RefundReceivedBodySchema,
} from '#shared/schemas/clawback.ts';
import { problemsFromZod } from '#shared/schemas/zod-text.ts';
import { ENTERPRISE_USCC, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';

const totals = (claimedFen: number, clawedBackFen = 0) => ({
  leadId: 'ld_1',
  claimedFen,
  clawedBackFen,
  version: 1,
});

describe('what a clawback may claim', () => {
  it.each([
    ['paid at once', { state: 'PAID', rewardFen: 240_000_000 }, 240_000_000],
    ['staged, two of three stages paid', { state: 'APPROVED', rewardFen: 300, paidFen: 200 }, 200],
    ['approved, nothing paid', { state: 'APPROVED', rewardFen: 300 }, 0],
    ['rejected', { state: 'REJECTED', rewardFen: 0 }, 0],
  ])('paid so far: %s', (_, review, expected) => {
    expect(paidSoFarFen(review)).toBe(expected);
  });

  it.each([
    // [paid, claimed before, amount, refusal code or undefined]
    [240_000_000, 0, 240_000_000, undefined],
    [240_000_000, 0, 240_000_001, 'clawback_exceeds_paid'],
    [240_000_000, 100_000_000, 140_000_000, undefined],
    [240_000_000, 100_000_000, 140_000_001, 'clawback_exceeds_paid'],
    [240_000_000, 240_000_000, 1, 'clawback_exceeds_paid'],
    [0, 0, 1, 'not_paid'],
    [200, 0, 200, undefined],
  ])('paid %i, claimed %i, asking %i → %s', (paid, claimed, amount, code) => {
    const refusal = proposalRefusal('ld_1', paid, claimed === 0 ? undefined : totals(claimed), amount);
    expect(refusal?.code).toBe(code);
  });

  it('says in both languages how much is left', () => {
    const refusal = proposalRefusal('ld_1', 240_000_000, totals(100_000_000), 150_000_000);
    expect(refusal?.message.zh).toContain('可追回的 140000000 分');
    expect(refusal?.message.en).toContain('140000000 fen that may still be claimed');
    expect(claimableFen(240_000_000, totals(100_000_000))).toBe(140_000_000);
    expect(claimableFen(100, totals(100))).toBe(0);
  });

  it.each([
    ['propose', undefined, 50, { claimedFen: 50, clawedBackFen: 0, version: 1 }],
    ['propose', totals(50), 25, { claimedFen: 75, clawedBackFen: 0, version: 2 }],
    ['approve', totals(75), 50, { claimedFen: 75, clawedBackFen: 50, version: 2 }],
    ['reject', totals(75, 50), 25, { claimedFen: 50, clawedBackFen: 50, version: 2 }],
  ] as const)('totals after %s', (change, before, amount, expected) => {
    expect(totalsAfter('ld_1', before, change, amount)).toEqual({ leadId: 'ld_1', ...expected });
  });
});

describe('who decides', () => {
  const record = { clawbackId: 'cb_1', proposedBy: { userId: 'fin-a', role: 'finance' } } as ClawbackRecord;
  it('not the proposer', () => {
    expect(deciderRefusal('fin-a', record)?.zh).toContain('须由财务部门另一人审批');
    expect(deciderRefusal('fin-b', record)).toBeUndefined();
  });
});

describe('who records a refund received', () => {
  const approved = {
    clawbackId: 'cb_1',
    proposedBy: { userId: 'fin-a', role: 'finance' },
    decision: { outcome: 'approved', by: { userId: 'fin-b', role: 'finance' }, at: '', note: null },
  } as ClawbackRecord;
  it.each([
    ['the proposer', 'fin-a', true],
    ['the approver', 'fin-b', true],
    ['a third member of finance', 'fin-c', false],
  ])('%s: refused %s', (_who, userId, refused) => {
    const refusal = refundRecorderRefusal(userId, approved);
    expect(refusal !== undefined).toBe(refused);
    if (refused) {
      expect(refusal?.zh).toBe('追回 cb_1 由您提出（或审批），退款到账须由财务部门的另一人登记。');
      expect(refusal?.en).toContain('another member of finance records its refund');
    }
  });
  it('not yet decided: only the proposer is known', () => {
    const proposed = { ...approved, decision: null } as ClawbackRecord;
    expect(refundRecorderRefusal('fin-a', proposed)).toBeDefined();
    expect(refundRecorderRefusal('fin-b', proposed)).toBeUndefined();
  });
});

describe('offsets deducted from a later payment', () => {
  const offset = (
    clawbackId: string,
    leadId: string,
    remainingFen: number,
    approvedAt: string,
  ): OpenOffset => ({
    clawbackId,
    leadId,
    fundId: 'conversion-2019',
    remainingFen,
    approvedAt,
  });
  const a = offset('cb_a', 'ld_1', 100, '2026-01-01T00:00:00.000Z');
  const b = offset('cb_b', 'ld_2', 50, '2026-02-01T00:00:00.000Z');
  const c = offset('cb_c', 'ld_1', 30, '2026-03-01T00:00:00.000Z');

  it.each([
    ['none open', 500, [], []],
    [
      'a payment larger than every offset takes all, oldest first',
      500,
      [b, a],
      [
        ['cb_a', 100],
        ['cb_b', 50],
      ],
    ],
    ['a payment smaller than the oldest takes part of it', 60, [a, b], [['cb_a', 60]]],
    [
      'the rest goes to the next',
      120,
      [a, b],
      [
        ['cb_a', 100],
        ['cb_b', 20],
      ],
    ],
    ['one per clawed-back lead per payment', 500, [a, c], [['cb_a', 100]]],
    ['a payment of 0 takes nothing', 0, [a], []],
    [
      'a fully deducted offset is skipped',
      500,
      [offset('cb_z', 'ld_9', 0, '2025-01-01T00:00:00.000Z'), b],
      [['cb_b', 50]],
    ],
  ] as const)('%s', (_, payment, open, expected) => {
    const plans = planOffsetDeductions(payment, open);
    expect(plans.map((p) => [p.offset.clawbackId, p.amountFen])).toEqual(expected);
    expect(plans.reduce((sum, p) => sum + p.amountFen, 0)).toBeLessThanOrEqual(payment);
  });

  it('follows an introducer by credit code or resident ID, never a name', () => {
    expect(introducerIdentity({ type: 'leading_enterprise', name: '甲', uscc: ENTERPRISE_USCC })).toBe(
      `uscc\n${ENTERPRISE_USCC}`,
    );
    expect(introducerIdentity({ type: 'natural_person', name: '张三', residentId: PERSON_RESIDENT_ID })).toBe(
      `resident\n${PERSON_RESIDENT_ID}`,
    );
    expect(introducerIdentity({ type: 'intermediary', name: '某中介' })).toBeUndefined();
    expect(introducerIdentity({ type: 'none' })).toBeUndefined();
  });
});

describe('gross, recovered and net', () => {
  it('nets the approved clawbacks off what was paid, and counts what is back', () => {
    const received = [{ receivedFen: 40 }, { receivedFen: 0 }] as ClawbackRecord[];
    expect(recoverySummary(300, totals(100, 60), received)).toEqual({
      grossFen: 300,
      recoveredFen: 60,
      netFen: 240,
      receivedFen: 40,
    });
    expect(recoverySummary(300, undefined)).toEqual({
      grossFen: 300,
      recoveredFen: 0,
      netFen: 300,
      receivedFen: 0,
    });
  });
});

describe('request bodies', () => {
  it.each([
    [{ amount: '10万', reason: '未投产', method: 'refund' }, []],
    [{ amount: 0, reason: '未投产', method: 'refund' }, ['amount']],
    [{ amount: '10万', reason: ' ', method: 'refund' }, ['reason']],
    [{ amount: '10万', reason: '未投产', method: 'cash' }, ['method']],
    [{ amount: '10万', reason: '未投产' }, ['method']],
    [{ amount: '10万', reason: '未投产', method: 'offset', extra: 1 }, ['extra']],
  ])('%j → problems on %j', (body, fields) => {
    const parsed = ClawbackBodySchema.safeParse(body);
    expect(parsed.success ? [] : problemsFromZod(parsed.error).map((p) => p.field)).toEqual(fields);
  });

  it('takes the amount in yuan or Chinese units, as fen', () => {
    expect(ClawbackBodySchema.parse({ amount: '1.5万', reason: 'x', method: 'offset' }).amount).toBe(
      1_500_000,
    );
    expect(RefundReceivedBodySchema.safeParse({ reference: 'R-1', receivedOn: '2026-13-01' }).success).toBe(
      false,
    );
  });
});
