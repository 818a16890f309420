import { routeAccess } from '#infra/resources.ts';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { byRoute, withHttp, zodBody, zodQuery } from '#shared/middleware/with-http.ts';
import {
  ApproveBodySchema,
  CaseOutcomeBodySchema,
  PaidBodySchema,
  RejectBodySchema,
} from '#shared/schemas/fund.ts';
import { listRewards } from '#shared/use-cases/list-rewards.ts';
import {
  approveReward,
  markPaid,
  type ReviewDeps,
  recordCaseOutcome,
  rejectReward,
} from '#shared/use-cases/review-reward.ts';
import { RewardsQuerySchema } from '#shared/use-cases/rewards-query.ts';

/** Finance review routes, one function dispatching on the route key; each route is a thin chain. */
export function createHandler(deps: ReviewDeps) {
  const leadId = (p: Readonly<Record<string, string>>) => p.id ?? '';
  const routes = {
    'GET /rewards': withHttp(
      { access: routeAccess, query: zodQuery(RewardsQuerySchema) },
      async ({ query }) => ({ statusCode: 200, body: await listRewards(deps, query) }),
    ),
    'POST /leads/{id}/approve': withHttp(
      { access: routeAccess, body: zodBody(ApproveBodySchema) },
      async (r) => {
        const answer = await approveReward(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          note: r.body.note,
          collectiveDecision: r.body.collectiveDecision,
        });
        // 202: this sign-off is recorded, the approval still needs the ones named in `missing`.
        return { statusCode: answer.state === 'PENDING_SIGN_OFF' ? 202 : 200, body: answer };
      },
    ),
    'POST /leads/{id}/reject': withHttp(
      { access: routeAccess, body: zodBody(RejectBodySchema) },
      async (r) => ({
        statusCode: 200,
        body: await rejectReward(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          reason: r.body.reason,
        }),
      }),
    ),
    'POST /leads/{id}/case-outcome': withHttp(
      { access: routeAccess, body: zodBody(CaseOutcomeBodySchema) },
      async (r) => ({
        statusCode: 200,
        body: await recordCaseOutcome(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          ...r.body,
        }),
      }),
    ),
    'POST /leads/{id}/paid': withHttp({ access: routeAccess, body: zodBody(PaidBodySchema) }, async (r) => ({
      statusCode: 200,
      body: await markPaid(deps, {
        principal: r.principal,
        leadId: leadId(r.pathParameters),
        reference: r.body.reference,
      }),
    })),
  };
  return byRoute(routes, routeAccess);
}

export const handler = createHandler(productionAdapters());
