import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { HealthProbe } from '#shared/ports/health.ts';

const PROBE_TIMEOUT_MS = 2000;

async function succeeds(attempt: (signal: AbortSignal) => Promise<unknown>): Promise<boolean> {
  try {
    await attempt(AbortSignal.timeout(PROBE_TIMEOUT_MS));
    return true;
  } catch {
    return false;
  }
}

export function dynamoDbProbe(client: DynamoDBClient, tableName: string): HealthProbe {
  return {
    name: 'dynamodb',
    isUp: () =>
      succeeds((abortSignal) =>
        client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal }),
      ),
  };
}

export function sqsProbe(client: SQSClient, queueUrl: string): HealthProbe {
  return {
    name: 'sqs',
    isUp: () =>
      succeeds((abortSignal) =>
        client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }), {
          abortSignal,
        }),
      ),
  };
}
