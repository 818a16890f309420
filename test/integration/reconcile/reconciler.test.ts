import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from '#shared/adapters/dynamodb/dynamo-lead-store.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { sha256Hex } from '#shared/domain/canonical-json.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import type { LeadRecord } from '#shared/schemas/lead-record.ts';
import type { AllocateFundMessage, EvaluateLeadMessage } from '#shared/schemas/messages.ts';
import { evaluateLeadRevision } from '#shared/use-cases/evaluate-lead-revision.ts';
import { reportActualInvestment } from '#shared/use-cases/report-actual-investment.ts';
import { freshInvestor, receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { leadInFen, leadInput } from '#test/fixtures/leads.ts';
import { fundTestKit } from '#test/integration/fund/fund-support.ts';
import { api, eventually, tokenFor, useLocalCloudEnv } from '#test/support/api.ts';
import { completePayoutPrerequisites } from '#test/support/payout-prerequisites.ts';
import { plus, reconcileAt, recordedMetrics } from './reconcile-support.ts';

/**
 * Issue 13: the tables are the truth, the queues only carry hints. Each test leaves work waiting the way a
 * crash or a failed send would, at instants of its own choosing in 2019 (see reconcile-support.ts), runs
 * reconciler rounds on a stopped clock, and watches the real consumers finish the work.
 */

let adapters: Adapters;

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

const fixedClock = (iso: string) => ({ now: () => new Date(iso) });
const unreachableQueue = {
  send: async () => {
    throw new Error('SQS unreachable');
  },
};

/** A lead stored as intake would (its own project), without sending anything. */
async function storedLead(lead: Lead, overrides: Partial<LeadRecord> = {}): Promise<LeadRecord> {
  const record = receivedLeadRecord(lead, overrides);
  const unique = { ...record, projectKey: sha256Hex(`project-${record.leadId}`) };
  expect(await adapters.leads.create(unique, receivedAuditDraft(unique))).toBe('created');
  return unique;
}

/**
 * A lead decided at `at` under the kit's policy (so it asks the kit's fund), whose allocation message goes
 * to `sink` instead of the queue: as far as the pipeline knows, it was sent and lost.
 */
async function decidedAt(
  kit: ReturnType<typeof fundTestKit>,
  at: string,
  fundRequestFen: number,
  sink: AllocateFundMessage[],
): Promise<string> {
  const { leadId } = await storedLead(leadInFen({ plannedFen: 12_000_000_000, fundRequestFen }));
  await evaluateLeadRevision(
    {
      ...adapters,
      ...kit.deps,
      clock: fixedClock(at),
      allocationQueue: { send: async (message: AllocateFundMessage) => void sink.push(message) },
    },
    { schemaVersion: 1, leadId, revision: 1 },
  );
  return leadId;
}

async function submitOverHttp(sectorUser: string): Promise<string> {
  const token = await tokenFor('sector:optoelectronics', sectorUser);
  // No fund request: this lead's story is the reward, not the fund.
  const response = await api<{ leadId: string }>('POST', '/leads', {
    token,
    headers: { 'idempotency-key': randomUUID() },
    body: leadInput({ investor: freshInvestor(), fundRequest: undefined }),
  });
  expect(response.status).toBe(202);
  return response.body.leadId;
}

describe('a reported actual investment whose send failed (the stuck case of issue 13)', () => {
  it('is re-evaluated by the second reconciler round, records its reporter, and finance can approve it', async () => {
    const officer = `officer-${randomUUID().slice(0, 8)}`;
    const leadId = await submitOverHttp(officer);
    await eventually(async () =>
      (await adapters.leads.get(leadId))?.latestRevision === 1 ? true : undefined,
    );

    // The write succeeds, the send fails: before issue 13 nothing would ever evaluate revision 2.
    const reportedAt = '2019-09-01T08:00:00.000Z';
    const principal: Principal = { userId: officer, roles: ['sector:optoelectronics'] };
    await expect(
      reportActualInvestment(
        { ...adapters, clock: fixedClock(reportedAt), evaluationQueue: unreachableQueue },
        { principal, leadId, amountFen: 13_000_000_000, evidence: '验资报告 2019-08' },
      ),
    ).rejects.toThrow('SQS unreachable');
    expect(await adapters.leads.get(leadId)).toMatchObject({ latestRevision: 1, pendingRevision: 2 });
    const finance = await tokenFor('finance', `fin-${randomUUID().slice(0, 8)}`);
    expect(
      (await api('POST', `/leads/${leadId}/approve`, { token: finance, body: { note: 'ok' } })).status,
    ).toBe(409);

    // Rounds a minute apart, the first 30 s after the failure: that one finds it too young.
    const first = await reconcileAt(adapters, plus(reportedAt, 30));
    expect(first.resent).not.toContainEqual(expect.objectContaining({ leadId }));
    const second = await reconcileAt(adapters, plus(reportedAt, 90));
    expect(second.resent).toContainEqual({ kind: 'evaluation', leadId, revision: 2 });

    const lead = await eventually(async () => {
      const stored = await adapters.leads.get(leadId);
      return stored?.latestRevision === 2 ? stored : undefined;
    });
    expect(lead.pendingRevision).toBeUndefined();
    expect(lead.pendingReportedBy).toBeUndefined();
    const decision = (await adapters.leads.decisions(leadId)).find((d) => d.revision === 2);
    expect(decision?.lead.actualInvestment).toBe(13_000_000_000);
    // Issue 12 defect 3: the decision names who reported the investment it rests on.
    expect(decision?.investmentReportedBy).toEqual({ userId: officer, role: 'sector:optoelectronics' });

    await completePayoutPrerequisites(leadId, await tokenFor('sector:optoelectronics', officer));
    expect(
      (await api('POST', `/leads/${leadId}/approve`, { token: finance, body: { note: 'ok' } })).status,
    ).toBe(200);
    // Done: a later round finds nothing of it to send.
    const third = await reconcileAt(adapters, plus(reportedAt, 600));
    expect(third.resent).not.toContainEqual(expect.objectContaining({ leadId }));
  });
});

describe('a decision whose allocation message was lost', () => {
  it('gets its place in evaluation order: a later lead applies it first, and alone it is re-sent within two rounds', async () => {
    const kit = fundTestKit(adapters);
    const CAP_FEN = 100_000_000;
    await kit.openFund(CAP_FEN);
    const lost: AllocateFundMessage[] = [];
    const evaluatedAt = '2019-10-01T08:00:00.000Z';
    const first = await decidedAt(kit, evaluatedAt, CAP_FEN, lost); // its message is lost
    const second = await decidedAt(kit, plus(evaluatedAt, 10), CAP_FEN, lost);
    // The later lead's message applies the earlier decision's allocation before its own.
    expect(await kit.allocate(second)).toBe('waitlisted');
    expect(await adapters.funds.allocation(kit.fundId, first)).toMatchObject({ state: 'reserved' });

    // A lost allocation with nobody after it: the reconciler finds it in the table.
    const alone = await decidedAt(kit, plus(evaluatedAt, 20), CAP_FEN, lost);
    const early = await reconcileAt(adapters, plus(evaluatedAt, 50));
    expect(early.resent).not.toContainEqual(expect.objectContaining({ leadId: alone }));
    const due = await reconcileAt(adapters, plus(evaluatedAt, 110));
    expect(due.resent).toContainEqual({ kind: 'allocation', leadId: alone, revision: 1 });
    await eventually(async () =>
      (await adapters.funds.allocation(kit.fundId, alone))?.state === 'waitlisted' ? true : undefined,
    );
    const waiting = await adapters.funds.waitlist(kit.fundId, 10);
    expect(waiting.map((entry) => entry.leadId)).toEqual([second, alone]);
    // Applied: its mark is gone, and no later round sends it again.
    await eventually(async () => {
      const stillPending = await adapters.leads.duePending('allocation', {
        waitingSinceBefore: plus(evaluatedAt, 30),
        at: plus(evaluatedAt, 3600),
        limit: 50,
        ignoreBackoff: true,
      });
      return stillPending.some((work) => [first, second, alone].includes(work.leadId)) ? undefined : true;
    });
  });
});

describe('each round', () => {
  it('sends the oldest first, at most the batch, and backs off what it has sent', async () => {
    const kit = fundTestKit(adapters);
    await kit.openFund(1_000_000_000);
    const since = '2019-02-01T08:00:00.000Z';
    const captured: AllocateFundMessage[] = [];
    const decided: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      decided.push(await decidedAt(kit, plus(since, index), 10_000_000, captured));
    }
    // These rounds only record what they would send, so the work stays waiting between them.
    const sent: AllocateFundMessage[] = [];
    const recording = {
      ...adapters,
      allocationQueue: { send: async (message: AllocateFundMessage) => void sent.push(message) },
      evaluationQueue: { send: async (_message: EvaluateLeadMessage) => undefined },
    };
    const mine = (messages: readonly AllocateFundMessage[]) =>
      messages.filter((message) => decided.includes(message.leadId)).map((message) => message.leadId);
    const { found, metrics } = recordedMetrics();

    const round = plus(since, 120);
    await reconcileAt(recording, round, { batch: 2 }, { metrics });
    expect(mine(sent)).toEqual(decided.slice(0, 2));
    expect(found.find((entry) => entry.kind === 'allocation')).toEqual({
      kind: 'allocation',
      due: 2,
      oldestAgeSeconds: 120,
    });
    expect(found.map((entry) => entry.kind).sort()).toEqual(['allocation', 'evaluation']);

    sent.length = 0;
    await reconcileAt(recording, plus(round, 30), { batch: 2 });
    expect(mine(sent)).toEqual([decided[2]]);

    // One setting after they were sent, the first two are due again; the third is still backing off.
    sent.length = 0;
    await reconcileAt(recording, plus(round, 61), { batch: 5 });
    expect(mine(sent)).toEqual(decided.slice(0, 2));

    // Delivered for real this time: applied, and nothing is left waiting.
    const last = await reconcileAt(adapters, plus(round, 3600), { batch: 5 });
    expect(last.resent.filter((work) => decided.includes(work.leadId))).toHaveLength(3);
    for (const leadId of decided) {
      await eventually(async () =>
        (await adapters.funds.allocation(kit.fundId, leadId))?.state === 'reserved' ? true : undefined,
      );
    }
  });

  it('sends everything waiting, whatever its age, when asked to resend all (the local cloud starting)', async () => {
    const submittedAt = '2019-04-01T08:00:00.000Z';
    const record = await storedLead(leadInFen({ plannedFen: 12_000_000_000 }), { submittedAt });
    const young = await reconcileAt(adapters, plus(submittedAt, 5));
    expect(young.resent).not.toContainEqual(expect.objectContaining({ leadId: record.leadId }));
    const all = await reconcileAt(adapters, plus(submittedAt, 5), {}, { resendAll: true });
    expect(all.resent).toContainEqual({ kind: 'evaluation', leadId: record.leadId, revision: 1 });
    await eventually(async () =>
      (await adapters.leads.get(record.leadId))?.latestRevision === 1 ? true : undefined,
    );
  });
});

