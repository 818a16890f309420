import { routeAccess } from '#infra/resources.ts';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { byRoute, withHttp, zodBody } from '#shared/middleware/with-http.ts';
import { AuditReportBodySchema, SiteCheckBodySchema } from '#shared/schemas/evidence.ts';
import {
  type EvidenceDeps,
  listEvidence,
  recordAuditReport,
  recordSiteCheck,
} from '#shared/use-cases/record-evidence.ts';

/** Evidence of the actual investment (issue 17): the audit report, the on-site check, and the list. */
export function createHandler(deps: EvidenceDeps) {
  const routes = {
    'POST /leads/{id}/evidence/audit-report': withHttp(
      { access: routeAccess, body: zodBody(AuditReportBodySchema) },
      async ({ principal, body, pathParameters }) => ({
        statusCode: 201,
        body: await recordAuditReport(deps, { principal, leadId: pathParameters.id ?? '', report: body }),
      }),
    ),
    'POST /leads/{id}/evidence/site-check': withHttp(
      { access: routeAccess, body: zodBody(SiteCheckBodySchema) },
      async ({ principal, body, pathParameters }) => ({
        statusCode: 201,
        body: await recordSiteCheck(deps, { principal, leadId: pathParameters.id ?? '', check: body }),
      }),
    ),
    'GET /leads/{id}/evidence': withHttp({ access: routeAccess }, async ({ principal, pathParameters }) => ({
      statusCode: 200,
      body: await listEvidence(deps, { principal, leadId: pathParameters.id ?? '' }),
    })),
  };
  return byRoute(routes, routeAccess);
}

export const handler = createHandler(productionAdapters());
