import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type QueryCommandInput,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import { emptyHead, sealEntry } from '#shared/domain/audit-chain.ts';
import type { AuditDigestRecord } from '#shared/domain/audit-digest.ts';
import { ChainLeases, chainsOf, digestChainOf, writableChainsOf } from '#shared/domain/audit-shards.ts';
import { ValidationError } from '#shared/errors.ts';
import type { AuditPage, AuditQuery, AuditTrail, StoredAuditEntry } from '#shared/ports/audit-trail.ts';
import {
  type AuditEntry,
  type AuditEntryDraft,
  AuditEntrySchema,
  type ChainHead,
} from '#shared/schemas/audit-entry.ts';
import { type Item, queryAll, queryUpTo } from './query-pages.ts';
import { backoffMs, TransactionConditionFailedError, transactWrite } from './transactions.ts';

const HEAD_SEQ = 0;
const MAX_APPEND_ATTEMPTS = 50;

export interface AuditTrailOptions {
  /**
   * How many hash chains entry writers spread over (issue 18). One (the default here) is the single chain
   * `<chain>`; more write to `<chain>.0` … `<chain>.<n−1>` and keep `<chain>` as the chain written before
   * sharding.
   */
  readonly shards?: number;
  /** Picks among free chains (tests pin it); Math.random by default. */
  readonly random?: () => number;
}

/** A digest's seq and hash could not be appended: another digest step took that sequence number. */
export class DigestSeqTakenError extends Error {
  override readonly name = 'DigestSeqTakenError';
}

/**
 * The audit trail as hash chains in DynamoDB, one partition per chain: entry N under
 * `attribute_not_exists`, and in the same transaction the chain's head record moved from N−1 to N under
 * a condition on N−1. Two writers racing for the same N of the same chain: one wins, the other tries
 * again. With one chain the loser re-reads the head. With shards, each writer appends to chains it holds
 * with the heads it wrote there ({@link ChainLeases}), so an append reads no head, and the loser of a race
 * moves to another chain. Beside the chains, the chain of global digests over every chain's head
 * (pk `DIGEST#<chain>`, head `DIGESTHEAD#<chain>`). Nothing is ever updated or deleted.
 */
export class DynamoAuditTrail implements AuditTrail {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #base: string;
  readonly #shards: number;
  readonly #chains: readonly string[];
  readonly #leases: ChainLeases;

  constructor(client: DynamoDBClient, table: string, chain: string, options: AuditTrailOptions = {}) {
    this.#client = client;
    this.#table = table;
    this.#base = chain;
    this.#shards = Math.max(1, Math.trunc(options.shards ?? 1));
    this.#chains = chainsOf(chain, this.#shards);
    this.#leases = new ChainLeases(writableChainsOf(chain, this.#shards), options.random);
  }

  /** Every chain of the trail, the one written before sharding first. */
  get chains(): readonly string[] {
    return this.#chains;
  }

  /** The chain of global digests. */
  get digestChain(): string {
    return digestChainOf(this.#base);
  }

  /**
   * What an auditor keeps: with shards, the digest chain (one value fixes every chain); with one chain,
   * that chain's head (as before sharding).
   */
  get keptChain(): string {
    return this.#shards > 1 ? this.digestChain : this.#base;
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
    let lost: string | undefined;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt += 1) {
      const lease = this.#leases.take(lost);
      // The single chain of before reads its head every time: many writers share it.
      const known = this.#shards > 1 ? lease.head : undefined;
      let head: ChainHead;
      try {
        head = known ?? (await this.head(lease.chain));
      } catch (error) {
        this.#leases.release(lease.chain, undefined);
        throw error;
      }
      const entry = sealEntry(draft, head);
      try {
        await transactWrite(this.#client, [
          putEntry(this.#table, entry),
          this.#moveHead(head, entry),
          ...items,
        ]);
        this.#leases.release(lease.chain, headOf(entry));
        return entry;
      } catch (error) {
        if (!(error instanceof TransactionConditionFailedError)) {
          // Maybe written, maybe not (a timeout): read the head next time.
          this.#leases.release(lease.chain, undefined);
          throw error;
        }
        const chainMoved = error.failedIndexes.some((index) => index < 2);
        const businessFailures = error.failedIndexes.filter((index) => index >= 2).map((index) => index - 2);
        if (chainMoved) this.#leases.drop(lease.chain);
        else this.#leases.release(lease.chain, head);
        if (businessFailures.length > 0) throw new TransactionConditionFailedError(businessFailures);
        // Another writer took this sequence number: another chain (or, with one, the new head).
        lost = lease.chain;
        if (known === undefined) await sleep(backoffMs(Math.min(attempt, 5)));
      }
    }
    throw new Error(`Audit trail ${this.#base}: no sequence number after ${MAX_APPEND_ATTEMPTS} attempts`);
  }

