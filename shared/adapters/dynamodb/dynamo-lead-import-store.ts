import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import type { CreateImportOutcome, LeadImportStore, PendingImport } from '#shared/ports/lead-imports.ts';
import {
  type ImportRowRecord,
  ImportRowRecordSchema,
  type LeadImportRecord,
  LeadImportRecordSchema,
} from '#shared/schemas/lead-import.ts';
import { BATCH_GET_KEYS, batchGet } from './batch-get.ts';
import { leadKey } from './dynamo-lead-store.ts';
import { queryAll, queryUpTo } from './query-pages.ts';
import { recordOf } from './stored-item.ts';
import { TransactionConditionFailedError, transactWrite } from './transactions.ts';

/**
 * Lead imports in the Leads table, beside the leads (their rows hold resident IDs, as the lead items do):
 * - `IMPORT#<importId>` / `IMPORT`: the import (who, mode, the accepted rows and their lead ids, status);
 * - `IMPORT#<importId>` / `ROW#<row, 6 digits>`: an accepted row's body until (and after) its lead exists;
 * - `IMPORT#<importId>` / `PENDING#IMPORT`: present while the import is QUEUED; on the sparse `pendingWork`
 *   index (`pendingKind` IMPORT), where the reconciler finds imports left unfinished;
 * - `IMPORTFILE#<file key>` / `IMPORTFILE`: the import made of a file by a team. The key is a digest of the
 *   team and the file's bytes, kept only in this table (no role reads it), so the same file finds the same
 *   import whichever identifier key is current.
 */
const importKey = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' });
const rowKey = (importId: string, row: number) => ({
  pk: `IMPORT#${importId}`,
  sk: `ROW#${String(row).padStart(6, '0')}`,
});
const pendingKey = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'PENDING#IMPORT' });
const fileKeyItem = (fileKey: string) => ({ pk: `IMPORTFILE#${fileKey}`, sk: 'IMPORTFILE' });
const PENDING_KIND = 'IMPORT';

const PendingImportItemSchema = z.object({
  importId: z.string(),
  since: z.string(),
  resent: z.number().int().nonnegative(),
  retryAfter: z.string().optional(),
});

const KEYS = ['pk', 'sk', 'pendingKind', 'pendingOrder'];

const fromItem = <T>(item: Record<string, AttributeValue>, schema: { parse: (value: unknown) => T }): T =>
  recordOf(item, schema, KEYS);

const BATCH_WRITE_SIZE = 25;

