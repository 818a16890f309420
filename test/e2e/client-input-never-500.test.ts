import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '#infra/resources.ts';
import { wrapCursor } from '#shared/use-cases/query-params.ts';
import { type ApiAnswer, api, tokenFor } from '#test/support/api.ts';

/**
 * Issue 12, defect 7: whatever a client puts in a path or a cursor is answered 4xx problem+json naming
 * the field, never 500. Every route with a path parameter (iterated from infra/resources.ts, so a new
 * one is covered by itself) gets an id of 3,000 characters; every paged route gets forged cursors.
 */

type Problem = { type: string; status: number; errors?: { field: string; message: string }[] };

const tokens = new Map<string, string>();
async function tokenForRoute(route: RouteDefinition): Promise<string | undefined> {
  if (route.access === 'public') return undefined;
  const role = route.access[0] === 'sector' ? 'sector:optoelectronics' : route.access[0];
  if (role === undefined) return undefined;
  if (!tokens.has(role)) tokens.set(role, await tokenFor(role));
  return tokens.get(role);
}

/** A body the route accepts, so the path is the only thing wrong. */
const VALID_BODIES: Readonly<Record<string, unknown>> = {
  'POST /leads/{id}/actual-investment': { amount: '1.2亿', evidence: '验资报告' },
  'POST /leads/{id}/approve': { note: 'ok' },
  'POST /leads/{id}/reject': { reason: 'not eligible' },
  'POST /leads/{id}/stages/{stage}/approval': {},
  'POST /leads/{id}/stages/{stage}/paid': { reference: 'BANK-1' },
  'POST /leads/{id}/clawbacks/{clawbackId}/approval': {},
  'POST /leads/{id}/clawbacks/{clawbackId}/rejection': { reason: 'x' },
  'POST /leads/{id}/clawbacks/{clawbackId}/refund': { reference: 'R-1', receivedOn: '2026-01-01' },
  'POST /leads/{id}/discretionary-rewards/{rewardId}/approve': {},
  'POST /leads/{id}/discretionary-rewards/{rewardId}/reject': { reason: 'x' },
  'POST /leads/{id}/discretionary-rewards/{rewardId}/paid': { reference: 'ZJ-1' },
  'POST /leads/{id}/case-outcome': { rewardFen: 0, fundFen: 0, reason: '一事一议纪要' },
  'POST /leads/{id}/paid': { reference: 'PAY-1' },
  'POST /funds/{fundId}/top-up': { amount: '100万' },
  'POST /projects/{projectId}/stage': { stage: 'signed', on: '2019-01-02' },
  'PUT /projects/{projectId}/plans/{year}': { annual: '1亿' },
  'POST /projects/{projectId}/progress': { month: '2019-01', completed: '100万' },
  'POST /supervision/{supervisionId}/resolve': { note: '已办结' },
  'PUT /calendar/{year}': { holidays: [] },
  'PUT /reports/ranking/{year}/{half}/ratings': { ratings: [{ sector: 'food', park: 80, field: 80 }] },
  'POST /notices/{noticeId}/objections': {
    receivedOn: '2026-01-05',
    from: { name: '张三' },
    summary: '异议',
  },
  'POST /notices/{noticeId}/objections/{objectionId}/resolution': { outcome: 'dismissed', reason: '不成立' },
};
const VALID_PARAMS: Readonly<Record<string, string>> = {
  id: `ld_${'0'.repeat(24)}`,
  fundId: 'conversion-2019',
  revision: '1',
  projectId: `pj_${'0'.repeat(24)}`,
  supervisionId: `sv_${'0'.repeat(24)}`,
  year: '2019',
  half: '1',
  noticeId: `nt_${'0'.repeat(24)}`,
  objectionId: `ob_${'0'.repeat(20)}`,
  stage: '1',
  clawbackId: `cb_${'0'.repeat(24)}`,
  rewardId: `dr_${'0'.repeat(24)}`,
};

function expectRefused(answer: ApiAnswer<Problem>, field: string, label: string): void {
  expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBe(400);
  expect(answer.headers.get('content-type'), label).toBe('application/problem+json');
  expect(
    answer.body.errors?.map((problem) => problem.field),
    label,
  ).toEqual([field]);
}

const withPathParameters = (routes as readonly RouteDefinition[]).filter((route) => route.path.includes('{'));

