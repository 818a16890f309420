import { routeAccess } from '#infra/resources.ts';
import { dynamoDbClient } from '#shared/adapters/aws-clients.ts';
import { DynamoNoticeStore } from '#shared/adapters/dynamodb/dynamo-notice-store.ts';
import { leadStores } from '#shared/adapters/lead-adapters.ts';
import { byRoute, withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import { PublicNoticesQuerySchema } from '#shared/schemas/notice.ts';
import { listPublicNotices, type NoticeDeps } from '#shared/use-cases/public-notices.ts';

/** GET /public/notices (公示): no token, read only, only what the public may see (issue 17, part 4). */
export function createHandler(deps: Pick<NoticeDeps, 'notices' | 'clock'>) {
  const routes = {
    'GET /public/notices': withHttp(
      { access: routeAccess, query: zodQuery(PublicNoticesQuerySchema) },
      async ({ query }) => ({ statusCode: 200, body: await listPublicNotices(deps, query) }),
    ),
  };
  return byRoute(routes, routeAccess);
}

function adapters() {
  const { config, clock, audit } = leadStores();
  return { clock, notices: new DynamoNoticeStore(dynamoDbClient, config.LEADS_TABLE, audit) };
}

export const handler = createHandler(adapters());
