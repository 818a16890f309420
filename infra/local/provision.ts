import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDefinition, TableDefinition } from '../resources.ts';
import type { LocalLog } from './log.ts';

/** Builds the tables and queues of `infra/resources.ts` on the local engines; safe to run again. */

type Key = { readonly name: string; readonly type: 'S' | 'N' };

function keySchema(partitionKey: Key, sortKey: Key | undefined): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey === undefined ? [] : [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }]),
  ];
}

function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  const keys: Key[] = [table.partitionKey];
  if (table.sortKey !== undefined) keys.push(table.sortKey);
  for (const index of table.globalIndexes) {
    keys.push(index.partitionKey);
    if (index.sortKey !== undefined) keys.push(index.sortKey);
  }
  const byName = new Map<string, Key>();
  for (const key of keys) {
    const seen = byName.get(key.name);
    if (seen !== undefined && seen.type !== key.type) {
      throw new Error(`table ${table.id}: attribute ${key.name} declared as ${seen.type} and ${key.type}`);
    }
    byName.set(key.name, key);
  }
  return [...byName.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/**
 * A table kept in a data dir from before an index was defined gets that index (as a deployment adding it
 * would); items written before it carry its keys only once backfilled (e.g. `cli backfill-lead-list`).
 */
async function addMissingIndexes(
  client: DynamoDBClient,
  table: TableDefinition,
  log: LocalLog,
): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table.id }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of table.globalIndexes) {
    if (present.has(index.name)) continue;
    // One index per UpdateTable, as DynamoDB allows.
    await client.send(
      new UpdateTableCommand({
        TableName: table.id,
        AttributeDefinitions: attributeDefinitions(table),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: keySchema(index.partitionKey, index.sortKey),
              Projection: { ProjectionType: index.projection ?? 'ALL' },
            },
          },
        ],
      }),
    );
    // Writes wait until the index is built (DynamoDB Local refuses them meanwhile).
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const described = await client.send(new DescribeTableCommand({ TableName: table.id }));
      const status = described.Table?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.name);
      if (status?.IndexStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log('info', 'index added', { table: table.id, index: index.name });
  }
}

/** Creates every table that does not exist yet (a persistent data dir keeps the others, with their data). */
export async function provisionTables(
  client: DynamoDBClient,
  tables: readonly TableDefinition[],
  log: LocalLog,
): Promise<{ names: Record<string, string>; kept: string[] }> {
  const names: Record<string, string> = {};
  const kept: string[] = [];
  await Promise.all(
    tables.map(async (table) => {
      const name = table.id;
      names[table.id] = name;
      if (await tableExists(client, name)) {
        log('info', 'table kept', { table: name });
        kept.push(name);
        await addMissingIndexes(client, table, log);
        return;
      }
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(table),
          KeySchema: keySchema(table.partitionKey, table.sortKey),
          ...(table.globalIndexes.length === 0
            ? {}
            : {
                GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
                  IndexName: index.name,
                  KeySchema: keySchema(index.partitionKey, index.sortKey),
                  Projection: { ProjectionType: index.projection ?? 'ALL' },
                })),
              }),
        }),
      );
      if (table.ttlAttribute !== undefined) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
          }),
        );
      }
      log('info', 'table created', { table: name });
    }),
  );
  return { names, kept };
}

export interface ProvisionedQueue {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly deadLetterQueue: {
    readonly id: string;
    readonly name: string;
    readonly url: string;
    readonly arn: string;
  };
}

async function createQueue(client: SQSClient, name: string, attributes: Record<string, string>) {
  const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl;
  if (url === undefined) throw new Error(`queue ${name}: no URL returned`);
  const described = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = described.Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`queue ${name}: no ARN returned`);
  return { url, arn };
}

const day = 86_400;

/**
 * Dead-letter queues first, then each queue with its RedrivePolicy. `visibilityTimeoutSeconds` overrides
 * every queue's visibility timeout (tests use a short one so redeliveries come quickly).
 */
export async function provisionQueues(
  client: SQSClient,
  queues: readonly QueueDefinition[],
  options: { readonly visibilityTimeoutSeconds?: number; readonly log: LocalLog },
): Promise<ProvisionedQueue[]> {
  return Promise.all(
    queues.map(async (queue) => {
      const dlqName = queue.deadLetterQueue.id;
      const dlq = await createQueue(client, dlqName, {
        MessageRetentionPeriod: String(queue.deadLetterQueue.retentionDays * day),
      });
      const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds;
      const main = await createQueue(client, queue.id, {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(queue.retentionDays * day),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlq.arn,
          maxReceiveCount: queue.maxReceiveCount,
        }),
      });
      options.log('info', 'queue created', {
        queue: queue.id,
        deadLetterQueue: dlqName,
        visibilityTimeoutSeconds,
      });
      return {
        id: queue.id,
        name: queue.id,
        url: main.url,
        arn: main.arn,
        visibilityTimeoutSeconds,
        maxReceiveCount: queue.maxReceiveCount,
        deadLetterQueue: { id: dlqName, name: dlqName, url: dlq.url, arn: dlq.arn },
      };
    }),
  );
}
