import { randomInt, randomUUID } from 'node:crypto';
import { QueryCommand, type QueryCommandInput, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from '#shared/adapters/dynamodb/dynamo-lead-store.ts';
import { DynamoPolicyStore } from '#shared/adapters/dynamodb/dynamo-policy-store.ts';
import { settleDecision } from '#shared/domain/lead-outcome.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import { LEGACY_INPUT_HASHING } from '#shared/policy/input-hash.ts';
import type { Policy } from '#shared/policy/policy-schema.ts';
import type { DecisionRecord, LeadRecord } from '#shared/schemas/lead-record.ts';
import { receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { parseValidLead } from '#test/fixtures/leads.ts';
import { ensureDefaultPolicy, freshLead, localDynamoDb, tableName } from '#test/support/api.ts';

/**
 * The pipeline reads less (issue 18, CPU per lead): published policy versions are parsed once per process,
 * and the evaluation writes the lead it read back only if nothing wrote it since. These check that what
 * is kept is only what cannot change, and that a change in between is still seen.
 */

const client = localDynamoDb();
const audit = new DynamoAuditTrail(client, tableName('AUDIT_TABLE'), `reads-${randomUUID().slice(0, 8)}`);
const leads = new DynamoLeadStore(client, tableName('LEADS_TABLE'), audit);

beforeAll(() => ensureDefaultPolicy(client));
afterAll(() => client.destroy());

/** Counts the queries of the POLICY partition that read the documents (not keys only). */
function countingPolicyDocumentReads(): { readonly count: () => number; readonly stop: () => void } {
  let documents = 0;
  const name = `policy-document-reads-${randomUUID()}`;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = (args as { input?: QueryCommandInput }).input;
      const partition = input?.ExpressionAttributeValues?.[':pk']?.S;
      if (input?.KeyConditionExpression !== undefined && partition === 'POLICY') {
        if (input.ProjectionExpression === undefined) documents += 1;
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { count: () => documents, stop: () => client.middlewareStack.remove(name) };
}

describe('the published policy versions', () => {
  it('are read and parsed once per store, and a version published later is still seen', async () => {
    const policies = new DynamoPolicyStore(client, tableName('REFERENCE_TABLE'));
    const reads = countingPolicyDocumentReads();
    try {
      const first = await policies.all();
      const second = await policies.all();
      expect(reads.count()).toBe(1);
      expect(second.map((policy) => policy.version)).toEqual(first.map((policy) => policy.version));
      // The very same objects: what the engine derives from a policy (its hash, its rules) is kept too.
      for (const [index, policy] of second.entries()) expect(policy).toBe(first[index]);

      // Far in the future (at a random minute), so no lead of another test is evaluated under it.
      const later: Policy = {
        ...DEFAULT_POLICY,
        version: `kfq-reads-${randomInt(1e9)}`,
        effectiveFrom: `2098-0${randomInt(1, 10)}-1${randomInt(0, 10)}T${String(randomInt(0, 24)).padStart(2, '0')}:${String(randomInt(0, 60)).padStart(2, '0')}:00+08:00`,
      };
      expect(await policies.publish(later)).toBe('published');
      const third = await policies.all();
      expect(third.map((policy) => policy.version)).toContain(later.version);
      expect(third.find((policy) => policy.version === later.version)).toEqual(later);
      // The versions read before are not parsed again.
      for (const policy of first) expect(third).toContain(policy);
      expect(reads.count()).toBe(2);

      // Keys only when nothing is new.
      await policies.all();
      expect(reads.count()).toBe(2);
    } finally {
      reads.stop();
    }
  });

  it('lists every version the table holds, as a keys-only query counts them', async () => {
    const policies = new DynamoPolicyStore(client, tableName('REFERENCE_TABLE'));
    const { Count } = await client.send(
      new QueryCommand({
        TableName: tableName('REFERENCE_TABLE'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': 'POLICY' }),
        Select: 'COUNT',
      }),
    );
    expect((await policies.all()).length).toBe(Count);
  });

  it('are read as stored on every call by the store a replay uses: a document changed since is seen', async () => {
    const reference = tableName('REFERENCE_TABLE');
    const kept = new DynamoPolicyStore(client, reference);
    const replays = new DynamoPolicyStore(client, reference, { reuseParsed: false });
    const published: Policy = {
      ...DEFAULT_POLICY,
      version: `kfq-tamper-${randomInt(1e9)}`,
      effectiveFrom: `2097-0${randomInt(1, 10)}-1${randomInt(0, 10)}T00:00:00+08:00`,
    };
    expect(await kept.publish(published)).toBe('published');
    const byVersion = async (store: DynamoPolicyStore) =>
      (await store.all()).find((policy) => policy.version === published.version);
    expect(await byVersion(kept)).toEqual(published);
    expect(await byVersion(replays)).toEqual(published);
    // Someone with write access to the table rewrites the published document.
    const rewritten = { ...published, title: { zh: '改写', en: 'rewritten' } };
    await client.send(
      new UpdateItemCommand({
        TableName: reference,
        Key: marshall({ pk: 'POLICY', sk: published.version }),
        UpdateExpression: 'SET #document = :document',
        ExpressionAttributeNames: { '#document': 'document' },
        ExpressionAttributeValues: marshall({ ':document': JSON.stringify(rewritten) }),
      }),
    );
    expect(await byVersion(replays)).toEqual(rewritten);
    // The evaluation's store keeps the version it parsed (versions are never rewritten by the API).
    expect(await byVersion(kept)).toEqual(published);
  });
});

async function storedLead(): Promise<{ record: LeadRecord; decision: DecisionRecord }> {
  const lead = parseValidLead(freshLead('food'));
  const record = receivedLeadRecord(lead);
  expect(await leads.create(record, receivedAuditDraft(record))).toBe('created');
  const decision = evaluateLead(lead, DEFAULT_POLICY, LEGACY_INPUT_HASHING);
  return {
    record,
    decision: {
      leadId: record.leadId,
      revision: 1,
      evaluatedAt: new Date().toISOString(),
      lead,
      policyVersion: DEFAULT_POLICY.version,
      decision,
      ...settleDecision(decision, null),
    },
  };
}

const evaluatedAudit = (leadId: string) => ({
  at: new Date().toISOString(),
  actor: { userId: 'pipeline', role: 'system' },
  action: 'lead.evaluated',
  subject: leadId,
  inputHash: null,
  policyVersion: DEFAULT_POLICY.version,
  details: { revision: 1 },
});

describe('a decision written over the lead as the evaluation read it', () => {
  it('writes the lead as read when nothing changed it since', async () => {
    const { record, decision } = await storedLead();
    const seen = await leads.get(record.leadId);
    expect(await leads.recordDecision(decision, evaluatedAudit(record.leadId), undefined, seen)).toBe(
      'recorded',
    );
    expect(await leads.get(record.leadId)).toMatchObject({ latestRevision: 1, status: decision.status });
  });

  it('reads the lead again when another write changed it after that read, and keeps that change', async () => {
    const { record, decision } = await storedLead();
    const seen = await leads.get(record.leadId);
    if (seen === undefined) throw new Error('lead not stored');
    // Another write of the lead item after the evaluation read it (here: a failed evaluation noted).
    await leads.recordEvaluationFailure(
      record.leadId,
      { at: new Date(Date.now() + 1000).toISOString(), reason: 'test', receiveCount: 1 },
      { ...evaluatedAudit(record.leadId), action: 'lead.evaluation_failed' },
    );
    const changed = await leads.get(record.leadId);
    expect(changed?.updatedAt).not.toBe(seen.updatedAt);
    // What the caller holds is out of date; a field it would write back differs from the stored one.
    const stale: LeadRecord = { ...seen, projectKey: `${seen.projectKey}-stale` };
    expect(await leads.recordDecision(decision, evaluatedAudit(record.leadId), undefined, stale)).toBe(
      'recorded',
    );
    const stored = await leads.get(record.leadId);
    expect(stored).toMatchObject({ latestRevision: 1, projectKey: seen.projectKey, evaluationFailure: null });
  });

  it('answers already_recorded, writing nothing, when the revision was recorded since', async () => {
    const { record, decision } = await storedLead();
    const seen = await leads.get(record.leadId);
    expect(await leads.recordDecision(decision, evaluatedAudit(record.leadId))).toBe('recorded');
    const after = await leads.get(record.leadId);
    expect(await leads.recordDecision(decision, evaluatedAudit(record.leadId), undefined, seen)).toBe(
      'already_recorded',
    );
    expect(await leads.get(record.leadId)).toEqual(after);
  });
});
