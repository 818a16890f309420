import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type QueryCommandInput,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { emptyHead, sealEntry } from '#shared/domain/audit-chain.ts';
import type { AuditPage, AuditQuery, AuditTrail, StoredAuditEntry } from '#shared/ports/audit-trail.ts';
import {
  type AuditEntry,
  type AuditEntryDraft,
  AuditEntrySchema,
  type ChainHead,
} from '#shared/schemas/audit-entry.ts';
import { decodeCursor, encodeCursor, exactly, resumeKeySchema } from './cursor.ts';
import { queryAll, queryUpTo } from './query-pages.ts';
import { backoffMs, TransactionConditionFailedError, transactWrite } from './transactions.ts';

const HEAD_SEQ = 0;
const MAX_APPEND_ATTEMPTS = 50;

/**
 * The audit trail in one DynamoDB partition per chain: entry N under `attribute_not_exists`, and in the
 * same transaction the head record moved from N−1 to N under a condition on N−1. Two writers racing for
 * the same N: one wins, the other re-reads the head and tries N+1. Nothing is ever updated or deleted.
 */
export class DynamoAuditTrail implements AuditTrail {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #chain: string;

  constructor(client: DynamoDBClient, table: string, chain: string) {
    this.#client = client;
    this.#table = table;
    this.#chain = chain;
  }

