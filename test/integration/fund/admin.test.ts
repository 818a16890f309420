import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { ConflictError } from '#shared/errors.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { noFundMetrics } from '#shared/ports/funds.ts';
import { publishPolicy, topUpFund } from '#shared/use-cases/admin.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';
import { fundTestKit } from './fund-support.ts';

let adapters: Adapters;
const admin = { userId: 'admin-1', roles: ['admin' as const] };

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

describe('policy admin on the local engines', () => {
  it('publishes a version that the policy store reads back, audited, and refuses the same version again', async () => {
    // Far in the future, so no lead of another test is evaluated under it.
    const minute = String(randomInt(0, 60)).padStart(2, '0');
    const hour = String(randomInt(0, 24)).padStart(2, '0');
    const policy = {
      ...DEFAULT_POLICY,
      version: `kfq-test-${randomInt(1e9)}`,
      effectiveFrom: `2099-0${randomInt(1, 10)}-1${randomInt(0, 10)}T${hour}:${minute}:00+08:00`,
    };
    const deps = { policies: adapters.policies, publisher: adapters.publisher, clock: adapters.clock };
    const published = await publishPolicy(deps, { principal: admin, policy });
    expect(published.version).toBe(policy.version);
    expect((await adapters.policies.all()).find((p) => p.version === policy.version)).toEqual(policy);
    await expect(publishPolicy(deps, { principal: admin, policy })).rejects.toBeInstanceOf(ConflictError);
    const entries = await adapters.audit.query({ subject: `policy:${policy.version}`, limit: 10 });
    expect(entries.entries.map((e) => e.action)).toEqual(['policy.published']);
  });

  it('serves the waitlist in order of evaluation when the fund is topped up', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(100_000_000);
    const first = await kit.evaluatedLead({ fundRequestFen: 100_000_000 });
    const second = await kit.evaluatedLead({ fundRequestFen: 100_000_000 });
    const third = await kit.evaluatedLead({ fundRequestFen: 100_000_000 });
    expect(await kit.allocate(first)).toBe('reserved');
    // `third`'s message comes first; `second`, decided before it, is applied first all the same.
    await kit.allocate(third);
    await kit.allocate(second);
    const waiting = await adapters.funds.waitlist(kit.fundId, 10);
    expect(waiting.map((entry) => entry.leadId)).toEqual([second, third]);
    const view = await topUpFund(
      { funds: adapters.funds, clock: adapters.clock, fundMetrics: noFundMetrics },
      { principal: admin, fundId: kit.fundId, amountFen: 150_000_000 },
    );
    // `second` was evaluated before `third`: it is served in full, `third` gets what is left.
    expect(await adapters.funds.allocation(kit.fundId, second)).toMatchObject({
      state: 'reserved',
      reservedFen: 100_000_000,
    });
    expect(await adapters.funds.allocation(kit.fundId, third)).toMatchObject({
      state: 'reserved',
      reservedFen: 50_000_000,
    });
    expect(view).toMatchObject({
      totalFen: 250_000_000,
      availableFen: 0,
      reservedFen: 250_000_000,
      waitlist: [],
    });
  });
});
