import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type {
  BucketAccess,
  EventSourceDefinition,
  FunctionDefinition,
  QueueAccess,
  TableAccess,
} from '#infra/resources.ts';

/** A queue of the definition with its dead-letter queue. */
export interface QueuePair {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
}

/** A table of the definition with the names of its global secondary indexes. */
export interface TableWithIndexes {
  readonly table: ITable;
  readonly indexNames: readonly string[];
}

export interface GrantContext {
  readonly tables: ReadonlyMap<string, TableWithIndexes>;
  readonly queues: ReadonlyMap<string, QueuePair>;
  /** Consumers wired through an event source get their consume grant from the mapping itself. */
  readonly eventSources: readonly EventSourceDefinition[];
  /** Secrets by definition id. */
  readonly secrets?: ReadonlyMap<string, ISecret>;
  /** Buckets by definition id. */
  readonly buckets?: ReadonlyMap<string, IBucket>;
}

/**
 * `putAndLink`: write an object and read it back (a pre-signed GET is signed with the function's role),
 * on the bucket's objects only: no list, no delete (the lifecycle rule expires them), no bucket settings.
 */
export const BUCKET_ACCESS_ACTIONS: Readonly<Record<BucketAccess, readonly string[]>> = {
  putAndLink: ['s3:PutObject', 's3:GetObject'],
};

/**
 * Reading a secret is GetSecretValue on that secret's ARN and nothing else (grantRead adds DescribeSecret,
 * which no function needs). The key is Secrets Manager's own AWS managed key: no KMS grant is needed.
 */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

/**
 * The actions behind each table access. `read` is grantReadData's list without the stream actions (no
 * table has a stream); `append` is PutItem and nothing else: no update, no delete, no batch write, no
 * read. Conditional puts inside TransactWriteItems are authorised by PutItem (and ConditionCheckItem
 * for condition checks, which `read` carries).
 */
export const READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
] as const;
export const APPEND_ACTIONS = ['dynamodb:PutItem'] as const;
export const WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const;

export const TABLE_ACCESS_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: READ_ACTIONS,
  append: APPEND_ACTIONS,
  readAppend: [...READ_ACTIONS, ...APPEND_ACTIONS],
  readWrite: [...READ_ACTIONS, ...WRITE_ACTIONS],
};

/**
 * Reads reach the table and each of its indexes by name (`<table-arn>/index/<name>`), not `index/*`:
 * tighter than grantReadData, and no wildcard. Writes reach the table only (indexes are read-only).
 */
function grantTable(fn: IFunction, { table, indexNames }: TableWithIndexes, access: TableAccess): void {
  const reads = access === 'read' || access === 'readAppend' || access === 'readWrite';
  if (reads) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...READ_ACTIONS],
        resources: [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)],
      }),
    );
  }
  const writes = access === 'readWrite' ? WRITE_ACTIONS : access === 'read' ? [] : APPEND_ACTIONS;
  if (writes.length > 0) {
    fn.addToRolePolicy(new PolicyStatement({ actions: [...writes], resources: [table.tableArn] }));
  }
}

function grantQueue(
  fn: IFunction,
  definition: FunctionDefinition,
  queueId: string,
  pair: QueuePair,
  access: QueueAccess,
  eventSources: readonly EventSourceDefinition[],
): void {
  switch (access) {
    case 'send':
      pair.queue.grantSendMessages(fn);
      return;
    case 'consume': {
      const mapped = eventSources.some((s) => s.queueId === queueId && s.functionId === definition.id);
      if (!mapped) pair.queue.grantConsumeMessages(fn);
      return;
    }
    case 'redrive':
      // Move messages back: read and delete them from the DLQ, send them to the source queue.
      pair.deadLetterQueue.grantConsumeMessages(fn);
      pair.deadLetterQueue.grantSendMessages(fn);
      pair.queue.grantSendMessages(fn);
      return;
    default: {
      const unknown: never = access;
      throw new Error(`Unknown queue access ${String(unknown)}`);
    }
  }
}

/**
 * Turns a function's declared `tables` / `queues` / `secrets` access into IAM grants, and nothing more.
 * Throws at synth when the definition names a store that does not exist.
 */
export function grantDeclaredAccess(
  fn: IFunction,
  definition: FunctionDefinition,
  context: GrantContext,
): void {
  for (const [tableId, access] of Object.entries(definition.tables) as [string, TableAccess | undefined][]) {
    if (access === undefined) continue;
    const table = context.tables.get(tableId);
    if (table === undefined) throw new Error(`Function ${definition.id} names unknown table ${tableId}`);
    grantTable(fn, table, access);
  }
  for (const [queueId, access] of Object.entries(definition.queues) as [string, QueueAccess | undefined][]) {
    if (access === undefined) continue;
    const pair = context.queues.get(queueId);
    if (pair === undefined) throw new Error(`Function ${definition.id} names unknown queue ${queueId}`);
    grantQueue(fn, definition, queueId, pair, access, context.eventSources);
  }
  for (const [bucketId, access] of Object.entries(definition.buckets ?? {}) as [
    string,
    BucketAccess | undefined,
  ][]) {
    if (access === undefined) continue;
    const bucket = context.buckets?.get(bucketId);
    if (bucket === undefined) throw new Error(`Function ${definition.id} names unknown bucket ${bucketId}`);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...BUCKET_ACCESS_ACTIONS[access]],
        resources: [bucket.arnForObjects('*')],
      }),
    );
  }
  for (const secretId of definition.secrets ?? []) {
    const secret = context.secrets?.get(secretId);
    if (secret === undefined) throw new Error(`Function ${definition.id} names unknown secret ${secretId}`);
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...SECRET_READ_ACTIONS], resources: [secret.secretArn] }),
    );
  }
}
