import { type Config, getConfig } from '#shared/config.ts';
import { systemClock } from '#shared/ports/clock.ts';
import { EvaluateLeadMessageSchema } from '#shared/schemas/messages.ts';
import { dynamoDbClient, sqsClient } from './aws-clients.ts';
import { DynamoAuditTrail } from './dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from './dynamodb/dynamo-lead-store.ts';
import { SqsQueue } from './sqs/sqs-queue.ts';

/** The leads and their audit trail (DynamoDB only): the part every composition shares. */
export function leadStores() {
  const config = getConfig();
  const audit = new DynamoAuditTrail(dynamoDbClient, config.AUDIT_TABLE, config.AUDIT_CHAIN, {
    shards: config.AUDIT_SHARDS,
  });
  return {
    config,
    clock: systemClock,
    audit,
    leads: new DynamoLeadStore(dynamoDbClient, config.LEADS_TABLE, audit, config.FUNDS_TABLE),
  };
}

export function evaluationQueueOf(config: Config) {
  return new SqsQueue(sqsClient, config.EVALUATION_QUEUE_URL, EvaluateLeadMessageSchema);
}
