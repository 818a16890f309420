import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { invariantProblems } from '#shared/domain/fund.ts';
import { ConflictError, ForbiddenError } from '#shared/errors.ts';
import { evaluateLeadRevision } from '#shared/use-cases/evaluate-lead-revision.ts';
import { reportActualInvestment } from '#shared/use-cases/report-actual-investment.ts';
import { approveReward, markPaid, rejectReward } from '#shared/use-cases/review-reward.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';
import { finance, fundTestKit } from './fund-support.ts';

let adapters: Adapters;

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

const CAP_FEN = 100_000_000;

type Kit = ReturnType<typeof fundTestKit>;

/** Reports the actual investment as the sector team, then runs the re-evaluation and its allocation. */
async function verify(kit: Kit, leadId: string, amountFen: number) {
  const { revision } = await reportActualInvestment(kit.deps, {
    principal: kit.submitter,
    leadId,
    amountFen,
  });
  await evaluateLeadRevision(kit.deps, { schemaVersion: 1, leadId, revision });
  await kit.allocate(leadId, revision);
  return revision;
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConflictError) return `409 ${error.code}`;
    if (error instanceof ForbiddenError) return '403';
    throw error;
  }
  return 'accepted';
}

describe('finance review on the local engines', () => {
  it('approves a verified lead before its queued allocation arrives, and the late message changes nothing', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(10 * CAP_FEN);
    // Verified at intake: payable on revision 1; its allocation message is still in the queue (kit.sent).
    const leadId = await kit.evaluatedLead({ actualFen: 12_000_000_000, fundRequestFen: CAP_FEN });
    expect(kit.sent.map((message) => message.leadId)).toEqual([leadId]);

    const approved = await approveReward(kit.deps, { principal: finance('finance-early'), leadId });
    expect(approved).toMatchObject({ state: 'APPROVED', rewardFen: 240_000_000, fundFen: CAP_FEN });
    expect(await kit.allocate(leadId)).not.toBe('reserved');
    const balance = await adapters.funds.balance(kit.fundId);
    expect(balance).toMatchObject({ committedFen: CAP_FEN, reservedFen: 0, availableFen: 9 * CAP_FEN });
  });

  it('refuses approval before the verified investment, refuses the submitter, approves once and pays once', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(10 * CAP_FEN);
    const leadId = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    await kit.allocate(leadId);

    expect(await refusal(approveReward(kit.deps, { principal: finance('finance-1'), leadId }))).toBe(
      '409 not_payable',
    );

    await verify(kit, leadId, 12_000_000_000);
    const selfApproval = approveReward(kit.deps, {
      principal: { userId: kit.submitter.userId, roles: ['finance'] },
      leadId,
    });
    expect(await refusal(selfApproval)).toBe('403');

    const approved = await approveReward(kit.deps, { principal: finance('finance-1'), leadId, note: 'ok' });
    expect(approved).toMatchObject({ state: 'APPROVED', rewardFen: 240_000_000, fundFen: CAP_FEN });
    expect(await refusal(approveReward(kit.deps, { principal: finance('finance-2'), leadId }))).toBe(
      '409 already_reviewed',
    );
    expect(await adapters.funds.balance(kit.fundId)).toMatchObject({ reservedFen: 0, committedFen: CAP_FEN });

    expect(
      await refusal(markPaid(kit.deps, { principal: finance('finance-1'), leadId, reference: 'P-1' })),
    ).toBe('403');
    const paid = await markPaid(kit.deps, { principal: finance('finance-2'), leadId, reference: 'P-1' });
    expect(paid.payment?.reference).toBe('P-1');
    expect(
      await refusal(markPaid(kit.deps, { principal: finance('finance-3'), leadId, reference: 'P-2' })),
    ).toBe('409 already_paid');
    expect((await adapters.leads.get(leadId))?.status).toBe('PAID');
    const paidEntries = await adapters.audit.query({ subject: leadId, action: 'reward.paid', limit: 10 });
    expect(paidEntries.entries).toHaveLength(1);
  });

  it('lowers the reservation when the verified investment lowers the cap, releasing the difference', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(10 * CAP_FEN);
    const leadId = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    await kit.allocate(leadId);
    await verify(kit, leadId, 600_000_000); // 600万元: 10% = 60万元 < the 100万元 request
    expect(await adapters.funds.allocation(kit.fundId, leadId)).toMatchObject({
      revision: 2,
      reservedFen: 60_000_000,
    });
    expect(await adapters.funds.balance(kit.fundId)).toMatchObject({
      availableFen: 10 * CAP_FEN - 60_000_000,
      reservedFen: 60_000_000,
    });
  });

  it('keeps the fund invariant after every step of any interleaving of allocate, approve, reject and verify', async () => {
    const step = fc.record({
      kind: fc.constantFrom('allocate', 'approve', 'reject', 'verify'),
      lead: fc.integer({ min: 0, max: 3 }),
      actualFen: fc.constantFrom(600_000_000, 12_000_000_000, 1_500_000_000),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 10 }), async (steps) => {
        const kit = fundTestKit(adapters);
        await kit.openFund(2 * CAP_FEN + 33_333_333);
        const leads: string[] = [];
        for (let i = 0; i < 4; i += 1) leads.push(await kit.evaluatedLead({ fundRequestFen: CAP_FEN }));
        for (const { kind, lead, actualFen } of steps) {
          const leadId = leads[lead] ?? '';
          const record = await adapters.leads.get(leadId);
          const action =
            kind === 'allocate'
              ? kit.allocate(leadId, record?.latestRevision ?? 1)
              : kind === 'approve'
                ? approveReward(kit.deps, { principal: finance('finance-1'), leadId })
                : kind === 'reject'
                  ? rejectReward(kit.deps, {
                      principal: finance('finance-1'),
                      leadId,
                      reason: 'property test',
                    })
                  : verify(kit, leadId, actualFen);
          await refusal(action); // refusals (409) are expected answers; anything else fails the run
          const balance = await adapters.funds.balance(kit.fundId);
          if (balance === undefined) throw new Error('fund vanished');
          expect(invariantProblems(balance)).toEqual([]);
          // The balance agrees with the allocations that make it up.
          const allocations = await Promise.all(leads.map((id) => adapters.funds.allocation(kit.fundId, id)));
          const reserved = allocations.reduce((sum, a) => sum + (a?.reservedFen ?? 0), 0);
          const committed = allocations.reduce((sum, a) => sum + (a?.committedFen ?? 0), 0);
          expect({ reserved, committed }).toEqual({
            reserved: balance.reservedFen,
            committed: balance.committedFen,
          });
        }
      }),
      { numRuns: 15 },
    );
  }, 180_000);
});
