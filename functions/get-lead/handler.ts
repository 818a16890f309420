import { routeAccess } from '#infra/resources.ts';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { withHttp } from '#shared/middleware/with-http.ts';
import { type GetLeadDeps, getLead } from '#shared/use-cases/get-lead.ts';

/** GET /leads/{id}: the lead, its status, latest decision and revisions (another sector's lead: 404). */
export function createHandler(deps: GetLeadDeps) {
  return withHttp({ access: routeAccess }, async ({ principal, pathParameters }) => ({
    statusCode: 200,
    body: await getLead(deps, { principal, leadId: pathParameters.id ?? '' }),
  }));
}

export const handler = createHandler(productionAdapters());