  async head(chain: string = this.#base): Promise<ChainHead> {
    return (await this.storedHead(chain)) ?? emptyHead(chain);
  }

  /** The head as stored, or undefined when there is none (an empty chain, or a deleted head). */
  async storedHead(chain: string = this.#base): Promise<ChainHead | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: headKey(chain), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const stored = unmarshall(Item);
    return { chain, seq: Number(stored.lastSeq), hash: String(stored.lastHash) };
  }

  /**
   * Newest first across every chain: each chain is read in its own order (sequence, newest first) and
   * the chains are merged by `at`. The cursor holds each chain's position (the last entry handed out).
   */
  async query(query: AuditQuery): Promise<AuditPage> {
    const positions = this.#decodePositions(query.cursor);
    const chunk = Math.min(query.limit, Math.max(10, Math.ceil((2 * query.limit) / this.#chains.length)));
    const streams = this.#chains
      .filter((chain) => positions[chain] !== DONE)
      .map(
        (chain) =>
          new ChainStream(this.#client, this.#queryInput(query, chain), chain, positions[chain], chunk),
      );
    await Promise.all(streams.map((stream) => stream.fill()));
    const entries: AuditEntry[] = [];
    while (entries.length < query.limit) {
      let newest: ChainStream | undefined;
      for (const stream of streams) {
        const next = stream.peek();
        if (next !== undefined && (newest === undefined || isNewer(next, newest.peek() as AuditEntry))) {
          newest = stream;
        }
      }
      if (newest === undefined) break;
      entries.push(newest.take());
      await newest.fill();
    }
    const next: Record<string, number> = { ...positions };
    for (const stream of streams) next[stream.chain] = stream.position;
    const allDone = this.#chains.every((chain) => next[chain] === DONE);
    return { entries, nextCursor: allDone ? null : encodePositions(next) };
  }

  #queryInput(query: AuditQuery, chain: string): QueryCommandInput {
    const index =
      query.subject !== undefined
        ? 'bySubject'
        : query.actor !== undefined
          ? 'byActor'
          : query.action !== undefined
            ? 'byAction'
            : undefined;
    const names: Record<string, string> = { '#pk': 'pk' };
    const values: Record<string, unknown> = { ':pk': `CHAIN#${chain}` };
    const filters = ['#pk = :pk'];
    let keyCondition = '#pk = :pk';
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
    return {
      TableName: this.#table,
      IndexName: index,
      KeyConditionExpression: keyCondition,
      FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: marshall(values),
      ScanIndexForward: false,
    };
  }

  /** A cursor is each chain's position; anything else (another chain, a made-up number) is a 400. */
  #decodePositions(cursor: string | undefined): Record<string, number> {
    if (cursor === undefined || cursor === '') return {};
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw notACursor();
    }
    const known = new Set(this.#chains);
    const parsed = PositionsSchema.safeParse(decoded);
    if (!parsed.success || !Object.keys(parsed.data.p).every((chain) => known.has(chain))) {
      throw notACursor();
    }
    return parsed.data.p;
  }

  async *walk(chain: string = this.#base): AsyncIterable<StoredAuditEntry> {
    const entries = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': `CHAIN#${chain}` }),
      ConsistentRead: true,
    });
    for await (const item of entries) yield readBack(item);
  }

  async entryAt(seq: number, chain: string = this.#base): Promise<AuditEntry | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall({ pk: `CHAIN#${chain}`, seq }),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : readBack(Item).entry;
  }

  /** The digest chain's head record as stored, or undefined. */
  async storedDigestHead(): Promise<{ seq: number; hash: string } | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: this.#digestHeadKey, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const stored = unmarshall(Item);
    return { seq: Number(stored.lastSeq), hash: String(stored.lastHash) };
  }

  async digestAt(seq: number): Promise<AuditDigestRecord | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: marshall({ pk: this.#digestsKey, seq }),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : digestOf(Item);
  }

  /** Every digest in sequence order, as stored. */
  async *walkDigests(): AsyncIterable<AuditDigestRecord> {
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': this.#digestsKey }),
      ConsistentRead: true,
    });
    for await (const item of items) yield digestOf(item);
  }

  /** Appends the next digest and moves the digest head, or throws {@link DigestSeqTakenError}. */
  async appendDigest(record: AuditDigestRecord): Promise<void> {
    const isFirst = record.seq === 1;
    try {
      await transactWrite(this.#client, [
        {
          Put: {
            TableName: this.#table,
            Item: marshall({ pk: this.#digestsKey, ...record }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: {
              ...this.#digestHeadKey,
              ...marshall({ lastSeq: record.seq, lastHash: record.hash, at: record.at }),
            },
            ConditionExpression: isFirst ? 'attribute_not_exists(pk)' : 'lastSeq = :previous',
            ExpressionAttributeValues: isFirst ? undefined : marshall({ ':previous': record.seq - 1 }),
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionConditionFailedError) {
        throw new DigestSeqTakenError(`Digest ${record.seq} of ${this.digestChain} was taken by another run`);
      }
      throw error;
    }
  }

  get #digestsKey(): string {
    return `DIGEST#${this.#base}`;
  }

  get #digestHeadKey(): Record<string, AttributeValue> {
    return marshall({ pk: `DIGESTHEAD#${this.#base}`, seq: HEAD_SEQ });
  }

  #moveHead(from: ChainHead, to: AuditEntry): TransactWriteItem {
    const isFirst = from.seq === 0;
    return {
      Put: {
        TableName: this.#table,
        Item: { ...headKey(to.chain), ...marshall({ lastSeq: to.seq, lastHash: to.hash, at: to.at }) },
        ConditionExpression: isFirst ? 'attribute_not_exists(pk)' : 'lastSeq = :previous',
        ExpressionAttributeValues: isFirst ? undefined : marshall({ ':previous': from.seq }),
      },
    };
  }
}