describe('the pending-work queries', () => {
  it('are Queries on the sparse pendingWork index, never a Scan, and the marks are conditional', async () => {
    const seen: { command: string; input: Record<string, unknown> }[] = [];
    const client = new DynamoDBClient({});
    client.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push({ command: context.commandName ?? '', input: args.input as Record<string, unknown> });
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const env = process.env as Record<string, string>;
    const leads = new DynamoLeadStore(
      client,
      env.LEADS_TABLE as string,
      new DynamoAuditTrail(client, env.AUDIT_TABLE as string, env.AUDIT_CHAIN ?? 'main'),
    );
    const since = '2019-03-01T08:00:00.000Z';
    const lead = receivedLeadRecord(leadInFen({ plannedFen: 12_000_000_000 }), { submittedAt: since });
    const record = { ...lead, projectKey: sha256Hex(`project-${lead.leadId}`) };
    expect(await leads.create(record, receivedAuditDraft(record))).toBe('created');

    seen.length = 0;
    const oldest = await leads.oldestPending('evaluation');
    const due = await leads.duePending('evaluation', {
      waitingSinceBefore: plus(since, 1),
      at: plus(since, 60),
      limit: 100,
    });
    const mark = due.find((work) => work.leadId === record.leadId);
    expect(mark).toMatchObject({ kind: 'evaluation', revision: 1, since, resent: 0 });
    expect(oldest).toBeDefined();
    expect(new Set(seen.map((call) => call.command))).toEqual(new Set(['QueryCommand']));
    for (const { input } of seen) {
      expect(input.IndexName).toBe('pendingWork');
      expect(String(input.KeyConditionExpression)).toMatch(/^pendingKind = :kind/);
    }

    // Marked as sent once: a second mark from the same reading (a concurrent round) changes nothing.
    if (mark === undefined) throw new Error('no mark');
    await leads.markResent(mark, plus(since, 120));
    await leads.markResent(mark, plus(since, 999));
    const after = await leads.duePending('evaluation', {
      waitingSinceBefore: plus(since, 1),
      at: plus(since, 120),
      limit: 100,
    });
    expect(after.find((work) => work.leadId === record.leadId)).toMatchObject({
      resent: 1,
      retryAfter: plus(since, 120),
    });
    // Not yet due a minute earlier.
    const backingOff = await leads.duePending('evaluation', {
      waitingSinceBefore: plus(since, 1),
      at: plus(since, 119),
      limit: 100,
    });
    expect(backingOff.find((work) => work.leadId === record.leadId)).toBeUndefined();
    expect(seen.some((call) => call.command === 'ScanCommand')).toBe(false);
    client.destroy();
  });

  it('settles an allocation only up to its revision, and a repeat is harmless', async () => {
    const kit = fundTestKit(adapters);
    const evaluatedAt = '2019-05-01T08:00:00.000Z';
    const leadId = await decidedAt(kit, evaluatedAt, 10_000_000, []);
    const pending = async () =>
      (
        await adapters.leads.duePending('allocation', {
          waitingSinceBefore: plus(evaluatedAt, 1),
          at: plus(evaluatedAt, 1),
          limit: 1000,
          ignoreBackoff: true,
        })
      ).find((work) => work.leadId === leadId);
    expect(await pending()).toMatchObject({ revision: 1, fundId: kit.fundId });
    await adapters.leads.allocationSettled(leadId, 0); // an older revision's: the mark stays
    expect(await pending()).toBeDefined();
    await adapters.leads.allocationSettled(leadId, 1);
    await adapters.leads.allocationSettled(leadId, 1);
    expect(await pending()).toBeUndefined();
  });
});
