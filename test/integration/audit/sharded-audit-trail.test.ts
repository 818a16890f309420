import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { FileDigestArchive } from '#shared/adapters/file-digest-archive.ts';
import { digestKey } from '#shared/adapters/s3/s3-digest-archive.ts';
import { sealEntry } from '#shared/domain/audit-chain.ts';
import { sealDigest } from '#shared/domain/audit-digest.ts';
import { ValidationError } from '#shared/errors.ts';
import type { AuditEntry, ChainHead } from '#shared/schemas/audit-entry.ts';
import { takeAuditDigest } from '#shared/use-cases/take-audit-digest.ts';
import { verifyAuditTrail } from '#shared/use-cases/verify-audit-trail.ts';
import { api, localDynamoDb, tableName, tokenFor } from '#test/support/api.ts';

/**
 * Issue 18: the trail as several hash chains (each writer appends to the chains it holds) and a chain of
 * global digests over their heads. Every scenario runs on a trail of its own (`shard-<random>`, 4 shards), so tampering here never
 * touches the local cloud's `main`.
 */

const client = localDynamoDb();
const table = tableName('AUDIT_TABLE');
const clock = { now: () => new Date() };
afterAll(() => client.destroy());

const SHARDS = 4;

interface Trail {
  readonly base: string;
  readonly trail: DynamoAuditTrail;
  readonly entries: AuditEntry[];
  readonly archiveDir: string;
  readonly archive: FileDigestArchive;
}

/** A client of its own that counts the calls of one command. */
function countingClient(commandName: string) {
  const counting = localDynamoDb();
  let calls = 0;
  counting.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName) calls += 1;
      return next(args);
    },
    { step: 'initialize', name: `count${commandName}` },
  );
  return { client: counting, count: () => calls };
}

/** A writer (a process of its own) whose first pick among free chains is the `index`-th. */
const writerPinnedTo = (base: string, index: number, counting = client) =>
  new DynamoAuditTrail(counting, table, base, { shards: SHARDS, random: () => (index + 0.5) / SHARDS });

/**
 * A sharded trail with `perSubject` entries for each of `subjects` subjects, a second apart, each subject
 * written by a writer of its own that starts on shard `(subject − 1) mod 4`.
 */
async function trailOf(
  subjects: number,
  perSubject: number,
  base = `shard-${randomUUID().slice(0, 8)}`,
): Promise<Trail> {
  const writers = Array.from({ length: subjects }, (_, index) => writerPinnedTo(base, index % SHARDS));
  const trail = writers[0] as DynamoAuditTrail;
  const entries: AuditEntry[] = [];
  let second = 0;
  for (let round = 1; round <= perSubject; round += 1) {
    for (let subject = 1; subject <= subjects; subject += 1) {
      second += 1;
      const writer = writers[subject - 1] as DynamoAuditTrail;
      entries.push(await writer.append(draft(`lead-${subject}`, second, { round })));
    }
  }
  const archiveDir = mkdtempSync(join(tmpdir(), 'kfq-digests-test-'));
  return { base, trail, entries, archiveDir, archive: new FileDigestArchive(archiveDir, base) };
}

function draft(subject: string, second: number, details: Record<string, number> = {}) {
  return {
    at: new Date(Date.UTC(2026, 10, 30, 8, 0, 0) + second * 1000).toISOString(),
    actor: { userId: 'shard-test', role: 'system' },
    action: 'test.step',
    subject,
    inputHash: null,
    policyVersion: null,
    details,
  };
}

/** The entries of the shard holding most of them (a shard with at least three, for the middle ones). */
function busiestShard(entries: readonly AuditEntry[]): { chain: string; entries: AuditEntry[] } {
  const byChain = new Map<string, AuditEntry[]>();
  for (const entry of entries) byChain.set(entry.chain, [...(byChain.get(entry.chain) ?? []), entry]);
  const [chain, inChain] = [...byChain].sort(([, a], [, b]) => b.length - a.length)[0] as [
    string,
    AuditEntry[],
  ];
  expect(inChain.length).toBeGreaterThanOrEqual(3);
  return { chain, entries: inChain };
}

