import { beforeAll, describe, expect, it } from 'vitest';
import { maskResidentId } from '#shared/domain/identifiers.ts';
import { makeValidResidentId } from '#test/fixtures/identifiers.ts';
import {
  api,
  ensureDefaultPolicy,
  freshLead,
  localDynamoDb,
  submit,
  tokenFor,
  waitForEvaluation,
} from '#test/support/api.ts';

/**
 * A lead's journey over HTTP, as each role sees it: the food team submits and reads, another team
 * cannot see it, finance and an auditor can, the auditor finds its history and replays its decision.
 */

const RESIDENT_ID = makeValidResidentId('371502', '19780315', '261');
let food: string;
let logistics: string;
let finance: string;
let auditor: string;
let leadId: string;
let personLeadId: string;

type LeadView = {
  leadId: string;
  sector: string;
  status: string;
  latestRevision: number;
  duplicateOf: string | null;
  evaluationFailure: unknown;
  lead: { introducer: { type: string; residentId?: string } };
  latestDecision: { revision: number; policyVersion: string; decision: { policyVersion: string } } | null;
  revisions: {
    revision: number;
    evaluatedAt: string;
    status: string;
    policyVersion: string;
    payableRewardFen: number;
  }[];
};

beforeAll(async () => {
  await ensureDefaultPolicy(localDynamoDb());
  [food, logistics, finance, auditor] = await Promise.all([
    tokenFor('sector:food'),
    tokenFor('sector:logistics'),
    tokenFor('finance'),
    tokenFor('auditor'),
  ]);
  leadId = await submit(food, freshLead('food'));
  personLeadId = await submit(
    food,
    freshLead('food', { introducer: { type: 'natural_person', name: '张三', residentId: RESIDENT_ID } }),
  );
  await Promise.all([waitForEvaluation(food, leadId), waitForEvaluation(food, personLeadId)]);
});

describe('a lead over HTTP, per role', () => {
  it('shows the submitting team its evaluated lead with the latest decision and the revisions', async () => {
    const { status, body } = await api<LeadView>('GET', `/leads/${leadId}`, { token: food });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      leadId,
      sector: 'food',
      latestRevision: 1,
      duplicateOf: null,
      evaluationFailure: null,
    });
    expect(['PENDING_FINANCE', 'PENDING_CASE_REVIEW']).toContain(body.status);
    expect(body.latestDecision?.revision).toBe(1);
    expect(body.latestDecision?.decision.policyVersion).toBe('kfq-2019');
    expect(body.revisions).toEqual([
      expect.objectContaining({ revision: 1, status: body.status, policyVersion: 'kfq-2019' }),
    ]);
    expect(body.revisions[0]?.payableRewardFen).toEqual(expect.any(Number));
  });

  it('answers another sector 404 with the same problem as a lead that does not exist', async () => {
    const other = await api('GET', `/leads/${leadId}`, { token: logistics });
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    const missingId = `${leadId.slice(0, -1)}${leadId.endsWith('0') ? '1' : '0'}`;
    const missing = await api('GET', `/leads/${missingId}`, { token: logistics });
    expect(missing.status).toBe(404);
    expect({ ...other.body, detail: '', instance: '' }).toEqual({
      ...missing.body,
      detail: '',
      instance: '',
    });
    expect(String(other.body.detail)).not.toContain('food');
    // An id no lead could have is refused as such, naming the path parameter (never a store error).
    const absurd = await api('GET', `/leads/${'x'.repeat(3000)}`, { token: finance });
    expect(absurd.status).toBe(400);
    expect(absurd.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('lets finance and an auditor read any sector’s lead', async () => {
    for (const token of [finance, auditor]) {
      const { status, body } = await api<LeadView>('GET', `/leads/${leadId}`, { token });
      expect(status).toBe(200);
      expect(body.leadId).toBe(leadId);
    }
  });

  it('masks a natural-person introducer’s resident ID for every role, in the lead and in its decision', async () => {
    for (const token of [food, finance, auditor]) {
      const { status, body } = await api<LeadView>('GET', `/leads/${personLeadId}`, { token });
      expect(status).toBe(200);
      expect(body.lead.introducer.residentId).toBe(maskResidentId(RESIDENT_ID));
      expect(JSON.stringify(body)).not.toContain(RESIDENT_ID);
    }
  });

  it('gives an auditor the lead’s audit entries, newest first: received, then evaluated', async () => {
    const { status, body } = await api<{ items: { action: string; at: string; subject: string }[] }>(
      'GET',
      `/audit?subject=${leadId}`,
      { token: auditor },
    );
    expect(status).toBe(200);
    // The fund allocation may already have added its own entry for the lead (fund.reserved).
    const leadActions = body.items
      .map((entry) => entry.action)
      .filter((action) => action.startsWith('lead.'));
    expect(leadActions).toEqual(['lead.evaluated', 'lead.received']);
    // Its steps may sit in different chains (each writer appends to its own): newest first is by time.
    const times = body.items.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(body.items.every((entry) => entry.subject === leadId)).toBe(true);
  });

  it('replays the recorded decision identically for an auditor', async () => {
    const { status, body } = await api<{
      identical: boolean;
      policyHashMatches: boolean;
      inputHashMatches: boolean;
    }>('POST', `/leads/${leadId}/decisions/1/replay`, { token: auditor });
    expect(status).toBe(200);
    expect(body).toMatchObject({ identical: true, policyHashMatches: true, inputHashMatches: true });
  });

  it('keeps the auditor routes from sector teams and finance, and answers 404 for a missing revision', async () => {
    for (const token of [food, finance]) {
      expect((await api('GET', '/audit', { token })).status).toBe(403);
      expect((await api('GET', '/audit/verify', { token })).status).toBe(403);
      expect((await api('POST', `/leads/${leadId}/decisions/1/replay`, { token })).status).toBe(403);
    }
    expect((await api('POST', `/leads/${leadId}/decisions/2/replay`, { token: auditor })).status).toBe(404);
    const bad = await api<{ errors: { field: string }[] }>('POST', `/leads/${leadId}/decisions/x/replay`, {
      token: auditor,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((problem) => problem.field)).toEqual(['revision']);
  });
});