describe('path parameters', () => {
  it('covers every route with a path parameter', () => {
    expect(withPathParameters.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'GET /leads/{id}',
        'GET /funds/{fundId}',
        'POST /leads/{id}/actual-investment',
        'POST /leads/{id}/approve',
        'POST /leads/{id}/reject',
        'POST /leads/{id}/paid',
        'POST /leads/{id}/case-outcome',
        'POST /leads/{id}/decisions/{revision}/replay',
        'POST /funds/{fundId}/top-up',
      ]),
    );
  });

  const cases = withPathParameters.flatMap((route) =>
    [...route.path.matchAll(/\{(\w+)\}/g)].flatMap(([, name = '']) =>
      ['x'.repeat(3000), `${VALID_PARAMS[name]}${'x'.repeat(3000)}`, '%E4%B8%AD', '%00'].map(
        (value) => [`${route.method} ${route.path}`, name, value.slice(0, 12), value, route] as const,
      ),
    ),
  );

  it.each(cases)('%s with {%s} = %j… is 400 naming it', async (key, name, _shown, value, route) => {
    const path = route.path.replace(/\{(\w+)\}/g, (_whole, param: string) =>
      param === name ? value : (VALID_PARAMS[param] ?? ''),
    );
    const answer = await api<Problem>(route.method === 'DELETE' ? 'POST' : route.method, path, {
      token: await tokenForRoute(route),
      body: VALID_BODIES[key],
    });
    expectRefused(answer, name, `${key} {${name}}`);
  });
});

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const LONG = 'a'.repeat(2048);
const AT = '2026-01-15T08:00:00.000Z';

/** Store keys a client could forge: each attribute set and value DynamoDB would refuse or misplace. */
const leadKeys = {
  wrongAttributes: { foo: { S: 'x' } },
  bySectorKey: marshall({ pk: 'LEAD#x', sk: 'LEAD', gsi1pk: 'SECTOR#food', gsi1sk: `${AT}#x` }),
  byStatusKeyOfPaid: marshall({ pk: 'LEAD#x', sk: 'LEAD', gsi2pk: 'STATUS#PAID', gsi2sk: `${AT}#x` }),
  twoKilobyteValue: marshall({
    pk: 'LEAD#x',
    sk: 'LEAD',
    gsi2pk: 'STATUS#PENDING_FINANCE',
    gsi2sk: `${AT}#${LONG}`,
  }),
  numberForString: {
    pk: { N: '1' },
    sk: { S: 'LEAD' },
    gsi2pk: { S: 'STATUS#PENDING_FINANCE' },
    gsi2sk: { S: AT },
  },
  plainValues: { pk: 'LEAD#x', sk: 'LEAD', gsi2pk: 'STATUS#PENDING_FINANCE', gsi2sk: AT },
  extraAttribute: {
    ...marshall({ pk: 'LEAD#x', sk: 'LEAD', gsi2pk: 'STATUS#PENDING_FINANCE', gsi2sk: AT }),
    status: { S: 'PAID' },
  },
  beforeTheRange: marshall({
    pk: 'LEAD#x',
    sk: 'LEAD',
    gsi2pk: 'STATUS#PENDING_FINANCE',
    gsi2sk: '2019-01-01',
  }),
};

/** What a client could send instead of a cursor, given how the route wraps the store's key. */
function forgeries(
  wrap: (storeCursor: string) => string,
  keys: Readonly<Record<string, unknown>> = leadKeys,
) {
  return [
    ['garbage', 'not a cursor!'],
    ['base64url of text', Buffer.from('hello', 'utf8').toString('base64url')],
    ['base64url of a JSON array', base64url([1, 2])],
    ['a wrapper around garbage', wrap('%%%')],
    ...Object.entries(keys).map(([name, key]) => [name, wrap(base64url(key))] as const),
  ] as const;
}

