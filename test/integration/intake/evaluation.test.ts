import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { leadIdFor } from '#shared/domain/lead-outcome.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import type { LeadRecord } from '#shared/schemas/lead-record.ts';
import { submitLead } from '#shared/use-cases/submit-lead.ts';
import { verifyAuditTrail } from '#shared/use-cases/verify-audit-trail.ts';
import { lambdaContext as fixtureContext, sqsEvent } from '#test/fixtures/events.ts';
import { freshInvestor, receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { leadInput, parseValidLead } from '#test/fixtures/leads.ts';
import { plus, reconcileAt } from '#test/integration/reconcile/reconcile-support.ts';
import { api, eventually, tokenFor, useLocalCloudEnv } from '#test/support/api.ts';

let adapters: Adapters;
let sqs: SQSClient;

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
  sqs = new SQSClient({});
  await adapters.policies.publish(DEFAULT_POLICY);
});

const lambdaContext = fixtureContext('evaluate-lead');

/** Stores a lead directly, as intake would, without sending its evaluation message. */
async function storeLeadOnly(overrides: Partial<LeadRecord> = {}): Promise<LeadRecord> {
  const record = receivedLeadRecord(parseValidLead(leadInput({ investor: freshInvestor() })), overrides);
  expect(await adapters.leads.create(record, receivedAuditDraft(record))).toBe('created');
  return record;
}

async function auditCount(leadId: string, action: string) {
  const page = await adapters.audit.query({ subject: leadId, action, limit: 100 });
  return page.entries.length;
}

describe('the evaluation consumer', () => {
  it('writes one decision and one audit entry when the same message is delivered twice', async () => {
    const { handler } = await import('#functions/evaluate-lead/handler.ts');
    const lead = await storeLeadOnly();
    const message = { schemaVersion: 1, leadId: lead.leadId, revision: 1 };
    const first = await handler(sqsEvent([message]), lambdaContext);
    const second = await handler(sqsEvent([message], 2), lambdaContext);
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(await adapters.leads.decisions(lead.leadId)).toHaveLength(1);
    expect(await auditCount(lead.leadId, 'lead.evaluated')).toBe(1);
  });

  it('reports a message that breaks its contract as a failed record, keeping the others', async () => {
    const { handler } = await import('#functions/evaluate-lead/handler.ts');
    const lead = await storeLeadOnly();
    const good = sqsEvent([{ schemaVersion: 1, leadId: lead.leadId, revision: 1 }]);
    const bad = sqsEvent([{ schemaVersion: 99, leadId: lead.leadId }]);
    const result = await handler({ Records: [...good.Records, ...bad.Records] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: bad.Records[0]?.messageId }]);
    expect(await adapters.leads.decisions(lead.leadId)).toHaveLength(1);
  });

  it('sends a message that always fails to the dead-letter queue, and the lead shows it', async () => {
    // Submitted before any policy was in force: evaluation can never succeed.
    const lead = await storeLeadOnly({ submittedAt: '2018-06-01T00:00:00.000Z' });
    await adapters.evaluationQueue.send({ schemaVersion: 1, leadId: lead.leadId, revision: 1 });
    const failed = await eventually(async () => {
      const stored = await adapters.leads.get(lead.leadId);
      return stored?.evaluationFailure ?? undefined;
    }, 40_000);
    expect(failed.reason).toMatch(/PolicySelectionError/);
    expect(failed.receiveCount).toBe(5);
    const dlq = inject('localCloud').env.EVALUATION_DLQ_URL as string;
    const inDlq = await eventually(async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlq,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 5,
        }),
      );
      return Messages?.find((m) => m.Body?.includes(lead.leadId));
    }, 15_000);
    expect(inDlq).toBeDefined();
    expect(await auditCount(lead.leadId, 'lead.evaluation_failed')).toBe(1);
  }, 60_000);
});

