import { routeAccess } from '#infra/resources.ts';
import { dynamoDbClient } from '#shared/adapters/aws-clients.ts';
import { DynamoNoticeStore } from '#shared/adapters/dynamodb/dynamo-notice-store.ts';
import { leadStores } from '#shared/adapters/lead-adapters.ts';
import { optionalIdempotencyKey } from '#shared/middleware/idempotency-key.ts';
import { byRoute, withHttp, zodBody } from '#shared/middleware/with-http.ts';
import { ObjectionBodySchema, ResolutionBodySchema } from '#shared/schemas/notice.ts';
import {
  type NoticeDeps,
  noticeOfLead,
  recordObjection,
  resolveObjection,
} from '#shared/use-cases/public-notices.ts';

const replayHeader = (replayed: boolean) => (replayed ? { 'idempotent-replayed': 'true' } : undefined);

/** A lead's public notice, and the objections the admin records and resolves (issue 17, part 4). */
export function createHandler(deps: NoticeDeps) {
  const routes = {
    'GET /leads/{id}/notice': withHttp({ access: routeAccess }, async ({ pathParameters }) => ({
      statusCode: 200,
      body: await noticeOfLead(deps, pathParameters.id ?? ''),
    })),
    'POST /notices/{noticeId}/objections': withHttp(
      { access: routeAccess, body: zodBody(ObjectionBodySchema) },
      async ({ principal, body, pathParameters, headers }) => {
        const answer = await recordObjection(deps, {
          principal,
          noticeId: pathParameters.noticeId ?? '',
          objection: body,
          idempotencyKey: optionalIdempotencyKey(headers),
        });
        return {
          statusCode: answer.replayed ? 200 : 201,
          ...(answer.replayed ? { headers: replayHeader(true) } : {}),
          body: { objection: answer.objection, notice: answer.notice },
        };
      },
    ),
    'POST /notices/{noticeId}/objections/{objectionId}/resolution': withHttp(
      { access: routeAccess, body: zodBody(ResolutionBodySchema) },
      async ({ principal, body, pathParameters }) => {
        const answer = await resolveObjection(deps, {
          principal,
          noticeId: pathParameters.noticeId ?? '',
          objectionId: pathParameters.objectionId ?? '',
          resolution: body,
        });
        return {
          statusCode: answer.replayed ? 200 : 201,
          ...(answer.replayed ? { headers: replayHeader(true) } : {}),
          body: answer.notice,
        };
      },
    ),
  };
  return byRoute(routes, routeAccess);
}

function adapters() {
  const { config, clock, audit } = leadStores();
  return { clock, notices: new DynamoNoticeStore(dynamoDbClient, config.LEADS_TABLE, audit) };
}

export const handler = createHandler(adapters());
