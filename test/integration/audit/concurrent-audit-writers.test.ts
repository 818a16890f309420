import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { verifyAuditTrail } from '#shared/use-cases/verify-audit-trail.ts';
import { localDynamoDb, tableName } from '#test/support/api.ts';

/** Scenario 11 of docs/reliability.md, on a chain of its own on DynamoDB Local. */

const client = localDynamoDb();
afterAll(() => client.destroy());

describe('the audit trail under concurrent writers', () => {
  it('gives 20 concurrent appends 20 distinct sequence numbers, and the chain verifies', async () => {
    const chain = `concurrent-${randomUUID().slice(0, 8)}`;
    // Separate trail objects, as separate Lambda instances would have.
    const writers = Array.from(
      { length: 20 },
      () => new DynamoAuditTrail(client, tableName('AUDIT_TABLE'), chain),
    );
    const started = performance.now();
    const entries = await Promise.all(
      writers.map((trail, index) =>
        trail.append({
          at: new Date().toISOString(),
          actor: { userId: `writer-${index}`, role: 'system' },
          action: 'test.concurrent',
          subject: `writer-${index}`,
          inputHash: null,
          policyVersion: null,
          details: { index },
        }),
      ),
    );
    const elapsedMs = performance.now() - started;
    const seqs = entries.map((entry) => entry.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    const verification = await verifyAuditTrail({ audit: writers[0] as DynamoAuditTrail });
    expect(verification).toMatchObject({ ok: true, checked: 20, head: { seq: 20 } });
    expect(elapsedMs).toBeLessThan(20_000);
  });
});
