import { routeAccess } from '#infra/resources.ts';
import { dynamoDbClient, sqsClient } from '#shared/adapters/aws-clients.ts';
import { dynamoDbProbe, sqsProbe } from '#shared/adapters/health-probes.ts';
import { getConfig } from '#shared/config.ts';
import { withHttp } from '#shared/middleware/with-http.ts';
import type { HealthProbe } from '#shared/ports/health.ts';
import { checkHealth } from '#shared/use-cases/check-health.ts';

export function createHandler(probes: readonly HealthProbe[]) {
  return withHttp({ access: routeAccess }, async () => {
    const report = await checkHealth(probes);
    return { statusCode: report.status === 'ok' ? 200 : 503, body: report };
  });
}

const config = getConfig();
export const handler = createHandler([
  dynamoDbProbe(dynamoDbClient, config.LEADS_TABLE),
  sqsProbe(sqsClient, config.EVALUATION_QUEUE_URL),
]);
