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

/**
 * GET /leads through the store's indexes: newest first, a cursor to the next page, filters by sector,
 * status and period, a sector team held to its own sector, bad parameters named.
 */

type LeadList = {
  items: { leadId: string; sector: string; status: string; submittedAt: string }[];
  nextCursor: string | null;
};
type Problem = { errors: { field: string; message: string }[] };

const SECTOR = 'culture_tourism';
let team: string;
let finance: string;
let since: string;
const submitted: string[] = [];

beforeAll(async () => {
  await ensureDefaultPolicy(localDynamoDb());
  [team, finance] = await Promise.all([tokenFor(`sector:${SECTOR}`), tokenFor('finance')]);
  since = new Date(Date.now() - 1000).toISOString();
  for (let index = 0; index < 3; index += 1) submitted.push(await submit(team, freshLead(SECTOR)));
  await Promise.all(submitted.map((leadId) => waitForEvaluation(team, leadId)));
});

describe('GET /leads', () => {
  it('pages a sector’s leads newest first, the cursor leading to the next page', async () => {
    const query = `sector=${SECTOR}&from=${encodeURIComponent(since)}&limit=2`;
    const first = await api<LeadList>('GET', `/leads?${query}`, { token: finance });
    expect(first.status).toBe(200);
    const newestFirst = [...submitted].reverse();
    expect(first.body.items.map((item) => item.leadId)).toEqual(newestFirst.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api<LeadList>('GET', `/leads?${query}&cursor=${first.body.nextCursor}`, {
      token: finance,
    });
    expect(second.status).toBe(200);
    expect(second.body.items.map((item) => item.leadId)).toEqual(newestFirst.slice(2));
    const all = [...first.body.items, ...second.body.items].map((item) => item.submittedAt);
    expect(all).toEqual([...all].sort().reverse());
  });

  it('filters by status and by period, and lists across sectors for finance', async () => {
    const byStatus = await api<LeadList>(
      'GET',
      `/leads?sector=${SECTOR}&status=RECEIVED&from=${encodeURIComponent(since)}`,
      { token: finance },
    );
    expect(byStatus.body.items).toEqual([]);
    const acrossSectors = await api<LeadList>('GET', `/leads?from=${encodeURIComponent(since)}&limit=100`, {
      token: finance,
    });
    expect(acrossSectors.status).toBe(200);
    const ids = acrossSectors.body.items.map((item) => item.leadId);
    for (const leadId of submitted) expect(ids).toContain(leadId);
    const future = await api<LeadList>('GET', '/leads?from=2099-01-01&to=2099-01-31', { token: finance });
    expect(future.body).toEqual({ items: [], nextCursor: null });
  });

  it('holds a sector team to its own sector: its leads without asking, 403 for another sector', async () => {
    const own = await api<LeadList>('GET', `/leads?from=${encodeURIComponent(since)}`, { token: team });
    expect(own.status).toBe(200);
    expect(new Set(own.body.items.map((item) => item.sector))).toEqual(new Set([SECTOR]));
    const other = await api<{ detail: string }>('GET', '/leads?sector=food', { token: team });
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(other.body.detail).toContain('food');
  });

  it('answers 400 naming a bad status, date, limit, range, unknown parameter or cursor', async () => {
    const cases: [string, string[]][] = [
      ['status=DONE', ['status']],
      ['from=2019-02-30', ['from']],
      ['to=yesterday', ['to']],
      ['limit=0', ['limit']],
      ['limit=1000', ['limit']],
      ['from=2019-06-02&to=2019-06-01', ['from']],
      ['colour=red', ['colour']],
      ['cursor=not-a-cursor', ['cursor']],
    ];
    for (const [query, fields] of cases) {
      const answer = await api<Problem>('GET', `/leads?${query}`, { token: finance });
      expect(answer.status, query).toBe(400);
      expect(
        answer.body.errors.map((problem) => problem.field),
        query,
      ).toEqual(fields);
    }
  });

  it('refuses a cursor replayed with other filters', async () => {
    const first = await api<LeadList>('GET', `/leads?sector=${SECTOR}&limit=1`, { token: finance });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const replayed = await api<Problem>('GET', `/leads?sector=food&limit=1&cursor=${first.body.nextCursor}`, {
      token: finance,
    });
    expect(replayed.status).toBe(400);
    expect(replayed.body.errors[0]?.field).toBe('cursor');
  });
});
