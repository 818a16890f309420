import type { Adapters } from '#shared/adapters/composition.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { ruleOf } from '#shared/policy/policy-schema.ts';
import { useLocalCloudEnv } from './api.ts';

/** The default policy's conversion fund, as `npm start` seeds it. */
export const DEFAULT_FUND = ruleOf(DEFAULT_POLICY, 'conversion_fund');

/**
 * Store handles on the shared local cloud with `kfq-2019` published and its fund open (both idempotent),
 * for tests that drive the fund over HTTP and look at the tables.
 */
export async function adaptersWithDefaultFund(): Promise<Adapters> {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  const { seedFund } = await import('#shared/adapters/dynamodb/dynamo-fund-store.ts');
  const adapters = productionAdapters();
  await adapters.policies.publish(DEFAULT_POLICY);
  await seedFund(adapters.audit, adapters.config.FUNDS_TABLE, {
    fundId: DEFAULT_FUND.fundId,
    totalFen: DEFAULT_FUND.totalFen,
  });
  return adapters;
}