const entryKey = (chain: string, seq: number) => marshall({ pk: `CHAIN#${chain}`, seq });

async function putHead(pk: string, head: { seq: number; hash: string }) {
  await client.send(
    new PutItemCommand({
      TableName: table,
      Item: marshall({ pk, seq: 0, lastSeq: head.seq, lastHash: head.hash, at: '2026-11-30T00:00:00.000Z' }),
    }),
  );
}

/** What someone with write access could do: rewrite a chain from `fromSeq` on with valid hashes. */
async function rewriteFrom(
  chain: string,
  entries: readonly AuditEntry[],
  fromSeq: number,
): Promise<ChainHead> {
  const before = entries.find((entry) => entry.seq === fromSeq - 1);
  let head: ChainHead = { chain, seq: fromSeq - 1, hash: before?.hash ?? '0'.repeat(64) };
  for (const original of entries.filter((entry) => entry.seq >= fromSeq)) {
    const { chain: _c, seq: _s, prevHash: _p, hash: _h, ...content } = original;
    const forged = sealEntry({ ...content, details: { ...content.details, forged: true } }, head);
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: marshall({ pk: `CHAIN#${chain}`, actorId: forged.actor.userId, ...forged }),
      }),
    );
    head = { chain, seq: forged.seq, hash: forged.hash };
  }
  await putHead(`HEAD#${chain}`, head);
  return head;
}

/** ... and replace the digest chain with one digest over the heads as they now are. */
async function forgeDigests(t: Trail): Promise<void> {
  for await (const record of t.trail.walkDigests()) {
    await client.send(
      new DeleteItemCommand({ TableName: table, Key: marshall({ pk: `DIGEST#${t.base}`, seq: record.seq }) }),
    );
  }
  const heads = (await Promise.all(t.trail.chains.map((chain) => t.trail.storedHead(chain)))).filter(
    (head) => head !== undefined,
  );
  const forged = sealDigest(heads, new Date().toISOString(), undefined);
  await client.send(
    new PutItemCommand({ TableName: table, Item: marshall({ pk: `DIGEST#${t.base}`, ...forged }) }),
  );
  await putHead(`DIGESTHEAD#${t.base}`, forged);
}

