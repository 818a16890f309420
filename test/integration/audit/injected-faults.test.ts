import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from '#shared/adapters/dynamodb/dynamo-lead-store.ts';
import type { LeadRecord } from '#shared/schemas/lead-record.ts';
import { verifyAuditTrail } from '#shared/use-cases/verify-audit-trail.ts';
import { freshInvestor, receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { leadInput, parseValidLead } from '#test/fixtures/leads.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';

/**
 * Scenario 20: DynamoDB throttling and transaction conflicts, which DynamoDB Local does not produce on
 * its own, injected into a client that otherwise talks to the real engine. Both are retried with backoff
 * and leave exactly one effect.
 */

let client: DynamoDBClient;

beforeAll(() => {
  useLocalCloudEnv();
  client = new DynamoDBClient({ maxAttempts: 5 });
});
afterAll(() => client.destroy());

const tables = () => ({ leads: process.env.LEADS_TABLE as string, audit: process.env.AUDIT_TABLE as string });

/** The first `times` transactions are cancelled by a conflict with another transaction, before reaching DynamoDB. */
function withConflicts(
  real: DynamoDBClient,
  times: number,
): { client: DynamoDBClient; injected: () => number } {
  let injected = 0;
  const send = real.send.bind(real);
  const faulty = Object.create(real) as DynamoDBClient;
  faulty.send = (async (command: unknown, ...rest: unknown[]) => {
    if (command instanceof TransactWriteItemsCommand && injected < times) {
      injected += 1;
      const items = command.input.TransactItems ?? [];
      throw new TransactionCanceledException({
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
        $metadata: {},
        CancellationReasons: items.map((_, index) => ({
          Code: index === 0 ? 'TransactionConflict' : 'None',
        })),
      });
    }
    return (send as (c: unknown, ...r: unknown[]) => Promise<unknown>)(command, ...rest);
  }) as DynamoDBClient['send'];
  return { client: faulty, injected: () => injected };
}

function leadRecord(): LeadRecord {
  const lead = parseValidLead(leadInput({ investor: freshInvestor('故障注入测试有限公司') }));
  return receivedLeadRecord(lead, {
    submittedBy: { userId: 'fault-injector', role: `sector:${lead.sector}` },
  });
}

describe('injected faults', () => {
  it('retries a transaction conflict with backoff and stores the lead and its audit entry once', async () => {
    const chain = `conflict-${randomUUID()}`;
    const faulty = withConflicts(client, 3);
    const audit = new DynamoAuditTrail(faulty.client, tables().audit, chain);
    const store = new DynamoLeadStore(faulty.client, tables().leads, audit);
    const record = leadRecord();
    const outcome = await store.create(record, receivedAuditDraft(record));
    expect(faulty.injected()).toBe(3);
    expect(outcome).toBe('created');
    expect((await store.get(record.leadId))?.leadId).toBe(record.leadId);
    const entries = [];
    for await (const { entry } of audit.walk()) entries.push(entry);
    expect(entries.map((entry) => entry.seq)).toEqual([1]);
    expect(await verifyAuditTrail({ audit })).toMatchObject({ ok: true, checked: 1 });
  });

  it('lets the SDK retry throttling with backoff, with one effect', async () => {
    const chain = `throttle-${randomUUID()}`;
    const throttled = new DynamoDBClient({ maxAttempts: 5 });
    let throttles = 0;
    // Inside the retry loop: the first two attempts of each transaction come back throttled.
    throttled.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && throttles < 2) {
          throttles += 1;
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
            name: 'ProvisionedThroughputExceededException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'deserialize', name: 'injectThrottling' },
    );
    const audit = new DynamoAuditTrail(throttled, tables().audit, chain);
    const entry = await audit.append({
      at: new Date().toISOString(),
      actor: { userId: 'fault-injector', role: 'system' },
      action: 'test.throttled',
      subject: 'throttle',
      inputHash: null,
      policyVersion: null,
      details: {},
    });
    expect(throttles).toBe(2);
    expect(entry.seq).toBe(1);
    expect(await verifyAuditTrail({ audit })).toMatchObject({ ok: true, checked: 1 });
    throttled.destroy();
  });
});
