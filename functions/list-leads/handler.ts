import { routeAccess } from '#infra/resources.ts';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import { type ListLeadsDeps, ListLeadsQuerySchema, listLeads } from '#shared/use-cases/list-leads.ts';

/** GET /leads?sector=&status=&from=&to=&cursor=&limit=: a page of leads, newest first. */
export function createHandler(deps: ListLeadsDeps) {
  return withHttp(
    { access: routeAccess, query: zodQuery(ListLeadsQuerySchema) },
    async ({ principal, query }) => ({ statusCode: 200, body: await listLeads(deps, { principal, query }) }),
  );
}

export const handler = createHandler(productionAdapters());
