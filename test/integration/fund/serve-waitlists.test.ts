import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { invariantProblems } from '#shared/domain/fund.ts';
import { serveAllWaitlists } from '#shared/use-cases/serve-waitlists.ts';
import { lambdaContext } from '#test/fixtures/events.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';
import { fundTestKit } from './fund-support.ts';

let adapters: Adapters;

beforeAll(async () => {
  useLocalCloudEnv();
  // The scheduled function below runs on the real clock: a setting of a century keeps it from sending
  // again what other test files leave waiting (its resending is tested with a stopped clock elsewhere).
  process.env.RECONCILE_AFTER_SECONDS = String(100 * 365 * 24 * 3600);
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

const CAP_FEN = 100_000_000;

describe('the scheduled waitlist pass', () => {
  it('hands money released by a step that stopped before serving to the first lead waiting', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(CAP_FEN);
    const first = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    const waiting = await kit.evaluatedLead({ fundRequestFen: CAP_FEN });
    expect(await kit.allocate(first)).toBe('reserved');
    expect(await kit.allocate(waiting)).toBe('waitlisted');

    // A release whose process stopped before it served the waitlist (only the release is written).
    const reserved = await adapters.funds.allocation(kit.fundId, first);
    if (reserved === undefined) throw new Error('no allocation');
    const at = adapters.clock.now().toISOString();
    const released = await adapters.funds.apply(
      {
        fundId: kit.fundId,
        at,
        move: { kind: 'release', amountFen: CAP_FEN },
        allocation: {
          before: reserved,
          after: { ...reserved, state: 'released', reservedFen: 0, updatedAt: at },
        },
      },
      {
        at,
        actor: { userId: 'test', role: 'system' },
        action: 'fund.released',
        subject: first,
        inputHash: null,
        policyVersion: null,
        details: { fundId: kit.fundId },
      },
    );
    expect(released.applied).toBe(true);
    expect(await adapters.funds.waitlist(kit.fundId, 10)).toHaveLength(1);

    expect(await serveAllWaitlists(kit.deps)).toEqual({ [kit.fundId]: 1 });
    expect(await adapters.funds.allocation(kit.fundId, waiting)).toMatchObject({
      state: 'reserved',
      reservedFen: CAP_FEN,
    });
    expect(await adapters.funds.waitlist(kit.fundId, 10)).toHaveLength(0);
    const balance = await adapters.funds.balance(kit.fundId);
    if (balance === undefined) throw new Error('no balance');
    expect(invariantProblems(balance)).toEqual([]);
    expect(balance).toMatchObject({ availableFen: 0, reservedFen: CAP_FEN });
    // A second pass finds nothing to do.
    expect(await serveAllWaitlists(kit.deps)).toEqual({ [kit.fundId]: 0 });
  });

  it('runs in the scheduled reconciler over every fund the published policies name', async () => {
    const { handler } = await import('#functions/reconcile/handler.ts');
    const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.scheduler', detail: {} } as never;
    const { served, work } = await handler(scheduled, lambdaContext('reconcile'));
    expect(Object.keys(served)).toContain('conversion-2019');
    expect(work.evaluation).toMatchObject({ failed: 0 });
  });
});
