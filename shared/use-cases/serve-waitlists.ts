import { ruleOf } from '#shared/policy/policy-schema.ts';
import type { PolicyStore } from '#shared/ports/policies.ts';
import { type FundDeps, reportAvailability, serveWaitlist } from './allocate-fund.ts';

export interface ServeWaitlistsDeps extends FundDeps {
  readonly policies: Pick<PolicyStore, 'all'>;
}

/**
 * Hands money that is available to the leads waiting for it, in every fund a policy version names.
 * Releases and top-ups serve the waitlist themselves; this scheduled pass covers the moment in between
 * (a crash after the release, before the serving), so a waiting lead never waits for an unrelated event.
 */
export async function serveAllWaitlists(deps: ServeWaitlistsDeps): Promise<Record<string, number>> {
  const fundIds = new Set(
    (await deps.policies.all()).map((policy) => ruleOf(policy, 'conversion_fund').fundId),
  );
  const served: Record<string, number> = {};
  for (const fundId of [...fundIds].sort()) {
    served[fundId] = await serveWaitlist(deps, fundId);
    if (served[fundId] > 0) await reportAvailability(deps, fundId);
  }
  return served;
}