describe('a crash between the lead write and the send', () => {
  it('converges on a retry with the same key: one lead, evaluated once', async () => {
    const lead = parseValidLead(leadInput({ investor: freshInvestor() }));
    const principal = { userId: 'officer-crash', roles: ['sector:optoelectronics' as const] };
    const key = randomUUID();
    const rawBody = { key };
    const crashingQueue = {
      send: async () => {
        throw new Error('SQS unreachable');
      },
    };
    await expect(
      submitLead(
        { ...adapters, evaluationQueue: crashingQueue },
        { principal, idempotencyKey: key, lead, rawBody },
      ),
    ).rejects.toThrow('SQS unreachable');
    const leadId = leadIdFor(principal.userId, key);
    expect((await adapters.leads.get(leadId))?.status).toBe('RECEIVED');

    const retry = await submitLead(adapters, { principal, idempotencyKey: key, lead, rawBody });
    expect(retry).toMatchObject({ leadId, replayed: true });
    await eventually(async () =>
      (await adapters.leads.get(leadId))?.latestRevision === 1 ? true : undefined,
    );
    // let any duplicate message settle, then count
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await adapters.leads.decisions(leadId)).toHaveLength(1);
    expect(await auditCount(leadId, 'lead.received')).toBe(1);
    expect(await auditCount(leadId, 'lead.evaluated')).toBe(1);
  });

  it('is finished by the reconciler when nobody retries', async () => {
    // Stored at an instant the test chooses, its message never sent (the process stopped after the write).
    const submittedAt = '2019-06-01T00:00:00.000Z';
    const lost = await storeLeadOnly({ submittedAt });
    const early = await reconcileAt(adapters, plus(submittedAt, 60));
    expect(early.resent).not.toContainEqual(expect.objectContaining({ leadId: lost.leadId }));
    const due = await reconcileAt(adapters, plus(submittedAt, 121));
    expect(due.resent).toContainEqual({ kind: 'evaluation', leadId: lost.leadId, revision: 1 });
    const evaluated = await eventually(async () => {
      const lead = await adapters.leads.get(lost.leadId);
      return lead?.latestRevision === 1 ? lead : undefined;
    });
    expect(evaluated.status).toBe('PENDING_FINANCE');
  });
});

describe('20 concurrent submissions from different teams', () => {
  it('leave a chain that verifies, with no sequence number twice', async () => {
    const sectors = ['optoelectronics', 'biomedicine', 'bio_manufacturing', 'food', 'equipment'];
    const responses = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const sector = sectors[index % sectors.length] as string;
        const token = await tokenFor(`sector:${sector}`, `officer-${sector}-${index}`);
        return api('POST', '/leads', {
          token,
          headers: { 'idempotency-key': randomUUID() },
          body: leadInput({ sector, investor: freshInvestor(), projectName: `并发项目${index}` }),
        });
      }),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
    // Every chain of the trail (one per shard, issue 18): no sequence number twice in any of them.
    const seqs: string[] = [];
    for (const chain of adapters.audit.chains) {
      for await (const { entry } of adapters.audit.walk(chain)) seqs.push(`${entry.chain}#${entry.seq}`);
    }
    expect(new Set(seqs).size).toBe(seqs.length);
    // Evaluations keep appending meanwhile: verification reads the head first and walks up to it.
    expect(await verifyAuditTrail(adapters)).toMatchObject({ ok: true });
  });
});

describe('npm run cli -- redrive', () => {
  it('moves dead-lettered messages back to their queue, where they are processed', async () => {
    const lead = await storeLeadOnly();
    const env = inject('localCloud').env;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: env.EVALUATION_DLQ_URL as string,
        MessageBody: JSON.stringify({ schemaVersion: 1, leadId: lead.leadId, revision: 1 }),
      }),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['infra/cli/main.ts', 'redrive', '--queue', 'Evaluation'],
      { env: { ...process.env, ...env } },
    );
    expect(stdout).toMatch(/Evaluation: moved [1-9]\d* message/);
    const evaluated = await eventually(async () => {
      const stored = await adapters.leads.get(lead.leadId);
      return stored?.latestRevision === 1 ? stored : undefined;
    });
    expect(evaluated.status).toBe('PENDING_FINANCE');
  });
});
