import { routeAccess } from '#infra/resources.ts';
import { dynamoDbClient } from '#shared/adapters/aws-clients.ts';
import { DynamoProjectStore } from '#shared/adapters/dynamodb/dynamo-project-store.ts';
import { DynamoStageStore } from '#shared/adapters/dynamodb/dynamo-stage-store.ts';
import { keyedHashingAdapters } from '#shared/adapters/hashing-adapters.ts';
import { optionalIdempotencyKey } from '#shared/middleware/idempotency-key.ts';
import { byRoute, withHttp, zodBody, zodQuery } from '#shared/middleware/with-http.ts';
import {
  ClawbackBodySchema,
  ClawbackDecisionBodySchema,
  ClawbackRejectionBodySchema,
  RefundReceivedBodySchema,
} from '#shared/schemas/clawback.ts';
import {
  DiscretionaryPaidBodySchema,
  DiscretionaryRejectBodySchema,
  DiscretionaryRewardBodySchema,
  DiscretionarySignOffBodySchema,
  DiscretionaryYearQuerySchema,
} from '#shared/schemas/discretionary-reward.ts';
import {
  ApproveBodySchema,
  CaseOutcomeBodySchema,
  PaidBodySchema,
  RejectBodySchema,
} from '#shared/schemas/fund.ts';
import { StageApprovalBodySchema, StagePaidBodySchema } from '#shared/schemas/stage.ts';
import {
  type ClawbackDeps,
  clawbacksOf,
  decideClawback,
  proposeClawback,
  recordRefundReceived,
} from '#shared/use-cases/clawback.ts';
import {
  type DiscretionaryDeps,
  discretionaryOfLead,
  discretionaryOfYear,
  payDiscretionary,
  proposeDiscretionary,
  rejectDiscretionary,
  signOffDiscretionary,
} from '#shared/use-cases/discretionary-rewards.ts';
import { listRewards } from '#shared/use-cases/list-rewards.ts';
import { approveReward, markPaid, recordCaseOutcome, rejectReward } from '#shared/use-cases/review-reward.ts';
import { RewardsQuerySchema } from '#shared/use-cases/rewards-query.ts';
import { approveStage, payStage, type StageDeps, stagesOfLead } from '#shared/use-cases/staged-payment.ts';

/** 201 for a new record; 200 with `Idempotent-Replayed: true` for a retry answered from the one stored. */
function createdOrReplayed<T>(answer: { readonly record: T; readonly replayed: boolean }) {
  return answer.replayed
    ? { statusCode: 200, headers: { 'idempotent-replayed': 'true' }, body: answer.record }
    : { statusCode: 201, body: answer.record };
}