describe('a sharded audit trail', () => {
  it('keeps each writer on the chain it holds, verifies every chain, and names them', async () => {
    const t = await trailOf(4, 3);
    for (const subject of [1, 2, 3, 4]) {
      const chains = new Set(
        t.entries.filter((entry) => entry.subject === `lead-${subject}`).map((entry) => entry.chain),
      );
      expect([...chains]).toEqual([`${t.base}.${subject - 1}`]);
    }
    const verification = await verifyAuditTrail({ audit: t.trail });
    expect(verification).toMatchObject({
      ok: true,
      checked: 12,
      head: { chain: `${t.base}:digests`, seq: 0 },
    });
    expect(verification.ok && verification.chains?.map((chain) => chain.chain)).toEqual([
      ...t.trail.chains,
      `${t.base}:digests`,
    ]);
  });

  it('takes a digest only when a head moved, links it to the one before and archives each one', async () => {
    const t = await trailOf(4, 2);
    const first = await takeAuditDigest({ audit: t.trail, archive: t.archive, clock });
    expect(first).toMatchObject({ written: true, digest: { seq: 1 } });
    expect(await takeAuditDigest({ audit: t.trail, archive: t.archive, clock })).toMatchObject({
      written: false,
      digest: { seq: 1 },
    });
    await t.trail.append(draft('lead-1', 100));
    const second = await takeAuditDigest({ audit: t.trail, archive: t.archive, clock });
    expect(second).toMatchObject({ written: true, digest: { seq: 2, prevHash: first.digest?.hash } });
    const archived = JSON.parse(readFileSync(join(t.archiveDir, digestKey(t.base, 2)), 'utf8'));
    expect(archived).toEqual(second.digest);
    expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
      ok: true,
      checked: 9,
      head: { chain: `${t.base}:digests`, seq: 2, hash: second.digest?.hash },
    });
  });

  it('lets two digest steps run at once: one digest per head state, the chain intact', async () => {
    const t = await trailOf(3, 1);
    const runs = await Promise.all(
      [1, 2, 3].map(() => takeAuditDigest({ audit: t.trail, archive: t.archive, clock })),
    );
    expect(runs.filter((run) => run.written)).toHaveLength(1);
    expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({ ok: true, head: { seq: 1 } });
  });

  describe('tampered in one shard: named, with the shard', () => {
    it('an entry changed', async () => {
      const t = await trailOf(4, 3);
      const { chain } = busiestShard(t.entries);
      await client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: entryKey(chain, 2),
          UpdateExpression: 'SET details = :d',
          ExpressionAttributeValues: marshall({ ':d': { round: 99 } }),
        }),
      );
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
        ok: false,
        chain,
        firstBrokenSeq: 2,
        reason: 'hash_mismatch',
      });
    });

    it('an entry deleted in the middle', async () => {
      const t = await trailOf(4, 3);
      const { chain } = busiestShard(t.entries);
      await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, 2) }));
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
        ok: false,
        chain,
        firstBrokenSeq: 2,
        reason: 'gap',
      });
    });

    it('the newest entry deleted, its head left in place', async () => {
      const t = await trailOf(4, 3);
      const { chain, entries } = busiestShard(t.entries);
      await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, entries.length) }));
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
        ok: false,
        chain,
        firstBrokenSeq: entries.length,
        reason: 'head_mismatch',
      });
    });

    it('two entries swapped (reordered)', async () => {
      const t = await trailOf(4, 3);
      const { chain, entries } = busiestShard(t.entries);
      const [second, third] = [entries[1] as AuditEntry, entries[2] as AuditEntry];
      for (const [entry, seq] of [
        [third, 2],
        [second, 3],
      ] as const) {
        await client.send(
          new PutItemCommand({
            TableName: table,
            Item: marshall({ ...entry, pk: `CHAIN#${chain}`, actorId: entry.actor.userId, seq }),
          }),
        );
      }
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
        ok: false,
        chain,
        firstBrokenSeq: 2,
      });
    });

    it('a forged head', async () => {
      const t = await trailOf(4, 3);
      const { chain, entries } = busiestShard(t.entries);
      await putHead(`HEAD#${chain}`, { seq: entries.length, hash: 'f'.repeat(64) });
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
        ok: false,
        chain,
        reason: 'head_mismatch',
      });
    });

    it('a shard cut at the end with its head moved back: the newest digest tells', async () => {
      const t = await trailOf(4, 3);
      await takeAuditDigest({ audit: t.trail, archive: t.archive, clock });
      const { chain, entries } = busiestShard(t.entries);
      const last = entries.length;
      await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, last) }));
      await putHead(`HEAD#${chain}`, entries[last - 2] as AuditEntry);
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
        ok: false,
        chain,
        firstBrokenSeq: last,
        reason: 'digest_mismatch',
      });
    });

    it('a shard cut with a rewritten head and the digests forged: only the kept digest tells', async () => {
      const t = await trailOf(4, 3);
      const { digest } = await takeAuditDigest({ audit: t.trail, archive: t.archive, clock });
      const kept = { seq: digest?.seq ?? 0, hash: digest?.hash ?? '' };
      const { chain, entries } = busiestShard(t.entries);
      const last = entries.length;
      await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, last) }));
      await putHead(`HEAD#${chain}`, entries[last - 2] as AuditEntry);
      await forgeDigests(t);
      // Internally consistent again: every chain, the digests and their root agree.
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({ ok: true });
      expect(await verifyAuditTrail({ audit: t.trail }, kept)).toMatchObject({
        ok: false,
        chain: `${t.base}:digests`,
        firstBrokenSeq: kept.seq,
        reason: 'digest_mismatch',
      });
    });

    it('entries rewritten with recomputed hashes, a moved head and forged digests: the kept digest tells', async () => {
      const t = await trailOf(4, 3);
      const { digest } = await takeAuditDigest({ audit: t.trail, archive: t.archive, clock });
      const { chain, entries } = busiestShard(t.entries);
      await rewriteFrom(chain, entries, 2);
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
        ok: false,
        chain,
        reason: 'digest_mismatch',
      });
      await forgeDigests(t);
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({ ok: true });
      // The archive kept the digest the table no longer has, as the auditor did.
      const archived = JSON.parse(readFileSync(join(t.archiveDir, digestKey(t.base, 1)), 'utf8'));
      expect(archived.hash).toBe(digest?.hash);
      expect(await verifyAuditTrail({ audit: t.trail }, { seq: 1, hash: archived.hash })).toMatchObject({
        ok: false,
        reason: 'digest_mismatch',
      });
    });

    it('a digest changed in the table', async () => {
      const t = await trailOf(3, 2);
      await takeAuditDigest({ audit: t.trail, archive: t.archive, clock });
      await client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: marshall({ pk: `DIGEST#${t.base}`, seq: 1 }),
          UpdateExpression: 'SET root = :r',
          ExpressionAttributeValues: marshall({ ':r': 'a'.repeat(64) }),
        }),
      );
      expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
        ok: false,
        chain: `${t.base}:digests`,
        firstBrokenSeq: 1,
        reason: 'hash_mismatch',
      });
    });
  });

  it('still verifies the single chain of before as one more chain, and a head kept from it', async () => {
    const base = `shard-${randomUUID().slice(0, 8)}`;
    const single = new DynamoAuditTrail(client, table, base);
    const old: AuditEntry[] = [];
    for (let second = 1; second <= 3; second += 1) old.push(await single.append(draft('lead-1', second)));
    const t = await trailOf(3, 2, base);
    expect(t.entries.every((entry) => entry.chain !== base)).toBe(true);
    const keptBefore = { chain: base, seq: 3, hash: old[2]?.hash ?? '' };
    expect(await verifyAuditTrail({ audit: t.trail }, keptBefore)).toMatchObject({ ok: true, checked: 9 });
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: entryKey(base, 1),
        UpdateExpression: 'SET #action = :a',
        ExpressionAttributeNames: { '#action': 'action' },
        ExpressionAttributeValues: marshall({ ':a': 'test.changed' }),
      }),
    );
    expect(await verifyAuditTrail({ audit: t.trail })).toMatchObject({
      ok: false,
      chain: base,
      firstBrokenSeq: 1,
    });
    // A lead's history reads across the chain of before and its shard, newest first.
    const history = await t.trail.query({ subject: 'lead-1', limit: 20 });
    expect(history.entries.map((entry) => entry.at)).toEqual(
      [...old, ...t.entries.filter((entry) => entry.subject === 'lead-1')]
        .map((entry) => entry.at)
        .sort()
        .reverse(),
    );
  });

  it('pages newest first across every shard, each entry once, with cursors a client cannot forge', async () => {
    const t = await trailOf(5, 3);
    const seen: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.trail.query({ limit: 4, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.entries);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen.map((entry) => entry.at)).toEqual(t.entries.map((entry) => entry.at).reverse());
    const byAction = await t.trail.query({ action: 'test.step', limit: 7 });
    expect(byAction.entries.map((entry) => entry.at)).toEqual(
      t.entries
        .map((entry) => entry.at)
        .reverse()
        .slice(0, 7),
    );
    const rest = await t.trail.query({ action: 'test.step', limit: 20, cursor: byAction.nextCursor ?? '' });
    expect(rest.entries).toHaveLength(8);
    const forged = Buffer.from(JSON.stringify({ p: { 'other.1': 3 } })).toString('base64url');
    await expect(t.trail.query({ limit: 4, cursor: forged })).rejects.toBeInstanceOf(ValidationError);
    await expect(t.trail.query({ limit: 4, cursor: 'not a cursor' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('reads a head once per writer and chain, not once per append', async () => {
    const reads = countingClient('GetItemCommand');
    const writer = new DynamoAuditTrail(reads.client, table, `shard-${randomUUID().slice(0, 8)}`, {
      shards: SHARDS,
    });
    const entries: AuditEntry[] = [];
    for (let second = 1; second <= 10; second += 1)
      entries.push(await writer.append(draft('lead-1', second)));
    expect(reads.count()).toBe(1);
    expect(new Set(entries.map((entry) => entry.chain)).size).toBe(1);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await verifyAuditTrail({ audit: writer })).toMatchObject({ ok: true, checked: 10 });
    reads.client.destroy();
  });

  it('moves a writer whose chain another writer moved to another chain: one cancelled transaction, nothing lost', async () => {
    const base = `shard-${randomUUID().slice(0, 8)}`;
    const transactions = countingClient('TransactWriteItemsCommand');
    const first = writerPinnedTo(base, 0, transactions.client);
    const second = writerPinnedTo(base, 0);
    const one = await first.append(draft('lead-1', 1));
    const two = await second.append(draft('lead-2', 2));
    expect([one.chain, one.seq, two.chain, two.seq]).toEqual([`${base}.0`, 1, `${base}.0`, 2]);
    // `first` still holds `.0` at seq 1: its append is cancelled there and lands on another chain.
    const three = await first.append(draft('lead-1', 3));
    expect(three.chain).not.toBe(`${base}.0`);
    expect(three.seq).toBe(1);
    expect(transactions.count()).toBe(3);
    const four = await first.append(draft('lead-1', 4));
    expect([four.chain, four.seq]).toEqual([three.chain, 2]);
    expect(transactions.count()).toBe(4);
    expect(await verifyAuditTrail({ audit: first })).toMatchObject({ ok: true, checked: 4 });
    transactions.client.destroy();
  });

  it('lets 12 writers for 12 subjects append at once with far fewer cancelled transactions than one chain', async () => {
    const attempts = async (shards: number) => {
      const counting = localDynamoDb();
      let transactions = 0;
      counting.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'TransactWriteItemsCommand') transactions += 1;
          return next(args);
        },
        { step: 'initialize', name: 'countTransactions' },
      );
      const base = `shard-${randomUUID().slice(0, 8)}`;
      const writers = Array.from(
        { length: 12 },
        () => new DynamoAuditTrail(counting, table, base, { shards }),
      );
      await Promise.all(writers.map((writer, index) => writer.append(draft(`lead-${index}`, index))));
      expect(await verifyAuditTrail({ audit: writers[0] as DynamoAuditTrail })).toMatchObject({
        ok: true,
        checked: 12,
      });
      counting.destroy();
      return transactions - 12;
    };
    const single = await attempts(1);
    const sharded = await attempts(32);
    expect(sharded).toBeLessThan(single);
  });

  it('takes a digest on demand for auditors and admins only (POST /audit/digests)', async () => {
    for (const role of ['auditor', 'admin'] as const) {
      const taken = await api<{ chain: string; seq: number; heads: ChainHead[] }>('POST', '/audit/digests', {
        token: await tokenFor(role),
      });
      expect([200, 201]).toContain(taken.status);
      expect(taken.body.chain).toBe('main:digests');
    }
    for (const role of ['finance', 'sector:food'] as const) {
      expect((await api('POST', '/audit/digests', { token: await tokenFor(role) })).status).toBe(403);
    }
  });

  it('answers a forged cursor over HTTP with 400 naming it', async () => {
    const forged = Buffer.from(JSON.stringify({ p: { 'main.0': -7 } })).toString('base64url');
    const answer = await api<{ errors: { field: string }[] }>('GET', `/audit?cursor=${forged}`, {
      token: await tokenFor('auditor'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((problem) => problem.field)).toEqual(['cursor']);
  });
});