const headOf = (entry: AuditEntry): ChainHead => ({ chain: entry.chain, seq: entry.seq, hash: entry.hash });

const headKey = (chain: string): Record<string, AttributeValue> =>
  marshall({ pk: `HEAD#${chain}`, seq: HEAD_SEQ });

function putEntry(table: string, entry: AuditEntry): TransactWriteItem {
  return {
    Put: {
      TableName: table,
      Item: marshall({ ...entry, ...indexedAttributesOf(entry) }, { removeUndefinedValues: true }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A chain finished in a cursor: every entry of it was handed out. */
const DONE = -1;

const PositionsSchema = z
  .object({
    p: z.record(z.string().min(1).max(200), z.number().int().min(DONE).max(Number.MAX_SAFE_INTEGER)),
  })
  .strict();

function encodePositions(positions: Record<string, number>): string {
  return Buffer.from(JSON.stringify({ p: positions }), 'utf8').toString('base64url');
}

function notACursor(): ValidationError {
  return new ValidationError([
    {
      field: 'cursor',
      message: {
        zh: '不是本接口为此查询返回的游标。',
        en: 'Not a cursor returned by this API for this query.',
      },
    },
  ]);
}

/** Newest first: by `at`, then (the same instant) by chain and sequence, so the order is total. */
function isNewer(a: AuditEntry, b: AuditEntry): boolean {
  if (a.at !== b.at) return a.at > b.at;
  if (a.chain !== b.chain) return a.chain < b.chain;
  return a.seq > b.seq;
}

/**
 * One chain's entries of a query, newest first, read a chunk at a time as the merge takes them.
 * `position` is the last entry handed out (0: none yet), or DONE once the chain has nothing more.
 */
class ChainStream {
  readonly chain: string;
  readonly #client: DynamoDBClient;
  readonly #input: QueryCommandInput;
  readonly #chunk: number;
  #buffer: AuditEntry[] = [];
  #resumeKey: Item | undefined;
  #ended = false;
  #position: number;

  constructor(
    client: DynamoDBClient,
    input: QueryCommandInput,
    chain: string,
    from: number | undefined,
    chunk: number,
  ) {
    this.#client = client;
    this.#input = input;
    this.chain = chain;
    this.#chunk = chunk;
    this.#position = from ?? 0;
    this.#resumeKey = from === undefined || from === 0 ? undefined : this.#keyAt(from);
  }

  get position(): number {
    return this.#ended && this.#buffer.length === 0 ? DONE : this.#position;
  }

  peek(): AuditEntry | undefined {
    return this.#buffer[0];
  }

  take(): AuditEntry {
    const entry = this.#buffer.shift() as AuditEntry;
    this.#position = entry.seq;
    return entry;
  }

  /** Reads the next chunk when the buffer is empty and the chain has more. */
  async fill(): Promise<void> {
    if (this.#buffer.length > 0 || this.#ended) return;
    const { items, lastKey } = await queryUpTo(
      this.#client,
      { ...this.#input, ExclusiveStartKey: this.#resumeKey },
      this.#chunk,
    );
    this.#buffer = items.map((item) => readBack(item).entry);
    this.#resumeKey = lastKey;
    if (lastKey === undefined) this.#ended = true;
  }

  /** The key to resume after entry `seq` of this chain: the table's key, and the index's when on one. */
  #keyAt(seq: number): Item {
    const key: Record<string, unknown> = { pk: `CHAIN#${this.chain}`, seq };
    const values = unmarshall(this.#input.ExpressionAttributeValues ?? {});
    const attribute = this.#input.ExpressionAttributeNames?.['#key'];
    if (attribute !== undefined) key[attribute] = values[':key'];
    return marshall(key);
  }
}

function digestOf(item: Record<string, AttributeValue>): AuditDigestRecord {
  const { pk: _pk, ...record } = unmarshall(item);
  return record as AuditDigestRecord;
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
