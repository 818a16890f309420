/**
 * The cold-start baseline: the same libraries as our functions, imported naively — every export of every
 * package kept (namespace imports, each referenced), clients built at module scope, a middy handler that
 * answers without I/O. What a function weighs when nobody minds what the bundler can drop.
 */
import * as batch from '@aws-lambda-powertools/batch';
import * as logger from '@aws-lambda-powertools/logger';
import * as loggerMiddleware from '@aws-lambda-powertools/logger/middleware';
import * as metrics from '@aws-lambda-powertools/metrics';
import * as metricsMiddleware from '@aws-lambda-powertools/metrics/middleware';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as sqs from '@aws-sdk/client-sqs';
import * as utilDynamodb from '@aws-sdk/util-dynamodb';
import * as middy from '@middy/core';
import * as zod from 'zod';

const everything: readonly object[] = [
  batch,
  logger,
  loggerMiddleware,
  metrics,
  metricsMiddleware,
  dynamodb,
  sqs,
  utilDynamodb,
  middy,
  zod,
];
/** Every export referenced, so nothing is tree-shaken away. */
export const exportCount = everything.reduce((sum, namespace) => sum + Object.keys(namespace).length, 0);

const dynamoDbClient = new dynamodb.DynamoDBClient({});
const sqsClient = new sqs.SQSClient({});
const log = new logger.Logger({ serviceName: 'baseline' });
const emf = new metrics.Metrics({ serviceName: 'baseline', namespace: 'Baseline' });
const Body = zod.z.object({ leadId: zod.z.string() });

export const handler = middy
  .default(async (event: { body?: string }) => {
    const parsed = Body.safeParse(JSON.parse(event.body ?? '{}'));
    return {
      statusCode: parsed.success ? 200 : 400,
      body: JSON.stringify({ clients: [dynamoDbClient.config.serviceId, sqsClient.config.serviceId].length }),
    };
  })
  .use(loggerMiddleware.injectLambdaContext(log))
  .use(metricsMiddleware.logMetrics(emf));