/** Finance review routes, one function dispatching on the route key; each route is a thin chain. */
export function createHandler(deps: StageDeps & ClawbackDeps & DiscretionaryDeps) {
  const leadId = (p: Readonly<Record<string, string>>) => p.id ?? '';
  const stage = (p: Readonly<Record<string, string>>) => Number(p.stage ?? '0');
  const clawbackId = (p: Readonly<Record<string, string>>) => p.clawbackId ?? '';
  const rewardId = (p: Readonly<Record<string, string>>) => p.rewardId ?? '';
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
    // Staged payment (issue 17, part 5).
    'GET /leads/{id}/stages': withHttp({ access: routeAccess }, async (r) => ({
      statusCode: 200,
      body: await stagesOfLead(deps, leadId(r.pathParameters)),
    })),
    'POST /leads/{id}/stages/{stage}/approval': withHttp(
      { access: routeAccess, body: zodBody(StageApprovalBodySchema) },
      async (r) => ({
        statusCode: 201,
        body: await approveStage(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          stage: stage(r.pathParameters),
          note: r.body.note,
        }),
      }),
    ),
    'POST /leads/{id}/stages/{stage}/paid': withHttp(
      { access: routeAccess, body: zodBody(StagePaidBodySchema) },
      async (r) => {
        const answer = await payStage(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          stage: stage(r.pathParameters),
          reference: r.body.reference,
          idempotencyKey: optionalIdempotencyKey(r.headers),
        });
        return createdOrReplayed(answer);
      },
    ),
    // Clawback (issue 17, part 6): proposed by finance, decided by another member, recovered into the fund.
    'GET /leads/{id}/clawbacks': withHttp({ access: routeAccess }, async (r) => ({
      statusCode: 200,
      body: await clawbacksOf(deps, leadId(r.pathParameters)),
    })),
    'POST /leads/{id}/clawbacks': withHttp(
      { access: routeAccess, body: zodBody(ClawbackBodySchema) },
      async (r) => {
        const answer = await proposeClawback(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          amountFen: r.body.amount,
          reason: r.body.reason,
          method: r.body.method,
          discretionaryRewardId: r.body.discretionaryRewardId,
          idempotencyKey: optionalIdempotencyKey(r.headers),
        });
        return createdOrReplayed(answer);
      },
    ),
    'POST /leads/{id}/clawbacks/{clawbackId}/approval': withHttp(
      { access: routeAccess, body: zodBody(ClawbackDecisionBodySchema) },
      async (r) => ({
        statusCode: 200,
        body: await decideClawback(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          clawbackId: clawbackId(r.pathParameters),
          outcome: 'approved',
          note: r.body.note,
        }),
      }),
    ),
    'POST /leads/{id}/clawbacks/{clawbackId}/rejection': withHttp(
      { access: routeAccess, body: zodBody(ClawbackRejectionBodySchema) },
      async (r) => ({
        statusCode: 200,
        body: await decideClawback(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          clawbackId: clawbackId(r.pathParameters),
          outcome: 'rejected',
          note: r.body.reason,
        }),
      }),
    ),
    'POST /leads/{id}/clawbacks/{clawbackId}/refund': withHttp(
      { access: routeAccess, body: zodBody(RefundReceivedBodySchema) },
      async (r) => {
        const answer = await recordRefundReceived(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          clawbackId: clawbackId(r.pathParameters),
          reference: r.body.reference,
          receivedOn: r.body.receivedOn,
        });
        return createdOrReplayed(answer);
      },
    ),
    // Rewards by decision (重奖, issue 20): proposed, signed by the tiers, 公示, paid once, clawed back.
    'GET /leads/{id}/discretionary-rewards': withHttp({ access: routeAccess }, async (r) => ({
      statusCode: 200,
      body: await discretionaryOfLead(deps, leadId(r.pathParameters)),
    })),
    'POST /leads/{id}/discretionary-rewards': withHttp(
      { access: routeAccess, body: zodBody(DiscretionaryRewardBodySchema) },
      async (r) => {
        const answer = await proposeDiscretionary(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          body: r.body,
          idempotencyKey: optionalIdempotencyKey(r.headers),
        });
        return createdOrReplayed(answer);
      },
    ),
    'POST /leads/{id}/discretionary-rewards/{rewardId}/approve': withHttp(
      { access: routeAccess, body: zodBody(DiscretionarySignOffBodySchema) },
      async (r) => {
        const view = await signOffDiscretionary(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          rewardId: rewardId(r.pathParameters),
          note: r.body.note,
        });
        // 202: this sign-off is recorded, the approval still needs the ones named in `missing`.
        return { statusCode: view.state === 'APPROVED' ? 200 : 202, body: view };
      },
    ),
    'POST /leads/{id}/discretionary-rewards/{rewardId}/reject': withHttp(
      { access: routeAccess, body: zodBody(DiscretionaryRejectBodySchema) },
      async (r) => ({
        statusCode: 200,
        body: await rejectDiscretionary(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          rewardId: rewardId(r.pathParameters),
          reason: r.body.reason,
        }),
      }),
    ),
    'POST /leads/{id}/discretionary-rewards/{rewardId}/paid': withHttp(
      { access: routeAccess, body: zodBody(DiscretionaryPaidBodySchema) },
      async (r) => ({
        statusCode: 200,
        body: await payDiscretionary(deps, {
          principal: r.principal,
          leadId: leadId(r.pathParameters),
          rewardId: rewardId(r.pathParameters),
          reference: r.body.reference,
        }),
      }),
    ),
    'GET /discretionary-rewards': withHttp(
      { access: routeAccess, query: zodQuery(DiscretionaryYearQuerySchema) },
      async ({ query }) => ({ statusCode: 200, body: await discretionaryOfYear(deps, query.year) }),
    ),
  };
  return byRoute(routes, routeAccess);
}

// The identifier keyring: an offset follows the introducer's keyed pseudonym (issue 17, part 6).
const adapters = keyedHashingAdapters();
export const handler = createHandler({
  ...adapters,
  stages: new DynamoStageStore(dynamoDbClient, adapters.config.LEADS_TABLE, adapters.audit, adapters.leads),
  projects: new DynamoProjectStore(dynamoDbClient, adapters.config.PROJECTS_TABLE, adapters.audit),
});
