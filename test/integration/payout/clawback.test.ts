import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import type { ClawbackStore } from '#shared/ports/clawbacks.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import {
  type ClawbackDeps,
  clawbacksOf,
  decideClawback,
  proposeClawback,
  recordRefundReceived,
} from '#shared/use-cases/clawback.ts';
import { approveReward, markPaid } from '#shared/use-cases/review-reward.ts';
import { makeValidResidentId } from '#test/fixtures/identifiers.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';
import { finance, fundTestKit } from '../fund/fund-support.ts';

/**
 * Clawback (追回, issue 17 part 6) through the use cases on the local engines: proposed by one member of
 * finance, approved by another (the reversal), a refund back into the fund once, an offset deducted from
 * the same introducer's next payment in that payment's transaction; proposals at once never claim more
 * than was paid. The fund tests' policy (payout gates off: no notice) pays at once after approval.
 */

let adapters: Adapters;
beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

/** An introducer nobody else uses: open offsets follow an introducer across every lead. */
function freshPerson(): Lead['introducer'] {
  const sequence = String(randomBytes(2).readUInt16BE() % 1000).padStart(3, '0');
  const day = String(1 + (randomBytes(1).readUInt8() % 28)).padStart(2, '0');
  const year = 1950 + (randomBytes(1).readUInt8() % 50);
  return {
    type: 'natural_person',
    name: '张引荐',
    residentId: makeValidResidentId('371502', `${year}03${day}`, sequence),
  };
}

async function kitWithFund() {
  const kit = fundTestKit(adapters);
  await kit.openFund(1_000_000_000);
  const deps = { ...kit.deps, clawbacks: adapters.clawbacks as ClawbackStore } satisfies ClawbackDeps;
  /** A lead of 1.2亿 in place (reward 240万) approved and paid, its introducer as given. */
  async function paidLead(introducer: Lead['introducer'], reference = 'BANK-1') {
    const leadId = await kit.evaluatedLead({ actualFen: 12_000_000_000, fundRequestFen: 0, introducer });
    const approved = await approveReward(deps, { principal: finance('approver'), leadId });
    expect(approved.state).toBe('APPROVED');
    const paid = await markPaid(deps, { principal: finance('payer'), leadId, reference });
    return { leadId, paid };
  }
  return { kit, deps, paidLead };
}

const REWARD = 240_000_000;

