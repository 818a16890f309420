import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshInvestor } from '#test/fixtures/lead-records.ts';
import { leadInput, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';
import { api, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';
import { adaptersWithDefaultFund } from '#test/support/default-fund.ts';
import { completePayoutPrerequisites, endNoticePeriod } from '#test/support/payout-prerequisites.ts';

/**
 * Issue 17, part 4, over HTTP under kfq-2019 (notice of 5 working days by default): the approval opens the
 * notice; the public list answers without a token and shows nothing that identifies a person; the admin's
 * objection holds the payment until resolved. The wait itself is tested on a pinned clock
 * (test/integration/payout/public-notice.test.ts); here the notice is ended by `endNoticePeriod`.
 */

beforeAll(async () => {
  await adaptersWithDefaultFund();
});

interface PublicNotice {
  noticeId: string;
  projectName: string;
  investorName: string;
  introducerName: string | null;
  rewardFen: number;
  fundFen: number;
  legalBasis: { document: string; clauses: string[] }[];
  openedOn: string;
  objectionDeadline: string;
  status: string;
}

interface Problem {
  code?: string;
  detail?: string;
  errors?: { field: string }[];
}

async function approvedLeadOfAPerson() {
  const officer = `officer-${randomUUID().slice(0, 8)}`;
  const sector = await tokenFor('sector:optoelectronics', officer);
  const projectName = `公示测试项目-${randomUUID().slice(0, 6)}`;
  const leadId = await submit(
    sector,
    leadInput({
      projectName,
      investor: freshInvestor(),
      introducer: { type: 'natural_person', name: '张小明', residentId: PERSON_RESIDENT_ID },
      fundRequest: undefined,
    }),
  );
  await waitForEvaluation(sector, leadId);
  await completePayoutPrerequisites(leadId, sector);
  const approved = await api('POST', `/leads/${leadId}/approve`, {
    token: await tokenFor('finance', `fin-${randomUUID().slice(0, 8)}`),
    body: {},
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return { leadId, projectName };
}

describe('公示 over HTTP', () => {
  it('lists the approval publicly without a token, masked; an objection holds the payment until dismissed', async () => {
    const { leadId, projectName } = await approvedLeadOfAPerson();
    const payer = await tokenFor('finance', `payer-${randomUUID().slice(0, 8)}`);
    const adminToken = await tokenFor('admin', 'notice-admin');

    const notice = await api<{
      noticeId: string;
      openedOn: string;
      objectionDeadline: string;
      status: string;
    }>('GET', `/leads/${leadId}/notice`, { token: payer });
    expect(notice.status).toBe(200);
    expect(notice.body).toMatchObject({ workingDays: 5, status: 'open', objections: [] });
    const { noticeId, objectionDeadline } = notice.body;

    const listed = await api<{ items: PublicNotice[]; nextCursor: string | null }>(
      'GET',
      '/public/notices?limit=100',
    );
    expect(listed.status).toBe(200);
    const entry = listed.body.items.find((item) => item.noticeId === noticeId);
    expect(entry).toMatchObject({
      projectName,
      introducerName: '张**',
      rewardFen: 240_000_000,
      objectionDeadline,
      status: 'open',
    });
    expect(entry?.legalBasis[0]?.document).toBeTruthy();
    expect(Object.keys(entry ?? {}).sort()).toEqual(
      [
        'fundFen',
        'introducerName',
        'investorName',
        'legalBasis',
        'noticeId',
        'objectionDeadline',
        'openedOn',
        'projectName',
        'rewardFen',
        'status',
      ].sort(),
    );
    const wholeList = JSON.stringify(listed.body);
    expect(wholeList).not.toContain(PERSON_RESIDENT_ID);
    expect(wholeList).not.toContain(PERSON_RESIDENT_ID.slice(-6));
    expect(wholeList).not.toContain('张小明');

    // Read only and paged: a forged cursor is 400 naming it; a write is no route.
    const forged = await api<Problem>('GET', '/public/notices?cursor=bm90IGEgY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(forged.body.errors?.map((e) => e.field)).toEqual(['cursor']);
    const firstPage = await api<{ items: PublicNotice[]; nextCursor: string | null }>(
      'GET',
      '/public/notices?limit=1',
    );
    expect(firstPage.body.items).toHaveLength(1);
    if (firstPage.body.nextCursor !== null) {
      const next = await api<{ items: PublicNotice[] }>(
        'GET',
        `/public/notices?limit=1&cursor=${encodeURIComponent(firstPage.body.nextCursor)}`,
      );
      expect(next.status).toBe(200);
      expect(next.body.items[0]?.noticeId).not.toBe(firstPage.body.items[0]?.noticeId);
    }

    const early = await api<Problem>('POST', `/leads/${leadId}/paid`, {
      token: payer,
      body: { reference: 'PAY-NOTICE-1' },
    });
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toBe('application/problem+json');
    expect(early.body.code).toBe('notice_open');
    expect(early.body.detail).toContain(objectionDeadline);

    // Only the admin records objections; a bad one is 400 naming the fields.
    const objection = { receivedOn: notice.body.openedOn, from: { name: '李异议' }, summary: '引荐关系不实' };
    const beforeOpening = await api<Problem>('POST', `/notices/${noticeId}/objections`, {
      token: adminToken,
      body: { ...objection, receivedOn: '2020-01-01' },
    });
    expect(beforeOpening.status).toBe(400);
    expect(beforeOpening.body.errors?.map((e) => e.field)).toEqual(['receivedOn']);
    const byFinance = await api('POST', `/notices/${noticeId}/objections`, { token: payer, body: objection });
    expect(byFinance.status).toBe(403);
    const malformed = await api<Problem>('POST', `/notices/${noticeId}/objections`, {
      token: adminToken,
      body: { receivedOn: '7/1', from: {}, summary: '' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.map((e) => e.field).sort()).toEqual(
      ['from.name', 'receivedOn', 'summary'].sort(),
    );
    const key = `objection-${randomUUID()}`;
    const recorded = await api<{ objection: { objectionId: string }; notice: { status: string } }>(
      'POST',
      `/notices/${noticeId}/objections`,
      { token: adminToken, body: objection, headers: { 'idempotency-key': key } },
    );
    expect(recorded.status).toBe(201);
    expect(recorded.body.notice.status).toBe('held');
    const replay = await api<{ objection: { objectionId: string } }>(
      'POST',
      `/notices/${noticeId}/objections`,
      {
        token: adminToken,
        body: objection,
        headers: { 'idempotency-key': key },
      },
    );
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.objection.objectionId).toBe(recorded.body.objection.objectionId);

    await endNoticePeriod(leadId);
    const held = await api<Problem>('POST', `/leads/${leadId}/paid`, {
      token: payer,
      body: { reference: 'PAY-NOTICE-1' },
      headers: { 'accept-language': 'en' },
    });
    expect(held.status).toBe(409);
    expect(held.body.code).toBe('objection_pending');
    expect(held.body.detail).toContain('objection');

    const { objectionId } = recorded.body.objection;
    const resolved = await api<{ status: string }>(
      'POST',
      `/notices/${noticeId}/objections/${objectionId}/resolution`,
      { token: adminToken, body: { outcome: 'dismissed', reason: '经核实，引荐关系属实' } },
    );
    expect(resolved.status).toBe(201);
    expect(resolved.body.status).toBe('ended');
    const badOutcome = await api<Problem>(
      'POST',
      `/notices/${noticeId}/objections/${objectionId}/resolution`,
      { token: adminToken, body: { outcome: 'maybe', reason: 'x' } },
    );
    expect(badOutcome.status).toBe(400);
    expect(badOutcome.body.errors?.map((e) => e.field)).toEqual(['outcome']);

    const paid = await api<{ state: string }>('POST', `/leads/${leadId}/paid`, {
      token: payer,
      body: { reference: 'PAY-NOTICE-1' },
    });
    expect(paid.status).toBe(200);
    expect(paid.body.state).toBe('PAID');

    const trail = await api<{ items: { action: string; details: Record<string, unknown> }[] }>(
      'GET',
      `/audit?subject=${leadId}`,
      { token: await tokenFor('auditor') },
    );
    const actions = trail.body.items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'reward.approved',
        'notice.objection_recorded',
        'notice.objection_resolved',
        'reward.paid',
      ]),
    );
    expect(trail.body.items.find((e) => e.action === 'reward.approved')?.details).toMatchObject({
      noticeId,
      noticeWorkingDays: 5,
    });
  });

  it('a notice that does not exist is 404; a malformed id is 400 naming it', async () => {
    const adminToken = await tokenFor('admin');
    const body = { receivedOn: '2026-07-01', from: { name: '李异议' }, summary: '异议' };
    const missing = await api('POST', `/notices/nt_${'0'.repeat(24)}/objections`, {
      token: adminToken,
      body,
    });
    expect(missing.status).toBe(404);
    const malformed = await api<Problem>('POST', '/notices/nt_x/objections', { token: adminToken, body });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.map((e) => e.field)).toEqual(['noticeId']);
  });
});
