import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

// Built once per execution environment (module scope), reused across invocations. Region, credentials
// and endpoint overrides come from the standard AWS environment variables.
export const dynamoDbClient = new DynamoDBClient({ maxAttempts: 8 });
export const sqsClient = new SQSClient({ maxAttempts: 5 });
