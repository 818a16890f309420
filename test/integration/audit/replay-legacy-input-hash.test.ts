import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from '#shared/adapters/dynamodb/dynamo-lead-store.ts';
import { canonicalJson, hashCanonical, sha256Hex } from '#shared/domain/canonical-json.ts';
import { leadIdFor, settleDecision } from '#shared/domain/lead-outcome.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import { LEGACY_INPUT_HASHING } from '#shared/policy/input-hash.ts';
import type { LeadInput } from '#shared/schemas/lead.ts';
import { makeValidResidentId } from '#test/fixtures/identifiers.ts';
import { receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { parseValidLead } from '#test/fixtures/leads.ts';
import {
  api,
  ensureDefaultPolicy,
  freshLead,
  localDynamoDb,
  tableName,
  tokenFor,
} from '#test/support/api.ts';

/**
 * A lead and its decision stored before input hashes were keyed (form 1: SHA-256 of the lead; the
 * request hash a plain SHA-256 of the body), written here as that code wrote them. After the upgrade
 * the decision still replays byte for byte with the form it was recorded with, and a retry of the
 * original request is still recognised as the same request.
 */

const client = localDynamoDb();
const userId = `legacy-officer-${randomUUID().slice(0, 8)}`;
const idempotencyKey = `legacy-${randomUUID()}`;
const leadId = leadIdFor(userId, idempotencyKey);
let body: LeadInput;

beforeAll(async () => {
  await ensureDefaultPolicy(client);
  body = JSON.parse(
    JSON.stringify(
      freshLead('food', {
        introducer: {
          type: 'natural_person',
          name: '孙丽',
          residentId: makeValidResidentId('371522', '19710604', '415'),
        },
      }),
    ),
  ) as LeadInput;
  const lead = parseValidLead(body);
  // Its own audit chain: these entries are written outside the pipeline.
  const audit = new DynamoAuditTrail(client, tableName('AUDIT_TABLE'), `legacy-${randomUUID().slice(0, 8)}`);
  const leads = new DynamoLeadStore(client, tableName('LEADS_TABLE'), audit);
  const record = receivedLeadRecord(lead, {
    leadId,
    submittedBy: { userId, role: 'sector:food' },
    requestHash: sha256Hex(canonicalJson(body)),
    inputHash: hashCanonical(lead),
    inputHashForm: undefined,
  });
  expect(await leads.create(record, receivedAuditDraft(record))).toBe('created');
  const decision = evaluateLead(lead, DEFAULT_POLICY, LEGACY_INPUT_HASHING);
  const outcome = await leads.recordDecision(
    {
      leadId,
      revision: 1,
      evaluatedAt: new Date().toISOString(),
      lead,
      policyVersion: DEFAULT_POLICY.version,
      decision,
      ...settleDecision(decision, null),
    },
    {
      at: new Date().toISOString(),
      actor: { userId: 'pipeline', role: 'system' },
      action: 'lead.evaluated',
      subject: leadId,
      inputHash: decision.inputHash,
      policyVersion: DEFAULT_POLICY.version,
      details: { revision: 1 },
    },
  );
  expect(outcome).toBe('recorded');
});
afterAll(() => client.destroy());

describe('a decision recorded with the form-1 input hash, after the upgrade', () => {
  it('replays identically with form 1, its input hash matching', async () => {
    const auditor = await tokenFor('auditor');
    const { status, body: replay } = await api<{
      identical: boolean;
      inputHashMatches: boolean;
      recorded: { inputHashForm?: unknown };
    }>('POST', `/leads/${leadId}/decisions/1/replay`, { token: auditor });
    expect(status).toBe(200);
    expect(replay).toMatchObject({ identical: true, policyHashMatches: true, inputHashMatches: true });
    expect(replay.recorded.inputHashForm).toBeUndefined();
  });

  it('still answers a retry of the original request as the same lead, and another body as a conflict', async () => {
    const team = await tokenFor('sector:food', userId);
    const headers = { 'idempotency-key': idempotencyKey };
    const retry = await api<{ leadId: string }>('POST', '/leads', { token: team, body, headers });
    expect(retry.status).toBe(202);
    expect(retry.body.leadId).toBe(leadId);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const other = await api('POST', '/leads', {
      token: team,
      body: { ...body, projectName: `${body.projectName} 二期` },
      headers,
    });
    expect(other.status).toBe(409);
  });
});
