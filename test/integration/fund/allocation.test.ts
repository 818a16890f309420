import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { invariantProblems } from '#shared/domain/fund.ts';
import { allocateFund } from '#shared/use-cases/allocate-fund.ts';
import { rejectReward } from '#shared/use-cases/review-reward.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';
import { afterApply, finance, fundTestKit } from './fund-support.ts';

let adapters: Adapters;

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

const CAP_FEN = 100_000_000; // a fund request of 100万元 is below the 10% share and the per-project cap

async function actions(leadId: string, action: string) {
  const page = await adapters.audit.query({ subject: leadId, action, limit: 100 });
  return page.entries.length;
}

describe('fund allocation on the local engines', () => {
  it('reserves exactly 30 of 50 concurrent allocations against room for 30, waitlists 20, and a rejection moves the first waitlisted lead up', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(30 * CAP_FEN);
    const leadIds: string[] = [];
    for (let i = 0; i < 50; i += 1) leadIds.push(await kit.evaluatedLead({ fundRequestFen: CAP_FEN }));

    await Promise.all(leadIds.map((leadId) => kit.allocate(leadId)));
    // Whichever message came first, the fund follows the order of evaluation: the 30 leads decided first
    // hold the money (a later lead applies an earlier one's allocation before its own), the rest wait.
    const states = await Promise.all(
      leadIds.map(async (leadId) => (await adapters.funds.allocation(kit.fundId, leadId))?.state),
    );
    expect(states.slice(0, 30)).toEqual(Array(30).fill('reserved'));
    expect(states.slice(30)).toEqual(Array(20).fill('waitlisted'));

    const balance = await adapters.funds.balance(kit.fundId);
    expect(balance).toMatchObject({
      totalFen: 30 * CAP_FEN,
      availableFen: 0,
      reservedFen: 30 * CAP_FEN,
      committedFen: 0,
    });
    expect(balance && invariantProblems(balance)).toEqual([]);
    const waitlist = await adapters.funds.waitlist(kit.fundId, 100);
    expect(waitlist).toHaveLength(20);
    const order = waitlist.map((entry) => `${entry.evaluatedAt}#${entry.leadId}`);
    expect(order).toEqual([...order].sort());

    const first = waitlist[0]?.leadId ?? '';
    const reservedLead = leadIds[0] ?? '';
    await rejectReward(kit.deps, {
      principal: finance('finance-1'),
      leadId: reservedLead,
      reason: 'not eligible after review',
    });

    expect(await adapters.funds.allocation(kit.fundId, reservedLead)).toMatchObject({
      state: 'released',
      reservedFen: 0,
    });
    expect(await adapters.funds.allocation(kit.fundId, first)).toMatchObject({
      state: 'reserved',
      reservedFen: CAP_FEN,
    });
    const after = await adapters.funds.waitlist(kit.fundId, 100);
    expect(after.map((e) => e.leadId)).toEqual(waitlist.slice(1).map((e) => e.leadId));
    const balanceAfter = await adapters.funds.balance(kit.fundId);
    expect(balanceAfter).toMatchObject({ availableFen: 0, reservedFen: 30 * CAP_FEN });
  }, 120_000);

  it('makes one reservation and one audit entry when the same message is delivered three times', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(10 * CAP_FEN);
    const leadId = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    const outcomes = await Promise.all([kit.allocate(leadId), kit.allocate(leadId), kit.allocate(leadId)]);
    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already_applied')).toHaveLength(2);
    expect(await adapters.funds.balance(kit.fundId)).toMatchObject({
      availableFen: 9 * CAP_FEN,
      reservedFen: CAP_FEN,
    });
    expect(await actions(leadId, 'fund.reserved')).toBe(1);
  });

  it('changes nothing on redelivery after a crash that followed the transaction', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(10 * CAP_FEN);
    const leadId = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    let crashed = false;
    const crashing = afterApply(adapters.funds, () => {
      if (!crashed) {
        crashed = true;
        throw new Error('crash after the transaction');
      }
    });
    await expect(allocateFund({ ...kit.deps, funds: crashing }, kit.message(leadId))).rejects.toThrow(
      'crash',
    );
    const before = await adapters.funds.balance(kit.fundId);
    expect(await allocateFund({ ...kit.deps, funds: crashing }, kit.message(leadId))).toBe('already_applied');
    expect(await adapters.funds.balance(kit.fundId)).toEqual(before);
    expect(before).toMatchObject({ availableFen: 9 * CAP_FEN, reservedFen: CAP_FEN });
    expect(await actions(leadId, 'fund.reserved')).toBe(1);
  });

  it('reserves what is left when the fund holds less than the cap, and waitlists only when nothing is left', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(CAP_FEN + CAP_FEN / 2);
    const a = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    const b = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    const c = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    expect(await kit.allocate(a)).toBe('reserved');
    expect(await kit.allocate(b)).toBe('partially_reserved');
    expect(await kit.allocate(c)).toBe('waitlisted');
    expect(await adapters.funds.allocation(kit.fundId, b)).toMatchObject({
      reservedFen: CAP_FEN / 2,
      state: 'reserved',
    });
    const balance = await adapters.funds.balance(kit.fundId);
    expect(balance && invariantProblems(balance)).toEqual([]);
  });
});