describe('forged cursors', () => {
  let finance: string;
  let auditor: string;
  beforeAll(async () => {
    [finance, auditor] = await Promise.all([tokenFor('finance'), tokenFor('auditor')]);
  });

  // GET /leads wraps the store's key with a fingerprint of the filters; a client can compute it.
  const listFilters = { status: 'PENDING_FINANCE', from: '2026-01-01T00:00:00.000Z' };
  it.each(forgeries((store) => wrapCursor(store, listFilters) ?? ''))(
    'GET /leads?status=…&from=… refuses %s with 400 naming the cursor',
    async (_name, cursor) => {
      const answer = await api<Problem>(
        'GET',
        `/leads?status=PENDING_FINANCE&from=2026-01-01T08:00:00%2B08:00&cursor=${encodeURIComponent(cursor)}`,
        { token: finance },
      );
      expectRefused(answer, 'cursor', cursor);
    },
  );

  // Without a sector or status the listing reads the one-partition, key-only newestFirst index (issue 18).
  it.each([
    ['a month cursor of the former listing', { gsi3pk: { S: 'MONTH#2026-01' } }],
    [
      'a key of another partition',
      marshall({ pk: 'LEAD#x', sk: 'LEAD', gsi4pk: 'OTHER', gsi4sk: `${AT}#x` }),
    ],
    [
      'a key after the range',
      marshall({ pk: 'LEAD#x', sk: 'LEAD', gsi4pk: 'LEADS', gsi4sk: '2026-03-01T00:00:00.000Z#x' }),
    ],
    [
      'a key with other attributes',
      marshall({ pk: 'LEAD#x', sk: 'LEAD', gsi4pk: 'LEADS', gsi4sk: `${AT}#x`, gsi1pk: 'SECTOR#food' }),
    ],
  ])('GET /leads (newest first) refuses %s with 400', async (_name, key) => {
    const cursor = wrapCursor(base64url(key), { to: '2026-02-28T15:59:59.999Z' }) ?? '';
    const answer = await api<Problem>('GET', `/leads?to=2026-02-28&cursor=${cursor}`, { token: finance });
    expectRefused(answer, 'cursor', JSON.stringify(key));
  });

  it('GET /leads (newest first) still takes its own cursor', async () => {
    const key = marshall({ pk: 'LEAD#x', sk: 'LEAD', gsi4pk: 'LEADS', gsi4sk: `${AT}#x` });
    const cursor = wrapCursor(base64url(key), { to: '2026-02-28T15:59:59.999Z' });
    const answer = await api('GET', `/leads?to=2026-02-28&cursor=${cursor}`, { token: finance });
    expect(answer.status).toBe(200);
  });

  const auditSubject = 'ld_000000000000000000000000';
  const auditKeys = {
    ...leadKeys,
    byActorKey: marshall({ pk: 'CHAIN#main', seq: 3, actorId: 'someone' }),
    otherSubject: marshall({ pk: 'CHAIN#main', seq: 3, subject: 'another' }),
    otherChain: marshall({ pk: 'CHAIN#other', seq: 3, subject: auditSubject }),
    seqNotANumber: { pk: { S: 'CHAIN#main' }, seq: { N: 'three' }, subject: { S: auditSubject } },
    twoKilobyteSubject: marshall({ pk: 'CHAIN#main', seq: 3, subject: LONG }),
  };
  it.each(Object.entries(auditKeys))(
    'GET /audit?subject= refuses the key %s with 400',
    async (_name, key) => {
      const cursor = wrapCursor(base64url(key), { subject: auditSubject }) ?? '';
      const answer = await api<Problem>('GET', `/audit?subject=${auditSubject}&cursor=${cursor}`, {
        token: auditor,
      });
      expectRefused(answer, 'cursor', JSON.stringify(key));
    },
  );

  // GET /rewards hands out the store's own cursor (and asks for no range: any date is inside it).
  const { beforeTheRange: _inside, ...rewardKeys } = leadKeys;
  it.each(forgeries((store) => store, rewardKeys))(
    'GET /rewards refuses %s with 400 naming the cursor',
    async (_n, cursor) => {
      const answer = await api<Problem>(
        'GET',
        `/rewards?status=PENDING_FINANCE&cursor=${encodeURIComponent(cursor)}`,
        { token: finance },
      );
      expectRefused(answer, 'cursor', cursor);
    },
  );
});

describe('GET /rewards query parameters', () => {
  it.each([
    ['sector', 'sector=Not%20A%20Sector'],
    ['sector', `sector=${'x'.repeat(3000)}`],
    ['status', 'status=SOMETIMES'],
    ['limit', 'limit=0'],
    ['limit', 'limit=abc'],
    ['limit', 'limit=101'],
    ['cursor', `cursor=${'x'.repeat(5000)}`],
    ['colour', 'colour=blue'],
  ])('refuses a bad %s (%s…) with 400 naming it', async (field, query) => {
    const answer = await api<Problem>('GET', `/rewards?${query}`, { token: await tokenFor('finance') });
    expectRefused(answer, field, query.slice(0, 40));
  });

  it('answers a good query with a page', async () => {
    const answer = await api<{ items: unknown[]; nextCursor: string | null }>(
      'GET',
      '/rewards?status=PENDING_FINANCE&sector=optoelectronics&limit=5',
      { token: await tokenFor('finance') },
    );
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body.items)).toBe(true);
  });
});
