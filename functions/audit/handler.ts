import { routeAccess } from '#infra/resources.ts';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { byRoute, withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import { AuditQuerySchema, type QueryAuditDeps, queryAudit } from '#shared/use-cases/query-audit.ts';
import {
  keptDigestOf,
  type VerifiableAuditTrail,
  VerifyQuerySchema,
  verifyAuditTrail,
} from '#shared/use-cases/verify-audit-trail.ts';

export interface AuditHandlerDeps {
  readonly audit: VerifiableAuditTrail & QueryAuditDeps['audit'];
}

/**
 * The auditor's read-only routes on the trail (GET /audit, /audit/verify): one function, one middy chain
 * per route, dispatched on the route key API Gateway sends. GET /audit/digest is the digest step's
 * (functions/audit-digest), which takes a digest first.
 */
export function createHandler(deps: AuditHandlerDeps) {
  const routes = {
    'GET /audit': withHttp({ access: routeAccess, query: zodQuery(AuditQuerySchema) }, async ({ query }) => ({
      statusCode: 200,
      body: await queryAudit(deps, query),
    })),
    'GET /audit/verify': withHttp(
      { access: routeAccess, query: zodQuery(VerifyQuerySchema) },
      async ({ query }) => ({ statusCode: 200, body: await verifyAuditTrail(deps, keptDigestOf(query)) }),
    ),
  };
  return byRoute(routes, routeAccess);
}

export const handler = createHandler(productionAdapters());
