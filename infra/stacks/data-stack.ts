import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '#infra/constructs/nag.ts';
import {
  type QueueDefinition,
  queues as queueDefinitions,
  type SecretDefinition,
  secrets as secretDefinitions,
  type TableDefinition,
  tables as tableDefinitions,
} from '#infra/resources.ts';

export interface DataStackProps extends StackProps {
  /** Defaults to `infra/resources.ts`; tests may pass their own. */
  readonly tables?: readonly TableDefinition[];
  readonly queues?: readonly QueueDefinition[];
  readonly secrets?: readonly SecretDefinition[];
}

const attributeType = (type: 'S' | 'N') => (type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);

/**
 * Logical ids of the stateful resources. They must never change: a new logical id makes
 * CloudFormation create a new table and orphan (retain) the old one with its data.
 */
export const tableConstructId = (tableId: string) => `${tableId}Table`;
export const queueConstructId = (queueId: string) => `${queueId}Queue`;
export const deadLetterQueueConstructId = (dlqId: string) => `${dlqId}Queue`;
export const secretConstructId = (secretId: string) => `${secretId}Secret`;

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
  /** Secrets by definition id. */
  readonly secrets: ReadonlyMap<string, Secret>;
  readonly tableDefinitions: readonly TableDefinition[];
  readonly queueDefinitions: readonly QueueDefinition[];
  readonly secretDefinitions: readonly SecretDefinition[];

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, props);
    this.tableDefinitions = props.tables ?? tableDefinitions;
    this.queueDefinitions = props.queues ?? queueDefinitions;
    this.secretDefinitions = props.secrets ?? secretDefinitions;

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
          projectionType: index.projection === 'KEYS_ONLY' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
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

    // Secrets are generated here at creation and never leave the account; retained like the tables: the
    // identifier keys are what every recorded decision's input hash is checked with.
    const secrets = new Map<string, Secret>();
    for (const definition of this.secretDefinitions) {
      const secret = new Secret(this, secretConstructId(definition.id), {
        description: definition.description,
        generateSecretString: {
          secretStringTemplate: JSON.stringify(definition.generated.template),
          generateStringKey: definition.generated.generatedKey,
          passwordLength: definition.generated.length,
          excludePunctuation: true,
          includeSpace: false,
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledge(
        secret,
        'AwsSolutions-SMG4',
        'The identifier HMAC keyring is rotated by adding a key and making it current (docs/deploy.md), never by replacing it: recorded input hashes are checked with the key that made them, which a rotation Lambda replacing the value would destroy.',
      );
      secrets.set(definition.id, secret);
      new CfnOutput(this, `${definition.id}SecretArn`, {
        value: secret.secretArn,
        description: `${definition.envVar}: ARN of the ${definition.id} secret`,
      });
    }

    this.tables = tables;
    this.queues = queues;
    this.deadLetterQueues = deadLetterQueues;
    this.secrets = secrets;
  }
}
