import type { Config } from '#shared/config.ts';
import { CreateImportedLeadsMessageSchema } from '#shared/schemas/lead-import.ts';
import { dynamoDbClient, sqsClient } from './aws-clients.ts';
import { DynamoLeadImportStore } from './dynamodb/dynamo-lead-import-store.ts';
import { SqsQueue } from './sqs/sqs-queue.ts';

/**
 * The lead imports (kept in the Leads table) and the queue of their hints. The import functions add them
 * to keyedHashingAdapters() (they hash with the keyring); the reconciler to its own, without the secret.
 */
export function leadImportStores(config: Config) {
  return {
    imports: new DynamoLeadImportStore(dynamoDbClient, config.LEADS_TABLE),
    importQueue: new SqsQueue(sqsClient, config.LEAD_IMPORT_QUEUE_URL, CreateImportedLeadsMessageSchema),
  };
}
