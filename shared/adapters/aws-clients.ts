import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

// Built once per execution environment (module scope), reused across invocations. Region, credentials
// and endpoint overrides come from the standard AWS environment variables. Marked pure (building a
// client does nothing outside it): a bundle that never uses one of them leaves it, and its SDK package,
// out of the bundle and of the cold start.
export const dynamoDbClient = /* @__PURE__ */ new DynamoDBClient({ maxAttempts: 8 });
export const sqsClient = /* @__PURE__ */ new SQSClient({ maxAttempts: 5 });
