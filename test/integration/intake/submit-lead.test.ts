import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { leadIdFor } from '#shared/domain/lead-outcome.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { makeValidUscc } from '#test/fixtures/identifiers.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { api, eventually, tokenFor, useLocalCloudEnv } from '#test/support/api.ts';

let adapters: Adapters;

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
  await adapters.policies.publish(DEFAULT_POLICY);
});

/** A lead about a project nobody has registered yet (fresh investor code). */
function freshLead(overrides: Record<string, unknown> = {}) {
  const seed = randomUUID()
    .replace(/-/g, '')
    .toUpperCase()
    .replace(/[IOSVZ]/g, '7')
    .slice(0, 8);
  return leadInput({
    investor: { name: '聊城测试投资有限公司', uscc: makeValidUscc(`91371500MA${seed.slice(0, 7)}`) },
    ...overrides,
  });
}

async function submit(body: unknown, options: { user?: string; sector?: string; key?: string } = {}) {
  const sector = options.sector ?? 'optoelectronics';
  const user = options.user ?? `officer-${sector}`;
  const key = options.key ?? randomUUID();
  const token = await tokenFor(`sector:${sector}`, user);
  const response = await api<Record<string, unknown>>('POST', '/leads', {
    token,
    headers: { 'idempotency-key': key },
    body: body,
  });
  return { response, key, user, leadId: leadIdFor(user, key) };
}

async function evaluated(leadId: string) {
  return eventually(async () => {
    const lead = await adapters.leads.get(leadId);
    return lead !== undefined && lead.latestRevision >= 1 ? lead : undefined;
  });
}

/** The intake and evaluation entries of a lead (the fund allocation adds its own, at its own pace). */
async function auditActions(leadId: string) {
  const page = await adapters.audit.query({ subject: leadId, limit: 100 });
  return page.entries
    .map((entry) => entry.action)
    .filter((action) => action.startsWith('lead.'))
    .sort();
}

