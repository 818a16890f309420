import { getConfig } from '#shared/config.ts';
import { systemClock } from '#shared/ports/policies.ts';
import { AllocateFundMessageSchema, EvaluateLeadMessageSchema } from '#shared/schemas/messages.ts';
import { dynamoDbClient, sqsClient } from './aws-clients.ts';
import { DynamoAuditTrail } from './dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from './dynamodb/dynamo-lead-store.ts';
import { DynamoPolicyStore } from './dynamodb/dynamo-policy-store.ts';
import { SqsQueue } from './sqs/sqs-queue.ts';

/**
 * The composition root: the adapters a function needs, built from configuration. Handlers call this
 * once at module scope; tests build the same adapters against the local engines.
 */
export function productionAdapters() {
  const config = getConfig();
  const audit = new DynamoAuditTrail(dynamoDbClient, config.AUDIT_TABLE, config.AUDIT_CHAIN);
  return {
    config,
    clock: systemClock,
    audit,
    leads: new DynamoLeadStore(dynamoDbClient, config.LEADS_TABLE, audit),
    policies: new DynamoPolicyStore(dynamoDbClient, config.REFERENCE_TABLE),
    evaluationQueue: new SqsQueue(sqsClient, config.EVALUATION_QUEUE_URL, EvaluateLeadMessageSchema),
    allocationQueue: new SqsQueue(sqsClient, config.ALLOCATION_QUEUE_URL, AllocateFundMessageSchema),
  };
}

export type Adapters = ReturnType<typeof productionAdapters>;
