import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { routeAccess } from '#infra/resources.ts';
import { digestArchiveOf } from '#shared/adapters/digest-archive.ts';
import { leadStores } from '#shared/adapters/lead-adapters.ts';
import { type HttpEvent, type HttpResult, withHttp } from '#shared/middleware/with-http.ts';
import { logger } from '#shared/observability.ts';
import {
  type TakeAuditDigestDeps,
  takeAuditDigest,
  takenDigestView,
} from '#shared/use-cases/take-audit-digest.ts';

/**
 * The digest step (issue 18): every minute from an EventBridge rule (a timer in the local cloud), and
 * on demand through POST /audit/digests (auditors, admins). One function for both: the event says which.
 */
export function createHandler(deps: TakeAuditDigestDeps & { readonly digestChain: string }) {
  const http = withHttp({ access: routeAccess }, async () => {
    const taken = await takeAuditDigest(deps);
    return { statusCode: taken.written ? 201 : 200, body: takenDigestView(taken, deps.digestChain) };
  });
  const scheduled = middy<ScheduledEvent, { seq: number; written: boolean }, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async () => {
      const { digest, written } = await takeAuditDigest(deps);
      if (written) logger.info('audit digest written', { seq: digest?.seq, chains: digest?.heads.length });
      return { seq: digest?.seq ?? 0, written };
    });
  const handler = (event: HttpEvent | ScheduledEvent, context: Context): Promise<unknown> =>
    'routeKey' in event ? http(event, context) : scheduled(event, context);
  return Object.assign(
    handler as (event: HttpEvent | ScheduledEvent, context: Context) => Promise<HttpResult>,
    {
      contract: http.contract,
    },
  );
}

const { config, clock, audit } = leadStores();
export const handler = createHandler({
  audit,
  clock,
  archive: digestArchiveOf(config),
  digestChain: audit.digestChain,
});
