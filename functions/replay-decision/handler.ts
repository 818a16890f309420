import { routeAccess } from '#infra/resources.ts';
import { keyedHashingAdapters, withPoliciesAsStored } from '#shared/adapters/hashing-adapters.ts';
import { withHttp } from '#shared/middleware/with-http.ts';
import { type ReplayDecisionDeps, replayDecision, revisionOf } from '#shared/use-cases/replay-decision.ts';

/** POST /leads/{id}/decisions/{revision}/replay: recompute a recorded decision and compare. */
export function createHandler(deps: ReplayDecisionDeps) {
  return withHttp({ access: routeAccess }, async ({ pathParameters }) => ({
    statusCode: 200,
    body: await replayDecision(deps, {
      leadId: pathParameters.id ?? '',
      revision: revisionOf(pathParameters.revision),
    }),
  }));
}

export const handler = createHandler(withPoliciesAsStored(keyedHashingAdapters()));