  get #entriesKey(): string {
    return `CHAIN#${this.#chain}`;
  }

  get #headKey(): Record<string, AttributeValue> {
    return marshall({ pk: `HEAD#${this.#chain}`, seq: HEAD_SEQ });
  }

  append(draft: AuditEntryDraft): Promise<AuditEntry> {
    return this.appendWithin(draft, []);
  }

  /**
   * Appends an entry in the same transaction as other writes, so a business change and its audit entry
   * land together or not at all. A failed condition among `items` is thrown as
   * {@link TransactionConditionFailedError} with indexes into `items`.
   */
  async appendWithin(draft: AuditEntryDraft, items: readonly TransactWriteItem[]): Promise<AuditEntry> {
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt += 1) {
      const head = await this.head();
      const entry = sealEntry(draft, head);
      try {
        await transactWrite(this.#client, [this.#putEntry(entry), this.#moveHead(head, entry), ...items]);
        return entry;
      } catch (error) {
        if (!(error instanceof TransactionConditionFailedError)) throw error;
        const businessFailures = error.failedIndexes.filter((index) => index >= 2).map((index) => index - 2);
        if (businessFailures.length > 0) throw new TransactionConditionFailedError(businessFailures);
        // Another writer took this sequence number: try again on the new head.
        await sleep(backoffMs(Math.min(attempt, 5)));
      }
    }
    throw new Error(`Audit chain ${this.#chain}: no sequence number after ${MAX_APPEND_ATTEMPTS} attempts`);
  }

  async head(): Promise<ChainHead> {
    return (await this.storedHead()) ?? emptyHead(this.#chain);
  }

  /** The head as stored, or undefined when there is none (an empty chain, or a deleted head). */
  async storedHead(): Promise<ChainHead | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: this.#headKey, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const stored = unmarshall(Item);
    return { chain: this.#chain, seq: Number(stored.lastSeq), hash: String(stored.lastHash) };
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    const index =
      query.subject !== undefined
        ? 'bySubject'
        : query.actor !== undefined
          ? 'byActor'
          : query.action !== undefined
            ? 'byAction'
            : undefined;
    const names: Record<string, string> = { '#pk': 'pk' };
    const values: Record<string, unknown> = { ':pk': this.#entriesKey };
    const filters = ['#pk = :pk'];
    let keyCondition = '#pk = :pk';
    // A cursor resumes this chain, and on an index the partition asked for.
    const inThisChain = { pk: exactly(this.#entriesKey) };
    let resumeKey = resumeKeySchema('Audit', undefined, inThisChain);
    if (index !== undefined) {
      const [attribute, value] =
        index === 'bySubject'
          ? ['subject', query.subject]
          : index === 'byActor'
            ? ['actorId', query.actor]
            : ['action', query.action];
      names['#key'] = attribute;
      values[':key'] = value;
      keyCondition = '#key = :key';
      resumeKey = resumeKeySchema('Audit', index, { ...inThisChain, [attribute]: exactly(String(value)) });
    } else {
      filters.length = 0;
    }
    const optional: [string, string, string | undefined][] = [
      ['subject', '=', query.subject],
      ['actorId', '=', query.actor],
      ['action', '=', query.action],
      ['at', '>=', query.from],
      ['at', '<=', query.to],
    ];
    const keyAttribute = names['#key'];
    optional.forEach(([attribute, operator, value], position) => {
      // The index key is in the key condition already; DynamoDB refuses it in a filter.
      if (value === undefined || attribute === keyAttribute) return;
      names[`#f${position}`] = attribute;
      values[`:f${position}`] = value;
      filters.push(`#f${position} ${operator} :f${position}`);
    });
    const input: QueryCommandInput = {
      TableName: this.#table,
      IndexName: index,
      KeyConditionExpression: keyCondition,
      FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: marshall(values),
      ScanIndexForward: false,
      ExclusiveStartKey: decodeCursor(query.cursor, resumeKey),
    };
    // A filter may empty a page: queryUpTo reads on until the page is full or the partition ends.
    const { items, lastKey } = await queryUpTo(this.#client, input, query.limit);
    return { entries: items.map((item) => readBack(item).entry), nextCursor: encodeCursor(lastKey) };
  }

  async *walk(): AsyncIterable<StoredAuditEntry> {
    const entries = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': this.#entriesKey }),
      ConsistentRead: true,
    });
    for await (const item of entries) yield readBack(item);
  }

  async entryAt(seq: number): Promise<AuditEntry | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall({ pk: this.#entriesKey, seq }),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : readBack(Item).entry;
  }

  #putEntry(entry: AuditEntry): TransactWriteItem {
    return {
      Put: {
        TableName: this.#table,
        Item: marshall({ ...entry, ...indexedAttributesOf(entry) }, { removeUndefinedValues: true }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  #moveHead(from: ChainHead, to: AuditEntry): TransactWriteItem {
    const isFirst = from.seq === 0;
    return {
      Put: {
        TableName: this.#table,
        Item: { ...this.#headKey, ...marshall({ lastSeq: to.seq, lastHash: to.hash, at: to.at }) },
        ConditionExpression: isFirst ? 'attribute_not_exists(pk)' : 'lastSeq = :previous',
        ExpressionAttributeValues: isFirst ? undefined : marshall({ ':previous': from.seq }),
      },
    };
  }
}

/**
 * The attributes the table's keys, indexes and query filters select on (infra/resources.ts: `pk`/`seq`,
 * bySubject, byActor, byAction; `GET /audit` also filters on `at`), as the entry's hashed content says
 * they must be. `pk` and `actorId` are copies kept beside the hashed fields; the others are the hashed
 * fields themselves. Written with every entry, and compared with what is stored on every read-back.
 */
function indexedAttributesOf(entry: AuditEntry) {
  return {
    pk: `CHAIN#${entry.chain}`,
    seq: entry.seq,
    actorId: entry.actor.userId,
    subject: entry.subject,
    action: entry.action,
    at: entry.at,
  };
}

/**
 * Reads an entry back as stored, naming each indexed attribute that disagrees with its hashed content.
 * A tampered item that no longer fits the schema is still returned (with what could be read), so the
 * verifier names it instead of the query failing.
 */
function readBack(item: Record<string, AttributeValue>): StoredAuditEntry {
  const stored = unmarshall(item);
  const { pk: _pk, actorId: _actorId, ...hashed } = stored;
  const parsed = AuditEntrySchema.safeParse(hashed);
  const entry = parsed.success ? parsed.data : (hashed as AuditEntry);
  const expected: Record<string, unknown> = parsed.success ? indexedAttributesOf(entry) : {};
  const mismatchedAttributes = Object.keys(expected).filter((name) => stored[name] !== expected[name]);
  return { entry, mismatchedAttributes };
}
