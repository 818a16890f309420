import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { invariantProblems } from '#shared/domain/fund.ts';
import { ConflictError } from '#shared/errors.ts';
import type { Policy } from '#shared/policy/policy-schema.ts';
import { evaluateLeadRevision } from '#shared/use-cases/evaluate-lead-revision.ts';
import { reportActualInvestment } from '#shared/use-cases/report-actual-investment.ts';
import { approveReward, rejectReward } from '#shared/use-cases/review-reward.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';
import { afterApply, finance, fundTestKit } from './fund-support.ts';

/**
 * Issue 12, defects 4 and 5, on the local engines: a lead's claim follows the lead (never stranded in a
 * fund its decision no longer names), a claim driven to 0 keeps its record whether it held money or
 * waited, and a held claim whose cap rises waits behind the waitlist.
 */

let adapters: Adapters;

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

type Kit = ReturnType<typeof fundTestKit>;
const WAN = 1_000_000; // 1万元 in fen

async function report(kit: Kit, deps: Kit['deps'], leadId: string, amountFen: number) {
  const { revision } = await reportActualInvestment(deps, { principal: kit.submitter, leadId, amountFen });
  await evaluateLeadRevision(deps, { schemaVersion: 1, leadId, revision });
  return revision;
}

async function expectSound(fundId: string) {
  const balance = await adapters.funds.balance(fundId);
  expect(balance && invariantProblems(balance)).toEqual([]);
  return balance;
}

