import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  type QueueDefinition,
  queues as queueDefinitions,
  type TableDefinition,
  tables as tableDefinitions,
} from '#infra/resources.ts';

export interface DataStackProps extends StackProps {
  /** Defaults to `infra/resources.ts`; tests may pass their own. */
  readonly tables?: readonly TableDefinition[];
  readonly queues?: readonly QueueDefinition[];
}

const attributeType = (type: 'S' | 'N') => (type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);

/**
 * Logical ids of the stateful resources. They must never change: a new logical id makes
 * CloudFormation create a new table and orphan (retain) the old one with its data.
 */
export const tableConstructId = (tableId: string) => `${tableId}Table`;
export const queueConstructId = (queueId: string) => `${queueId}Queue`;
export const deadLetterQueueConstructId = (dlqId: string) => `${dlqId}Queue`;

/**
 * The stateful half: tables, queues and their dead-letter queues, built from the one resource
 * definition. No physical names (CloudFormation names them); tables are retained on stack deletion.
 */
export class DataStack extends Stack {
  /** Tables by definition id. */
  readonly tables: ReadonlyMap<string, Table>;
  /** Queues by definition id. */
  readonly queues: ReadonlyMap<string, Queue>;
  /** Dead-letter queues by the id of their source queue. */
  readonly deadLetterQueues: ReadonlyMap<string, Queue>;
  readonly tableDefinitions: readonly TableDefinition[];
  readonly queueDefinitions: readonly QueueDefinition[];

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, props);
    this.tableDefinitions = props.tables ?? tableDefinitions;
    this.queueDefinitions = props.queues ?? queueDefinitions;

    const tables = new Map<string, Table>();
    for (const definition of this.tableDefinitions) {
      const table = new Table(this, tableConstructId(definition.id), {
        partitionKey: {
          name: definition.partitionKey.name,
          type: attributeType(definition.partitionKey.type),
        },
        sortKey: definition.sortKey
          ? { name: definition.sortKey.name, type: attributeType(definition.sortKey.type) }
          : undefined,
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        encryption: TableEncryption.AWS_MANAGED,
        timeToLiveAttribute: definition.ttlAttribute,
      });
      for (const index of definition.globalIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
          sortKey: index.sortKey
            ? { name: index.sortKey.name, type: attributeType(index.sortKey.type) }
            : undefined,
        });
      }
      tables.set(definition.id, table);
      new CfnOutput(this, `${definition.id}TableName`, {
        value: table.tableName,
        description: `${definition.envVar}: physical name of the ${definition.id} table`,
      });
    }

    const queues = new Map<string, Queue>();
    const deadLetterQueues = new Map<string, Queue>();
    for (const definition of this.queueDefinitions) {
      const deadLetterQueue = new Queue(this, deadLetterQueueConstructId(definition.deadLetterQueue.id), {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(definition.deadLetterQueue.retentionDays),
      });
      const queue = new Queue(this, queueConstructId(definition.id), {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(definition.retentionDays),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      });
      queues.set(definition.id, queue);
      deadLetterQueues.set(definition.id, deadLetterQueue);
    }

    this.tables = tables;
    this.queues = queues;
    this.deadLetterQueues = deadLetterQueues;
  }
}
