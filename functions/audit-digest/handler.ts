import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { routeAccess } from '#infra/resources.ts';
import { digestArchiveOf } from '#shared/adapters/digest-archive.ts';
import { leadStores } from '#shared/adapters/lead-adapters.ts';
import { byRoute, type HttpEvent, type HttpResult, withHttp } from '#shared/middleware/with-http.ts';
import { logger } from '#shared/observability.ts';
import type { AuditChains, AuditTrail } from '#shared/ports/audit-trail.ts';
import {
  type TakeAuditDigestDeps,
  takeAuditDigest,
  takenDigestView,
} from '#shared/use-cases/take-audit-digest.ts';
import { auditDigest } from '#shared/use-cases/verify-audit-trail.ts';

export interface AuditDigestHandlerDeps extends TakeAuditDigestDeps {
  readonly audit: TakeAuditDigestDeps['audit'] &
    Pick<AuditTrail, 'head' | 'entryAt'> &
    Pick<AuditChains, 'keptChain' | 'digestChain'>;
}

/**
 * The digest step (issue 18): every minute from an EventBridge rule (a timer in the local cloud), and on
 * demand. POST /audit/digests (auditors, admins) answers the digest it took (or the newest, when no chain
 * moved); GET /audit/digest (auditors) takes one the same way first, so the digest an auditor keeps
 * covers every entry up to that moment. One function for all three: the event says which.
 */
export function createHandler(deps: AuditDigestHandlerDeps) {
  const http = byRoute(
    {
      'POST /audit/digests': withHttp({ access: routeAccess }, async () => {
        const taken = await takeAuditDigest(deps);
        return {
          statusCode: taken.written ? 201 : 200,
          body: takenDigestView(taken, deps.audit.digestChain),
        };
      }),
      'GET /audit/digest': withHttp({ access: routeAccess }, async () => {
        // With shards, a digest over the heads as they are now; one chain's digest is its head, as before.
        if (deps.audit.keptChain === deps.audit.digestChain) await takeAuditDigest(deps);
        return { statusCode: 200, headers: { 'cache-control': 'no-store' }, body: await auditDigest(deps) };
      }),
    },
    routeAccess,
  );
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
      contracts: http.contracts,
    },
  );
}

const { config, clock, audit } = leadStores();
export const handler = createHandler({ audit, clock, archive: digestArchiveOf(config) });