describe('a lead’s claim on the fund', () => {
  it('is released from a fund that a back-dated policy version no longer names, and a closed fund answers 409', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(5_000 * WAN);
    const leadId = await kit.evaluatedLead({ fundRequestFen: 1_000 * WAN });
    expect(await kit.allocate(leadId)).toBe('reserved');

    // A version published later, effective back before the lead's submission, names another fund.
    const nextFundId = `${kit.fundId}-next`;
    const backDated: Policy = {
      ...kit.policy,
      version: `${kit.policy.version}-v2`,
      effectiveFrom: '2020-01-01T00:00:00+08:00',
      rules: kit.policy.rules.map((rule) =>
        rule.type === 'conversion_fund' ? { ...rule, fundId: nextFundId } : rule,
      ),
    };
    const deps = {
      ...kit.deps,
      policies: { all: async () => [kit.policy, backDated], publish: kit.deps.policies.publish },
    };
    const revision = await report(kit, deps, leadId, 12_000 * WAN);
    const decision = (await adapters.leads.decisions(leadId)).find((d) => d.revision === revision);
    expect(decision?.decision.fund.fundId).toBe(nextFundId);

    // The new fund is not open: approval is a conflict naming it, never a 500.
    const approval = approveReward(deps, { principal: finance('finance-4'), leadId });
    await expect(approval).rejects.toBeInstanceOf(ConflictError);
    await expect(approval).rejects.toMatchObject({ code: 'fund_not_open' });

    // The old claim went back to its fund, audited, whatever happens to the new one.
    expect(await adapters.funds.allocation(kit.fundId, leadId)).toMatchObject({
      state: 'released',
      reservedFen: 0,
    });
    expect(await expectSound(kit.fundId)).toMatchObject({ reservedFen: 0, availableFen: 5_000 * WAN });
    const trail = await adapters.audit.query({ subject: leadId, limit: 100 });
    expect(trail.entries.map((entry) => entry.action)).toContain('fund.released_for_other_fund');

    // Once the admin opens the new fund, the lead's claim lives there only.
    await adapters.funds.open(
      { fundId: nextFundId, totalFen: 3_000 * WAN, at: adapters.clock.now().toISOString() },
      {
        at: adapters.clock.now().toISOString(),
        actor: { userId: 'test-admin', role: 'admin' },
        action: 'fund.opened',
        subject: `fund:${nextFundId}`,
        inputHash: null,
        policyVersion: null,
        details: { fundId: nextFundId },
      },
    );
    const approved = await approveReward(deps, { principal: finance('finance-4'), leadId });
    expect(approved).toMatchObject({ state: 'APPROVED', fundFen: 1_000 * WAN });
    expect(await expectSound(nextFundId)).toMatchObject({ committedFen: 1_000 * WAN });
    expect(await expectSound(kit.fundId)).toMatchObject({ committedFen: 0, reservedFen: 0 });
  });

  it('keeps the record of a waiting claim driven to 0, as of a held one, and lets either grow again', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(1_000 * WAN);
    const holder = await kit.evaluatedLead({ fundRequestFen: 1_000 * WAN });
    const waiter = await kit.evaluatedLead({ fundRequestFen: 500 * WAN });
    expect(await kit.allocate(holder)).toBe('reserved');
    expect(await kit.allocate(waiter)).toBe('waitlisted');

    // Verified actual investment 0: both caps fall to 0.
    for (const leadId of [waiter, holder]) {
      const revision = await report(kit, kit.deps, leadId, 0);
      await kit.allocate(leadId, revision);
    }
    for (const leadId of [waiter, holder]) {
      expect(await adapters.funds.allocation(kit.fundId, leadId)).toMatchObject({
        state: 'reserved',
        reservedFen: 0,
        revision: 2,
      });
    }
    expect((await adapters.funds.waitlist(kit.fundId, 10)).length).toBe(0);

    // A later, corrected report: the waiter asks again and gets its share.
    const revision = await report(kit, kit.deps, waiter, 12_000 * WAN);
    expect(await kit.allocate(waiter, revision)).toBe('adjusted');
    expect(await adapters.funds.allocation(kit.fundId, waiter)).toMatchObject({
      state: 'reserved',
      reservedFen: 500 * WAN,
    });
    await expectSound(kit.fundId);
  });

  it('lets a held claim whose cap rises wait behind the waitlist, even while released money is not yet served', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(1_500 * WAN);
    // Planned 5000万: 10% of it, 500万, bounds the first lead's cap; a verified 1亿 raises it to 1000万.
    const riser = await kit.evaluatedLead({ plannedFen: 5_000 * WAN, fundRequestFen: 1_000 * WAN });
    const rejected = await kit.evaluatedLead({ fundRequestFen: 1_000 * WAN });
    const waiter = await kit.evaluatedLead({ fundRequestFen: 1_000 * WAN });
    expect(await kit.allocate(riser)).toBe('reserved');
    expect(await kit.allocate(rejected)).toBe('reserved');
    expect(await kit.allocate(waiter)).toBe('waitlisted');

    // The rejection's transaction lands, then the process dies before it serves the waitlist.
    const crashing = {
      ...kit.deps,
      funds: afterApply(adapters.funds, () => {
        throw new Error('crash after the release');
      }),
    };
    await expect(
      rejectReward(crashing, { principal: finance('finance-5'), leadId: rejected, reason: 'x' }),
    ).rejects.toThrow('crash after the release');
    expect(await adapters.funds.balance(kit.fundId)).toMatchObject({
      availableFen: 1_000 * WAN,
      waitingCount: 1,
    });

    const revision = await report(kit, kit.deps, riser, 10_000 * WAN);
    expect(await kit.allocate(riser, revision)).toBe('adjusted');
    expect(await adapters.funds.allocation(kit.fundId, riser)).toMatchObject({
      state: 'waitlisted',
      reservedFen: 500 * WAN,
      wantFen: 500 * WAN,
    });

    // Serving (the reconciler's round after the crash) gives the earlier waiter the money first.
    const { serveWaitlist } = await import('#shared/use-cases/allocate-fund.ts');
    await serveWaitlist(kit.deps, kit.fundId);
    expect(await adapters.funds.allocation(kit.fundId, waiter)).toMatchObject({
      state: 'reserved',
      reservedFen: 1_000 * WAN,
    });
    expect(await adapters.funds.allocation(kit.fundId, riser)).toMatchObject({
      state: 'waitlisted',
      reservedFen: 500 * WAN,
    });
    await expectSound(kit.fundId);
  });

  it('keeps its place when its allocation message is lost: a lead decided later applies it first', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(1_000 * WAN);
    const earlier = await kit.evaluatedLead({ fundRequestFen: 1_000 * WAN }); // its message is lost
    const later = await kit.evaluatedLead({ fundRequestFen: 1_000 * WAN });
    expect(await kit.allocate(later)).toBe('waitlisted');
    expect(await adapters.funds.allocation(kit.fundId, earlier)).toMatchObject({
      state: 'reserved',
      reservedFen: 1_000 * WAN,
    });
    // Its pending mark is gone with it: the reconciler has nothing left to send.
    const pending = await adapters.leads.duePending('allocation', {
      waitingSinceBefore: '9999',
      at: adapters.clock.now().toISOString(),
      limit: 1000,
      ignoreBackoff: true,
    });
    expect(pending.map((work) => work.leadId)).not.toContain(earlier);
    expect(await kit.allocate(earlier)).toBe('already_applied');
    await expectSound(kit.fundId);
  });
});
