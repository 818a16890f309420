import { randomUUID } from 'node:crypto';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { getConfig } from '#shared/config.ts';
import { sealEntry } from '#shared/domain/audit-chain.ts';
import type { AuditEntry, ChainHead } from '#shared/schemas/audit-entry.ts';
import { verifyAuditTrail } from '#shared/use-cases/verify-audit-trail.ts';
import { api, localDynamoDb, tableName, tokenFor } from '#test/support/api.ts';

/**
 * Scenarios 9 and 10 of docs/reliability.md. Tampering would break the shared chain `main` for every
 * later test, so the broken paths run on chains of their own (`tamper-<random>`), verified with the
 * same use case the `/audit/verify` route runs; the route itself is checked on the intact `main` chain.
 */

const client = localDynamoDb();
const table = tableName('AUDIT_TABLE');
let auditor: string;

beforeAll(async () => {
  auditor = await tokenFor('auditor');
});
afterAll(() => client.destroy());

async function chainOf(
  length: number,
): Promise<{ trail: DynamoAuditTrail; chain: string; entries: AuditEntry[] }> {
  const chain = `tamper-${randomUUID().slice(0, 8)}`;
  const trail = new DynamoAuditTrail(client, table, chain);
  const entries: AuditEntry[] = [];
  for (let index = 1; index <= length; index += 1) {
    entries.push(
      await trail.append({
        at: new Date(Date.UTC(2019, 5, 1, 8, 0, index)).toISOString(),
        actor: { userId: 'auditor-test', role: 'system' },
        action: 'test.step',
        subject: `subject-${index}`,
        inputHash: null,
        policyVersion: null,
        details: { step: index },
      }),
    );
  }
  return { trail, chain, entries };
}

/** The trail as the local cloud's functions write it (AUDIT_CHAIN, AUDIT_SHARDS: shared/config.ts). */
const productionTrail = () => {
  const config = getConfig();
  return new DynamoAuditTrail(client, table, config.AUDIT_CHAIN, { shards: config.AUDIT_SHARDS });
};

const entryKey = (chain: string, seq: number) => marshall({ pk: `CHAIN#${chain}`, seq });

/** What someone with write access to the table could do: rewrite an entry with fresh, valid hashes. */
async function rewriteFrom(
  chain: string,
  entries: readonly AuditEntry[],
  fromSeq: number,
): Promise<ChainHead> {
  let head: ChainHead = { chain, seq: fromSeq - 1, hash: entries[fromSeq - 2]?.hash ?? '0'.repeat(64) };
  for (const original of entries.filter((entry) => entry.seq >= fromSeq)) {
    const { chain: _c, seq: _s, prevHash: _p, hash: _h, ...draft } = original;
    const forged = sealEntry({ ...draft, details: { ...draft.details, forged: true } }, head);
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: marshall({ pk: `CHAIN#${chain}`, actorId: forged.actor.userId, ...forged }),
      }),
    );
    head = { chain, seq: forged.seq, hash: forged.hash };
  }
  return head;
}

async function moveHead(head: ChainHead): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: table,
      Item: marshall({
        pk: `HEAD#${head.chain}`,
        seq: 0,
        lastSeq: head.seq,
        lastHash: head.hash,
        at: '2019-06-01T00:00:00.000Z',
      }),
    }),
  );
}

