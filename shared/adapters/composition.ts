import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { availablePercent } from '#shared/domain/fund.ts';
import { metrics } from '#shared/observability.ts';
import type { FundMetrics } from '#shared/ports/funds.ts';
import { AllocateFundMessageSchema } from '#shared/schemas/messages.ts';
import { dynamoDbClient, sqsClient } from './aws-clients.ts';
import { DynamoClawbackStore } from './dynamodb/dynamo-clawback-store.ts';
import { DynamoDiscretionaryStore } from './dynamodb/dynamo-discretionary-store.ts';
import { DynamoEvidenceStore } from './dynamodb/dynamo-evidence-store.ts';
import { DynamoFundStore, DynamoPolicyPublisher } from './dynamodb/dynamo-fund-store.ts';
import { DynamoNoticeStore } from './dynamodb/dynamo-notice-store.ts';
import { DynamoPolicyStore } from './dynamodb/dynamo-policy-store.ts';
import { DynamoProjectReference } from './dynamodb/dynamo-project-reference.ts';
import { DynamoSignOffStore } from './dynamodb/dynamo-sign-off-store.ts';
import { configuredIdentifierKeys } from './identifier-keys.ts';
import { evaluationQueueOf, leadStores } from './lead-adapters.ts';
import { SqsQueue } from './sqs/sqs-queue.ts';

/** The funds, the policies and the leads they serve, without any queue. */
export function fundAdapters() {
  const { config, clock, audit, leads } = leadStores();
  return {
    config,
    clock,
    audit,
    leads,
    funds: new DynamoFundStore(dynamoDbClient, config.FUNDS_TABLE, audit, leads),
    fundMetrics: powertoolsFundMetrics,
    policies: new DynamoPolicyStore(dynamoDbClient, config.REFERENCE_TABLE),
  };
}

/**
 * The composition root: the adapters a function needs, built from configuration. Handlers call this
 * once at module scope; tests build the same adapters against the local engines.
 */
export function productionAdapters() {
  const { config, clock, audit, leads, funds, fundMetrics, policies } = fundAdapters();
  return {
    config,
    clock,
    audit,
    leads,
    reviews: leads,
    evidence: new DynamoEvidenceStore(dynamoDbClient, config.LEADS_TABLE, audit),
    signOffs: new DynamoSignOffStore(dynamoDbClient, config.LEADS_TABLE, audit),
    // Public notices (issue 17, part 4), and the working-day calendar their deadlines are counted on.
    notices: new DynamoNoticeStore(dynamoDbClient, config.LEADS_TABLE, audit),
    // Clawbacks of paid rewards (issue 17, part 6): recovered money returns to the fund.
    clawbacks: new DynamoClawbackStore(dynamoDbClient, config.LEADS_TABLE, config.FUNDS_TABLE, audit),
    // Rewards by decision (重奖, issue 20), on the same payout path.
    discretionary: new DynamoDiscretionaryStore(
      dynamoDbClient,
      config.LEADS_TABLE,
      config.FUNDS_TABLE,
      audit,
    ),
    calendar: new DynamoProjectReference(dynamoDbClient, config.REFERENCE_TABLE, audit),
    funds,
    publisher: new DynamoPolicyPublisher(config.REFERENCE_TABLE, audit),
    fundMetrics,
    policies,
    evaluationQueue: evaluationQueueOf(config),
    allocationQueue: new SqsQueue(sqsClient, config.ALLOCATION_QUEUE_URL, AllocateFundMessageSchema),
    // The keyring given in the environment (the local cloud); in the cloud only the functions composed with
    // keyedHashingAdapters() can read the secret (hashing-adapters.ts).
    identifierKeys: configuredIdentifierKeys(config),
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
