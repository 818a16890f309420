import { type Config, getConfig } from '#shared/config.ts';
import { systemClock } from '#shared/ports/clock.ts';
import { EvaluateLeadMessageSchema } from '#shared/schemas/messages.ts';
import { dynamoDbClient, sqsClient } from './aws-clients.ts';
import { DynamoAuditTrail } from './dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from './dynamodb/dynamo-lead-store.ts';
import { SqsQueue } from './sqs/sqs-queue.ts';

/*
 * Apart from the composition root so that the sweeper's bundle evaluates only these adapters' modules at
 * cold start, not the fund and policy stores, their schemas and the metrics.
 */

/** The leads and their audit trail (DynamoDB only): the part every composition shares. */
export function leadStores() {
  const config = getConfig();
  const audit = new DynamoAuditTrail(dynamoDbClient, config.AUDIT_TABLE, config.AUDIT_CHAIN);
  return {
    config,
    clock: systemClock,
    audit,
    leads: new DynamoLeadStore(dynamoDbClient, config.LEADS_TABLE, audit),
  };
}

export function evaluationQueueOf(config: Config) {
  return new SqsQueue(sqsClient, config.EVALUATION_QUEUE_URL, EvaluateLeadMessageSchema);
}

/** The leads, their audit trail and the evaluation queue: all that intake's background jobs need. */
export function leadAdapters() {
  const stores = leadStores();
  return { ...stores, evaluationQueue: evaluationQueueOf(stores.config) };
}
