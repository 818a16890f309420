import { beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  ensureDefaultPolicy,
  freshLead,
  localDynamoDb,
  submit,
  tokenFor,
  waitForEvaluation,
} from '#test/support/api.ts';

/** GET /audit for an auditor: by subject, actor, action and period, newest first, page by page. */

type AuditPage = {
  items: { seq: number; at: string; action: string; subject: string; actor: { userId: string } }[];
  nextCursor: string | null;
};

let auditor: string;
let leadIds: string[];
const SUBMITTER = `sector-new_energy-audit-${Date.now()}`;

beforeAll(async () => {
  await ensureDefaultPolicy(localDynamoDb());
  auditor = await tokenFor('auditor');
  const team = await tokenFor('sector:new_energy', SUBMITTER);
  leadIds = [await submit(team, freshLead('new_energy')), await submit(team, freshLead('new_energy'))];
  await Promise.all(leadIds.map((leadId) => waitForEvaluation(team, leadId)));
});

describe('GET /audit', () => {
  it('filters by actor and pages newest first with the cursor', async () => {
    const first = await api<AuditPage>('GET', `/audit?actor=${SUBMITTER}&limit=1`, { token: auditor });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const second = await api<AuditPage>(
      'GET',
      `/audit?actor=${SUBMITTER}&limit=1&cursor=${first.body.nextCursor}`,
      {
        token: auditor,
      },
    );
    const items = [...first.body.items, ...second.body.items];
    expect(items.map((item) => item.subject)).toEqual([leadIds[1], leadIds[0]]);
    expect(items.every((item) => item.action === 'lead.received' && item.actor.userId === SUBMITTER)).toBe(
      true,
    );
    // The end: no cursor (the chains merged know nothing is left), or one whose page is empty.
    if (second.body.nextCursor !== null) {
      const third = await api<AuditPage>(
        'GET',
        `/audit?actor=${SUBMITTER}&limit=1&cursor=${second.body.nextCursor}`,
        { token: auditor },
      );
      expect(third.body.items).toEqual([]);
    }
  });

  it('filters by action and period, and by subject with action together', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const evaluated = await api<AuditPage>('GET', `/audit?action=lead.evaluated&from=${today}&limit=100`, {
      token: auditor,
    });
    expect(evaluated.status).toBe(200);
    expect(evaluated.body.items.every((item) => item.action === 'lead.evaluated')).toBe(true);
    // Newest first across the audit chains (a sequence number orders one chain only).
    const times = evaluated.body.items.map((item) => item.at);
    expect(times).toEqual([...times].sort().reverse());
    const one = await api<AuditPage>('GET', `/audit?subject=${leadIds[0]}&action=lead.evaluated`, {
      token: auditor,
    });
    expect(one.body.items.map((item) => [item.subject, item.action])).toEqual([
      [leadIds[0], 'lead.evaluated'],
    ]);
    const past = await api<AuditPage>('GET', `/audit?subject=${leadIds[0]}&to=2019-01-01`, {
      token: auditor,
    });
    expect(past.body.items).toEqual([]);
  });

  it('answers 400 naming a bad action, date or limit', async () => {
    for (const [query, field] of [
      ['action=DROP%20TABLE', 'action'],
      ['from=2019-13-01', 'from'],
      ['limit=-1', 'limit'],
    ] as const) {
      const answer = await api<{ errors: { field: string }[] }>('GET', `/audit?${query}`, { token: auditor });
      expect(answer.status, query).toBe(400);
      expect(answer.body.errors.map((problem) => problem.field)).toEqual([field]);
    }
  });
});