export class DynamoLeadImportStore implements LeadImportStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  async importOfFile(fileKey: string): Promise<string | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall(fileKeyItem(fileKey)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : String(unmarshall(Item).importId);
  }

  async get(importId: string): Promise<LeadImportRecord | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall(importKey(importId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : fromItem(Item, LeadImportRecordSchema);
  }

  async rows(importId: string): Promise<ImportRowRecord[]> {
    const rows: ImportRowRecord[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
      ExpressionAttributeValues: marshall({ ':pk': `IMPORT#${importId}`, ':row': 'ROW#' }),
      ConsistentRead: true,
    });
    for await (const item of items) rows.push(fromItem(item, ImportRowRecordSchema));
    return rows;
  }

  async create(
    record: LeadImportRecord,
    rows: readonly ImportRowRecord[],
    fileKey: string,
  ): Promise<CreateImportOutcome> {
    // The rows first (up to 1,000: more than one transaction holds); the import, written last in one
    // transaction with its file key and pending mark, is what makes them an import.
    const requests: WriteRequest[] = rows.map((row) => ({
      PutRequest: {
        Item: marshall({ ...rowKey(row.importId, row.row), ...row }, { removeUndefinedValues: true }),
      },
    }));
    for (let start = 0; start < requests.length; start += BATCH_WRITE_SIZE) {
      await this.#batchWrite(requests.slice(start, start + BATCH_WRITE_SIZE));
    }
    try {
      await transactWrite(this.#client, [
        {
          Put: {
            TableName: this.#table,
            Item: marshall({ ...importKey(record.importId), ...record }, { removeUndefinedValues: true }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: marshall({ ...fileKeyItem(fileKey), importId: record.importId, at: record.createdAt }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: marshall({
              ...pendingKey(record.importId),
              pendingKind: PENDING_KIND,
              pendingOrder: `${record.createdAt}#${record.importId}`,
              importId: record.importId,
              since: record.createdAt,
              resent: 0,
            }),
          },
        },
      ]);
      return 'created';
    } catch (error) {
      if (error instanceof TransactionConditionFailedError) return 'import_exists';
      throw error;
    }
  }

  async #batchWrite(requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
      const { UnprocessedItems } = await this.#client.send(
        new BatchWriteItemCommand({ RequestItems: { [this.#table]: pending } }),
      );
      pending = UnprocessedItems?.[this.#table] ?? [];
      if (attempt > 10 && pending.length > 0) throw new Error('Import rows: batch writes left unprocessed');
    }
  }

  async rowSettled(
    importId: string,
    row: number,
    state: 'CREATED' | 'REFUSED',
    refusal?: string,
  ): Promise<void> {
    await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: marshall(rowKey(importId, row)),
        UpdateExpression:
          refusal === undefined ? 'SET #state = :state' : 'SET #state = :state, refusal = :refusal',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: marshall({
          ':state': state,
          ...(refusal === undefined ? {} : { ':refusal': refusal }),
        }),
      }),
    );
  }

  async complete(importId: string, at: string): Promise<void> {
    try {
      await transactWrite(this.#client, [
        {
          Update: {
            TableName: this.#table,
            Key: marshall(importKey(importId)),
            UpdateExpression: 'SET #status = :complete, completedAt = :at',
            ConditionExpression: '#status = :queued',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: marshall({ ':complete': 'COMPLETE', ':queued': 'QUEUED', ':at': at }),
          },
        },
        { Delete: { TableName: this.#table, Key: marshall(pendingKey(importId)) } },
      ]);
    } catch (error) {
      // Already complete (a redelivered hint, a second worker): nothing to do.
      if (!(error instanceof TransactionConditionFailedError)) throw error;
    }
  }

  async existingLeads(leadIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < leadIds.length; start += BATCH_GET_KEYS) {
      const keys = leadIds.slice(start, start + BATCH_GET_KEYS).map((leadId) => marshall(leadKey(leadId)));
      const items = await batchGet(this.#client, this.#table, keys, { expression: 'leadId' });
      for (const item of items) found.add(String(unmarshall(item).leadId));
    }
    return found;
  }

  async oldestPendingImport(): Promise<PendingImport | undefined> {
    const { items } = await queryUpTo(
      this.#client,
      {
        TableName: this.#table,
        IndexName: 'pendingWork',
        KeyConditionExpression: 'pendingKind = :kind',
        ExpressionAttributeValues: marshall({ ':kind': PENDING_KIND }),
        ScanIndexForward: true,
      },
      1,
    );
    const [first] = items;
    return first === undefined ? undefined : fromItem(first, PendingImportItemSchema);
  }

  async duePendingImports(query: {
    waitingSinceBefore: string;
    at: string;
    limit: number;
    ignoreBackoff?: boolean;
  }): Promise<PendingImport[]> {
    const backoff = query.ignoreBackoff !== true;
    const { items } = await queryUpTo(
      this.#client,
      {
        TableName: this.#table,
        IndexName: 'pendingWork',
        KeyConditionExpression: 'pendingKind = :kind AND pendingOrder < :before',
        FilterExpression: backoff ? 'attribute_not_exists(retryAfter) OR retryAfter <= :at' : undefined,
        ExpressionAttributeValues: marshall({
          ':kind': PENDING_KIND,
          ':before': query.waitingSinceBefore,
          ...(backoff ? { ':at': query.at } : {}),
        }),
        ScanIndexForward: true,
      },
      query.limit,
    );
    return items.map((item) => fromItem(item, PendingImportItemSchema));
  }

  async markImportResent(work: PendingImport, retryAfter: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: marshall(pendingKey(work.importId)),
          UpdateExpression: 'SET resent = :next, retryAfter = :retryAfter',
          ConditionExpression: 'resent = :resent',
          ExpressionAttributeValues: marshall({
            ':next': work.resent + 1,
            ':retryAfter': retryAfter,
            ':resent': work.resent,
          }),
        }),
      );
    } catch (error) {
      // Completed meanwhile (the mark is gone) or marked by a concurrent run: left alone.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