describe('POST /leads', () => {
  it('stores the lead, answers 202 with its id and location, and the pipeline evaluates it', async () => {
    const { response, leadId } = await submit(freshLead());
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ leadId, status: 'RECEIVED' });
    expect(response.headers.get('location')).toBe(`/leads/${leadId}`);

    const lead = await evaluated(leadId);
    expect(lead.status).toBe('PENDING_FINANCE');
    const [decision] = await adapters.leads.decisions(leadId);
    expect(decision?.decision.referralReward.amountFen).toBe(240_000_000);
    expect(decision?.payableRewardFen).toBe(240_000_000);
    expect(decision?.policyVersion).toBe('kfq-2019');
    expect(await auditActions(leadId)).toEqual(['lead.evaluated', 'lead.received']);
  });

  it('answers a retry with the same key and body with the same lead, creating nothing new', async () => {
    const body = freshLead();
    const first = await submit(body);
    const again = await submit(body, { key: first.key });
    expect(again.response.status).toBe(202);
    expect(again.response.body).toEqual(first.response.body);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    await evaluated(first.leadId);
    expect(await auditActions(first.leadId)).toEqual(['lead.evaluated', 'lead.received']);
    expect(await adapters.leads.decisions(first.leadId)).toHaveLength(1);
  });

  it('refuses the same key with another body with 409 and changes nothing', async () => {
    const first = await submit(freshLead());
    const other = await submit(freshLead({ projectName: '另一个项目' }), { key: first.key });
    expect(other.response.status).toBe(409);
    expect(other.response.headers.get('content-type')).toBe('application/problem+json');
    expect(other.response.body).toMatchObject({ status: 409, code: 'idempotency_key_reused' });
    const stored = await adapters.leads.get(first.leadId);
    expect(stored?.lead.projectName).toBe('智能光电信息产业园');
  });

  it('refuses a lead for another sector with 403 and stores nothing', async () => {
    const { response, leadId } = await submit(freshLead({ sector: 'food' }), { sector: 'optoelectronics' });
    expect(response.status).toBe(403);
    expect(await adapters.leads.get(leadId)).toBeUndefined();
  });

  it('refuses finance submitting a lead with 403', async () => {
    const token = await tokenFor('finance', 'finance-1');
    const response = await api('POST', '/leads', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: freshLead(),
    });
    expect(response.status).toBe(403);
  });

  it('requires an Idempotency-Key header, naming it', async () => {
    const token = await tokenFor('sector:optoelectronics');
    const response = await api<{ errors: { field: string }[] }>('POST', '/leads', {
      token,
      body: freshLead(),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error) => error.field)).toEqual(['Idempotency-Key']);
  });

  it('lists every bad field in one problem+json answer and stores nothing', async () => {
    const body = {
      ...freshLead(),
      plannedInvestment: '-5',
      category: 'mining',
      investor: { name: '', uscc: 'X' },
    };
    const { response, leadId } = await submit(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const fields = (response.body as { errors: { field: string }[] }).errors.map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['plannedInvestment', 'category', 'investor.name', 'investor.uscc']),
    );
    expect(await adapters.leads.get(leadId)).toBeUndefined();
  });

  it('answers 413 for a body over 64 KiB, 415 for another content type and 400 for malformed JSON', async () => {
    const token = await tokenFor('sector:optoelectronics');
    const headers = { 'idempotency-key': randomUUID() };
    const big = await api('POST', '/leads', {
      token,
      headers,
      body: { ...freshLead(), projectName: 'x'.repeat(70_000) },
    });
    expect(big.status).toBe(413);
    const text = await api('POST', '/leads', {
      token,
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'sector=food',
    });
    expect(text.status).toBe(415);
    const malformed = await api('POST', '/leads', { token, headers, body: '{"sector":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ type: '/problems/malformed-body' });
  });

  it('flags a second team submitting the same investor and project as DUPLICATE_PROJECT, with no second reward', async () => {
    const body = freshLead();
    const first = await submit(body, { sector: 'optoelectronics' });
    const second = await submit(
      { ...body, sector: 'new_energy', projectName: ` ${body.projectName} ` },
      { sector: 'new_energy' },
    );
    expect(second.response.status).toBe(202);
    expect(second.response.body).toMatchObject({ duplicateOf: first.leadId });
    await evaluated(first.leadId);
    await evaluated(second.leadId);
    const [firstDecision] = await adapters.leads.decisions(first.leadId);
    const [secondDecision] = await adapters.leads.decisions(second.leadId);
    expect(firstDecision?.payableRewardFen).toBe(240_000_000);
    expect(secondDecision?.payableRewardFen).toBe(0);
    // The first lead holds the project's fund reservation; the duplicate gets none.
    await eventually(async () => adapters.funds.allocation('conversion-2019', first.leadId));
    expect(await adapters.funds.allocation('conversion-2019', second.leadId)).toBeUndefined();
    // Finance finds nothing to pay on the duplicate.
    const approval = await api<{ code: string; type: string }>('POST', `/leads/${second.leadId}/approve`, {
      token: await tokenFor('finance', 'finance-dup'),
      body: {},
    });
    expect(approval.status).toBe(409);
    expect(approval.body).toMatchObject({ type: '/problems/duplicate-project', code: 'duplicate_project' });
    expect(secondDecision?.adjustments).toEqual([
      {
        code: 'DUPLICATE_PROJECT',
        firstLeadId: first.leadId,
        effect: 'no_referral_reward_no_fund_allocation',
      },
    ]);
  });

  it('answers fuzzed bodies with a 4xx problem, never a 500, and stores nothing', async () => {
    const token = await tokenFor('sector:optoelectronics', 'fuzzer');
    const base = freshLead() as Record<string, unknown>;
    const arbBody = fc.oneof(
      fc.anything(),
      fc
        .record({ field: fc.constantFrom(...Object.keys(base), 'extra'), value: fc.anything() })
        .map(({ field, value }) => ({ ...base, [field]: value })),
      fc.string({ maxLength: 3000 }).map((projectName) => ({ ...base, projectName })),
      fc.constantFrom('1.234亿', '-1', 'NaN', '', '1e9', '0.001', '2万亿', 1e20).map((plannedInvestment) => ({
        ...base,
        plannedInvestment,
      })),
    );
    await fc.assert(
      fc.asyncProperty(arbBody, async (body) => {
        const key = randomUUID();
        const response = await api('POST', '/leads', {
          token,
          headers: { 'idempotency-key': key },
          body: JSON.stringify(body) ?? 'null',
        });
        if (response.status === 202) return; // the fuzzer may build a valid lead
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(await adapters.leads.get(leadIdFor('fuzzer', key))).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });
});
