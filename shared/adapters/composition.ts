import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getConfig } from '#shared/config.ts';
import { availablePercent } from '#shared/domain/fund.ts';
import { metrics } from '#shared/observability.ts';
import type { FundMetrics } from '#shared/ports/funds.ts';
import { systemClock } from '#shared/ports/policies.ts';
import { AllocateFundMessageSchema, EvaluateLeadMessageSchema } from '#shared/schemas/messages.ts';
import { dynamoDbClient, sqsClient } from './aws-clients.ts';
import { DynamoAuditTrail } from './dynamodb/dynamo-audit-trail.ts';
import { DynamoFundStore, DynamoPolicyPublisher } from './dynamodb/dynamo-fund-store.ts';
import { DynamoLeadStore } from './dynamodb/dynamo-lead-store.ts';
import { DynamoPolicyStore } from './dynamodb/dynamo-policy-store.ts';
import { SqsQueue } from './sqs/sqs-queue.ts';

/**
 * The leads, their audit trail and the evaluation queue: all that intake's background jobs need (the
 * sweeper imports only this, which keeps its bundle and cold start small).
 */
export function leadAdapters() {
  const config = getConfig();
  const audit = new DynamoAuditTrail(dynamoDbClient, config.AUDIT_TABLE, config.AUDIT_CHAIN);
  return {
    config,
    clock: systemClock,
    audit,
    leads: new DynamoLeadStore(dynamoDbClient, config.LEADS_TABLE, audit),
    evaluationQueue: new SqsQueue(sqsClient, config.EVALUATION_QUEUE_URL, EvaluateLeadMessageSchema),
  };
}

/**
 * The composition root: the adapters a function needs, built from configuration. Handlers call this
 * once at module scope; tests build the same adapters against the local engines.
 */
export function productionAdapters() {
  const { config, audit, leads, evaluationQueue } = leadAdapters();
  return {
    config,
    clock: systemClock,
    audit,
    leads,
    reviews: leads,
    funds: new DynamoFundStore(dynamoDbClient, config.FUNDS_TABLE, audit, leads),
    publisher: new DynamoPolicyPublisher(config.REFERENCE_TABLE, audit),
    fundMetrics: powertoolsFundMetrics,
    policies: new DynamoPolicyStore(dynamoDbClient, config.REFERENCE_TABLE),
    evaluationQueue,
    allocationQueue: new SqsQueue(sqsClient, config.ALLOCATION_QUEUE_URL, AllocateFundMessageSchema),
  };
}

/** `FundAvailablePercent` per fund, published at once (the CDK alarm watches it). */
export const powertoolsFundMetrics: FundMetrics = {
  availability(balance) {
    const single = metrics.singleMetric();
    single.addDimension('fundId', balance.fundId);
    single.addMetric('FundAvailablePercent', MetricUnit.Percent, availablePercent(balance));
  },
};

export type Adapters = ReturnType<typeof productionAdapters>;