describe('clawback on the local engines', () => {
  it('refund: proposed, approved by another, received once into the fund; the payment never edited', async () => {
    const { kit, deps, paidLead } = await kitWithFund();
    const { leadId, paid } = await paidLead(freshPerson());
    expect(paid.rewardFen).toBe(REWARD);

    const { record: proposed } = await proposeClawback(deps, {
      principal: finance('fin-a'),
      leadId,
      amountFen: 100_000_000,
      reason: '项目未按约定投产',
      method: 'refund',
    });
    expect(proposed).toMatchObject({ state: 'PROPOSED', amountFen: 100_000_000, receivedFen: 0 });
    // The proposer does not approve it.
    await expect(
      decideClawback(deps, {
        principal: finance('fin-a'),
        leadId,
        clawbackId: proposed.clawbackId,
        outcome: 'approved',
        note: undefined,
      }),
    ).rejects.toMatchObject({ code: 'maker_checker' });
    // More than is left to claim: 240万 paid, 100万 proposed, 140万 left.
    await expect(
      proposeClawback(deps, {
        principal: finance('fin-a'),
        leadId,
        amountFen: 140_000_001,
        reason: '多余',
        method: 'refund',
      }),
    ).rejects.toMatchObject({ code: 'clawback_exceeds_paid' });

    const approved = await decideClawback(deps, {
      principal: finance('fin-b'),
      leadId,
      clawbackId: proposed.clawbackId,
      outcome: 'approved',
      note: '经集体研究同意追回',
    });
    expect(approved.state).toBe('APPROVED');
    await expect(
      decideClawback(deps, {
        principal: finance('fin-c'),
        leadId,
        clawbackId: proposed.clawbackId,
        outcome: 'rejected',
        note: 'x',
      }),
    ).rejects.toMatchObject({ code: 'clawback_decided' });
    expect((await clawbacksOf(deps, leadId)).summary).toEqual({
      grossFen: REWARD,
      recoveredFen: 100_000_000,
      netFen: 140_000_000,
      receivedFen: 0,
    });

    const before = await adapters.funds.balance(kit.fundId);
    const today = shanghaiDateOf(new Date());
    await expect(
      recordRefundReceived(deps, {
        principal: finance('fin-c'),
        leadId,
        clawbackId: proposed.clawbackId,
        reference: 'REFUND-1',
        receivedOn: '2030-01-01',
      }),
    ).rejects.toMatchObject({ problems: [{ field: 'receivedOn' }] });
    // Neither the proposer nor the approver records the refund (it raises the fund): nothing stored.
    for (const who of ['fin-a', 'fin-b']) {
      await expect(
        recordRefundReceived(deps, {
          principal: finance(who),
          leadId,
          clawbackId: proposed.clawbackId,
          reference: 'REFUND-1',
          receivedOn: today,
        }),
      ).rejects.toMatchObject({ name: 'ForbiddenError', code: 'maker_checker' });
    }
    expect(await adapters.funds.balance(kit.fundId)).toEqual(before);
    expect((await clawbacksOf(deps, leadId)).clawbacks[0]).toMatchObject({
      state: 'APPROVED',
      receivedFen: 0,
      refund: null,
    });
    const refusedEntries = await adapters.audit.query({
      subject: leadId,
      action: 'reward.clawback_refund_received',
      limit: 5,
    });
    expect(refusedEntries.entries).toEqual([]);
    // A third member of finance records it.
    const received = await recordRefundReceived(deps, {
      principal: finance('fin-c'),
      leadId,
      clawbackId: proposed.clawbackId,
      reference: 'REFUND-1',
      receivedOn: today,
    });
    expect(received).toMatchObject({
      replayed: false,
      record: { state: 'RECOVERED', receivedFen: 100_000_000 },
    });
    // A retry (the answer lost) is the same refund, not a second one.
    const again = await recordRefundReceived(deps, {
      principal: finance('fin-c'),
      leadId,
      clawbackId: proposed.clawbackId,
      reference: 'REFUND-1',
      receivedOn: today,
    });
    expect(again.replayed).toBe(true);
    // The same reference from the approver is no replay: still refused.
    await expect(
      recordRefundReceived(deps, {
        principal: finance('fin-b'),
        leadId,
        clawbackId: proposed.clawbackId,
        reference: 'REFUND-1',
        receivedOn: today,
      }),
    ).rejects.toMatchObject({ code: 'maker_checker' });
    await expect(
      recordRefundReceived(deps, {
        principal: finance('fin-c'),
        leadId,
        clawbackId: proposed.clawbackId,
        reference: 'REFUND-2',
        receivedOn: today,
      }),
    ).rejects.toMatchObject({ code: 'already_recovered' });
    const after = await adapters.funds.balance(kit.fundId);
    expect((after?.totalFen ?? 0) - (before?.totalFen ?? 0)).toBe(100_000_000);
    expect((after?.availableFen ?? 0) - (before?.availableFen ?? 0)).toBe(100_000_000);
    expect(after?.committedFen).toBe(before?.committedFen);

    // The payment is as it was; the reversal and its steps are entries of their own.
    expect(await adapters.reviews.review(leadId)).toEqual(paid);
    const { entries } = await adapters.audit.query({ subject: leadId, limit: 50 });
    expect(entries.map((e) => e.action).reverse()).toEqual(
      expect.arrayContaining([
        'reward.paid',
        'reward.clawback_proposed',
        'reward.clawback_approved',
        'reward.clawback_refund_received',
      ]),
    );
    const reversal = entries.find((e) => e.action === 'reward.clawback_approved');
    expect(reversal?.details).toMatchObject({ reversalFen: -100_000_000, proposedBy: 'fin-a' });
    expect(reversal?.actor.userId).toBe('fin-b');
    const refundEntry = entries.find((e) => e.action === 'reward.clawback_refund_received');
    expect(refundEntry?.actor.userId).toBe('fin-c');
  });

  it('proposals at once never claim more than was paid', async () => {
    const { deps, paidLead } = await kitWithFund();
    const { leadId } = await paidLead(freshPerson());
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        proposeClawback(deps, {
          principal: finance(`fin-${i}`),
          leadId,
          amountFen: 72_000_000, // 30% of 240万: three fit, not four
          reason: `第${i}次`,
          method: 'refund',
        }),
      ),
    );
    const made = results.filter((r) => r.status === 'fulfilled');
    expect(made).toHaveLength(3);
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'clawback_exceeds_paid' });
    const view = await clawbacksOf(deps, leadId);
    expect(view.clawbacks).toHaveLength(3);
    expect(view.claimableFen).toBe(REWARD - 3 * 72_000_000);

    // With an Idempotency-Key a retry is the same proposal, however many arrive at once; another body is 409.
    const keyed = {
      principal: finance('fin-k'),
      leadId,
      amountFen: 1_000,
      reason: '重试',
      method: 'refund' as const,
    };
    const retries = await Promise.all(
      [1, 2, 3].map(() => proposeClawback(deps, { ...keyed, idempotencyKey: 'cb-key-1' })),
    );
    expect(new Set(retries.map((r) => r.record.clawbackId)).size).toBe(1);
    expect(retries.filter((r) => !r.replayed).length).toBeLessThanOrEqual(1);
    await expect(
      proposeClawback(deps, { ...keyed, amountFen: 2_000, idempotencyKey: 'cb-key-1' }),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    expect((await clawbacksOf(deps, leadId)).clawbacks).toHaveLength(4);

    // A rejection gives the amount back to claim.
    const [first] = view.clawbacks;
    if (first === undefined) throw new Error('no clawback');
    await decideClawback(deps, {
      principal: finance('checker'),
      leadId,
      clawbackId: first.clawbackId,
      outcome: 'rejected',
      note: '证据不足',
    });
    expect((await clawbacksOf(deps, leadId)).claimableFen).toBe(REWARD - 2 * 72_000_000 - 1_000);
  });

  it('offset: deducted from the same introducer’s next payment, in its transaction, into the fund; others untouched', async () => {
    const { kit, deps, paidLead } = await kitWithFund();
    const introducer = freshPerson();
    const first = await paidLead(introducer);
    // Not yet paid: nothing to claw back.
    const unpaid = await kit.evaluatedLead({ actualFen: 12_000_000_000, fundRequestFen: 0, introducer });
    await approveReward(deps, { principal: finance('approver'), leadId: unpaid });
    await expect(
      proposeClawback(deps, {
        principal: finance('fin-a'),
        leadId: unpaid,
        amountFen: 1,
        reason: 'x',
        method: 'offset',
      }),
    ).rejects.toMatchObject({ code: 'not_paid' });

    const { record: proposed } = await proposeClawback(deps, {
      principal: finance('fin-a'),
      leadId: first.leadId,
      amountFen: REWARD, // the whole reward
      reason: '引荐材料不实',
      method: 'offset',
    });
    await decideClawback(deps, {
      principal: finance('fin-b'),
      leadId: first.leadId,
      clawbackId: proposed.clawbackId,
      outcome: 'approved',
      note: undefined,
    });
    // Another introducer's payment deducts nothing.
    const other = await paidLead(freshPerson());
    expect(other.paid.payment?.deductions).toBeUndefined();

    const before = await adapters.funds.balance(kit.fundId);
    const paid = await markPaid(deps, { principal: finance('payer'), leadId: unpaid, reference: 'BANK-2' });
    expect(paid.payment?.deductions).toEqual([
      { clawbackId: proposed.clawbackId, fromLeadId: first.leadId, amountFen: REWARD },
    ]);
    const after = await adapters.funds.balance(kit.fundId);
    expect((after?.totalFen ?? 0) - (before?.totalFen ?? 0)).toBe(REWARD);

    const view = await clawbacksOf(deps, first.leadId);
    expect(view.clawbacks[0]).toMatchObject({
      state: 'RECOVERED',
      receivedFen: REWARD,
      deductions: [{ leadId: unpaid, stage: null, amountFen: REWARD }],
    });
    expect(view.summary).toMatchObject({
      grossFen: REWARD,
      recoveredFen: REWARD,
      netFen: 0,
      receivedFen: REWARD,
    });
    // Fully deducted: a third payment of the same introducer deducts nothing more.
    const third = await paidLead(introducer, 'BANK-3');
    expect(third.paid.payment?.deductions).toBeUndefined();
    const paymentEntry = (await adapters.audit.query({ subject: unpaid, action: 'reward.paid', limit: 5 }))
      .entries[0];
    expect(paymentEntry?.details).toMatchObject({ deductedFen: REWARD, netPaidFen: 0 });
  });
});
