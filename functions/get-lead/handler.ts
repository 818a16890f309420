import { routeAccess } from '#infra/resources.ts';
import { dynamoDbClient } from '#shared/adapters/aws-clients.ts';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { DynamoProjectStore } from '#shared/adapters/dynamodb/dynamo-project-store.ts';
import { withHttp } from '#shared/middleware/with-http.ts';
import { type GetLeadDeps, getLead } from '#shared/use-cases/get-lead.ts';

/** GET /leads/{id}: the lead, its status, latest decision and revisions (another sector's lead: 404). */
export function createHandler(deps: GetLeadDeps) {
  return withHttp({ access: routeAccess }, async ({ principal, pathParameters }) => ({
    statusCode: 200,
    body: await getLead(deps, { principal, leadId: pathParameters.id ?? '' }),
  }));
}

const adapters = productionAdapters();
export const handler = createHandler({
  ...adapters,
  projects: new DynamoProjectStore(dynamoDbClient, adapters.config.PROJECTS_TABLE, adapters.audit),
});
