import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { invariantProblems } from '#shared/domain/fund.ts';
import { topUpFund } from '#shared/use-cases/admin.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';
import { fundTestKit } from './fund-support.ts';

/**
 * Issue 18 part 5, on the local engines: a claim on an empty fund joins the waitlist without applying the
 * earlier decisions whose allocations are still on their way (with several consumers, every one of them
 * applied every allocation in flight, and all but one of those transactions were cancelled); the order of
 * evaluation still holds, because money going back to the waitlist first applies the earlier ones.
 */

let adapters: Adapters;

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

const admin: Principal = { userId: 'admin-older-first', roles: ['admin'] };
const AMOUNT = 100_000_000;

describe('allocation on an empty fund', () => {
  it('waitlists a later claim without applying an earlier one in flight, and serves the earlier one first when money comes back', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(AMOUNT);
    const holder = await kit.evaluatedLead({ fundRequestFen: AMOUNT });
    expect(await kit.allocate(holder)).toBe('reserved');
    const earlier = await kit.evaluatedLead({ fundRequestFen: AMOUNT }); // its message still on its way
    const later = await kit.evaluatedLead({ fundRequestFen: AMOUNT });

    expect(await kit.allocate(later)).toBe('waitlisted');
    // Left to its own message: nothing to take, so its place in the waitlist is the same whoever writes it.
    expect(await adapters.funds.allocation(kit.fundId, earlier)).toBeUndefined();

    // Money back (a top-up here; a release or a clawback alike) goes to the earliest decision first.
    await topUpFund(kit.deps, { principal: admin, fundId: kit.fundId, amountFen: AMOUNT });
    expect(await adapters.funds.allocation(kit.fundId, earlier)).toMatchObject({
      state: 'reserved',
      reservedFen: AMOUNT,
    });
    expect(await adapters.funds.allocation(kit.fundId, later)).toMatchObject({ state: 'waitlisted' });
    expect((await adapters.funds.waitlist(kit.fundId, 10)).map((entry) => entry.leadId)).toEqual([later]);
    // Its own message, when it comes, finds the work done; its pending mark is gone.
    expect(await kit.allocate(earlier)).toBe('already_applied');
    const balance = await adapters.funds.balance(kit.fundId);
    expect(balance && invariantProblems(balance)).toEqual([]);
    expect(balance).toMatchObject({ totalFen: 2 * AMOUNT, availableFen: 0, reservedFen: 2 * AMOUNT });
  });
});