describe('audit trail verification', () => {
  it('answers ok over HTTP on the intact trail: every shard, the chain of before and the digest chain', async () => {
    const { status, body } = await api<{
      ok: boolean;
      checked: number;
      head: ChainHead;
      chains: { chain: string; checked: number }[];
    }>('GET', '/audit/verify', { token: auditor });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    // With shards, what an auditor keeps is the newest global digest.
    expect(body.head.chain).toBe('main:digests');
    expect(body.chains.map((checked) => checked.chain)).toEqual(
      expect.arrayContaining(['main', 'main.0', 'main:digests']),
    );
    const entries = body.chains.filter((checked) => checked.chain !== 'main:digests');
    expect(body.checked).toBe(entries.reduce((sum, checked) => sum + checked.checked, 0));
  });

  it('checks a digest an auditor kept over HTTP: the current one matches, a wrong hash is named', async () => {
    // Run alone, this file may find the trail empty: one ordinary append (never a change) moves a head.
    await productionTrail().append({
      at: new Date().toISOString(),
      actor: { userId: 'auditor-test', role: 'system' },
      action: 'test.digest',
      subject: 'digest-check',
      inputHash: null,
      policyVersion: null,
      details: {},
    });
    const taken = await api<{ chain: string; seq: number; hash: string; written: boolean }>(
      'POST',
      '/audit/digests',
      { token: auditor },
    );
    expect([200, 201]).toContain(taken.status);
    const digest = await api<{ chain: string; seq: number; hash: string; root: string; at: string | null }>(
      'GET',
      '/audit/digest',
      { token: auditor },
    );
    expect(digest.status).toBe(200);
    expect(digest.body.chain).toBe('main:digests');
    expect(digest.body.hash).toMatch(/^[0-9a-f]{64}$/);
    // The scheduled step may have written one more since.
    expect(digest.body.seq).toBeGreaterThanOrEqual(taken.body.seq);
    const good = await api('GET', `/audit/verify?digestSeq=${taken.body.seq}&digestHash=${taken.body.hash}`, {
      token: auditor,
    });
    expect(good.body.ok).toBe(true);
    const wrongHash = taken.body.hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const bad = await api('GET', `/audit/verify?digestSeq=${taken.body.seq}&digestHash=${wrongHash}`, {
      token: auditor,
    });
    expect(bad.body).toMatchObject({
      ok: false,
      chain: 'main:digests',
      reason: 'digest_mismatch',
      firstBrokenSeq: taken.body.seq,
    });
  });

  it('still checks a head of the chain kept before sharding (digestChain=main)', async () => {
    const legacy = new DynamoAuditTrail(client, table, 'main');
    const head = await legacy.head();
    if (head.seq === 0) return; // a fresh stack has nothing from before sharding
    const good = await api(
      'GET',
      `/audit/verify?digestChain=main&digestSeq=${head.seq}&digestHash=${head.hash}`,
      {
        token: auditor,
      },
    );
    expect(good.body).toMatchObject({ ok: true });
    const unknown = await api<{ errors: { field: string }[] }>(
      'GET',
      `/audit/verify?digestChain=nowhere&digestSeq=1&digestHash=${head.hash}`,
      { token: auditor },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((problem) => problem.field)).toEqual(['digestChain']);
  });

  it('refuses half a digest or a malformed one with 400 naming the parameter', async () => {
    const half = await api<{ errors: { field: string }[] }>('GET', '/audit/verify?digestSeq=3', {
      token: auditor,
    });
    expect(half.status).toBe(400);
    expect(half.body.errors.map((problem) => problem.field)).toEqual(['digestHash']);
    const malformed = await api<{ errors: { field: string }[] }>(
      'GET',
      '/audit/verify?digestSeq=x&digestHash=zz',
      {
        token: auditor,
      },
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((problem) => problem.field).sort()).toEqual(['digestHash', 'digestSeq']);
  });

  it('verifies a fresh chain of its own', async () => {
    const { trail, entries } = await chainOf(5);
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({
      ok: true,
      checked: 5,
      head: { chain: entries[0]?.chain, seq: 5, hash: entries[4]?.hash },
    });
  });

  it('names the entry changed directly in DynamoDB', async () => {
    const { trail, chain } = await chainOf(6);
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: entryKey(chain, 4),
        UpdateExpression: 'SET #action = :action',
        ExpressionAttributeNames: { '#action': 'action' },
        ExpressionAttributeValues: marshall({ ':action': 'test.rewritten' }),
      }),
    );
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
      reason: 'hash_mismatch',
      checked: 3,
    });
  });

  // Issue 12, defect 6: the attributes the indexes and filters select on must say what the hash says.
  it('names an entry whose actorId was rewritten in the table, which hid it from a query by actor', async () => {
    const { trail, chain } = await chainOf(6);
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: entryKey(chain, 4),
        UpdateExpression: 'SET actorId = :other',
        ExpressionAttributeValues: marshall({ ':other': 'someone-else' }),
      }),
    );
    // What the rewrite achieves: the actor's history no longer shows entry 4.
    const byActor = await trail.query({ actor: 'auditor-test', limit: 100 });
    expect(byActor.entries.map((entry) => entry.seq)).toEqual([6, 5, 3, 2, 1]);
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
      reason: 'index_mismatch',
      attributes: ['actorId'],
      checked: 3,
    });
  });

  it('names an entry whose actorId was removed from the table', async () => {
    const { trail, chain } = await chainOf(3);
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: entryKey(chain, 2),
        UpdateExpression: 'REMOVE actorId',
      }),
    );
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
      reason: 'index_mismatch',
      attributes: ['actorId'],
    });
  });

  it.each([
    ['subject', 'subject-elsewhere'],
    ['action', 'test.rewritten'],
    ['at', '2019-06-01T07:59:59.000Z'],
  ])(
    'names the entry whose indexed attribute %s was rewritten (it is hashed content itself)',
    async (attribute, value) => {
      const { trail, chain } = await chainOf(4);
      await client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: entryKey(chain, 3),
          UpdateExpression: 'SET #attribute = :value',
          ExpressionAttributeNames: { '#attribute': attribute },
          ExpressionAttributeValues: marshall({ ':value': value }),
        }),
      );
      expect(await verifyAuditTrail({ audit: trail })).toMatchObject({
        ok: false,
        firstBrokenSeq: 3,
        reason: 'hash_mismatch',
      });
    },
  );

  it('names an entry whose key was rewritten: moved to another sequence number, or out of its chain', async () => {
    const moved = await chainOf(4);
    const second = await chainOf(4);
    for (const [{ chain }, newKey] of [
      [moved, { pk: `CHAIN#${moved.chain}`, seq: 40 }],
      [second, { pk: `CHAIN#${second.chain}-hidden`, seq: 2 }],
    ] as const) {
      const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: entryKey(chain, 2) }));
      await client.send(new PutItemCommand({ TableName: table, Item: { ...Item, ...marshall(newKey) } }));
      await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, 2) }));
    }
    for (const { trail } of [moved, second]) {
      expect(await verifyAuditTrail({ audit: trail })).toMatchObject({
        ok: false,
        firstBrokenSeq: 2,
        reason: 'gap',
      });
    }
  });

  it('names the gap left by an entry deleted in the middle', async () => {
    const { trail, chain } = await chainOf(6);
    await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, 3) }));
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      reason: 'gap',
      checked: 2,
    });
  });

  it('catches the newest entry deleted with the head left in place as head_mismatch', async () => {
    const { trail, chain } = await chainOf(5);
    await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, 5) }));
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({
      ok: false,
      firstBrokenSeq: 5,
      reason: 'head_mismatch',
      checked: 4,
    });
  });

  it('catches a deleted head record', async () => {
    const { trail, chain } = await chainOf(3);
    await client.send(
      new DeleteItemCommand({ TableName: table, Key: marshall({ pk: `HEAD#${chain}`, seq: 0 }) }),
    );
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({ ok: false, reason: 'head_mismatch' });
  });

  it('catches, with a kept digest only, entries rewritten with recomputed hashes and a moved head', async () => {
    const { trail, chain, entries } = await chainOf(6);
    const kept = { seq: 4, hash: entries[3]?.hash ?? '' };
    await moveHead(await rewriteFrom(chain, entries, 3));
    // Internally consistent again: only the digest kept outside the table tells.
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({ ok: true, checked: 6 });
    expect(await verifyAuditTrail({ audit: trail }, kept)).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
      reason: 'digest_mismatch',
    });
  });

  it('catches, with a kept digest, a trail cut at the end with its head moved back', async () => {
    const { trail, chain, entries } = await chainOf(5);
    const kept = { seq: 5, hash: entries[4]?.hash ?? '' };
    await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, 5) }));
    await client.send(new DeleteItemCommand({ TableName: table, Key: entryKey(chain, 4) }));
    await moveHead({ chain, seq: 3, hash: entries[2]?.hash ?? '' });
    expect(await verifyAuditTrail({ audit: trail })).toMatchObject({ ok: true, checked: 3 });
    expect(await verifyAuditTrail({ audit: trail }, kept)).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
      reason: 'digest_mismatch',
    });
  });
});
