import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { siteCheck } from '#test/fixtures/evidence.ts';
import { freshInvestor } from '#test/fixtures/lead-records.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { api, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';
import { adaptersWithDefaultFund } from '#test/support/default-fund.ts';
import { COLLECTIVE_DECISION, completePayoutPrerequisites } from '#test/support/payout-prerequisites.ts';

/**
 * Issue 17, part 3, over HTTP under kfq-2019's default tiers: each approver's sign-off is an entry of its
 * own through `POST /leads/{id}/approve`; the last one the amount needs approves; every approver is a
 * different person, never the submitter or an evidence recorder.
 */

beforeAll(async () => {
  await adaptersWithDefaultFund();
});

interface Answer {
  readonly state?: string;
  readonly code?: string;
  readonly missing?: string[];
  readonly signOffs?: { slot: string | null; signedBy: { userId: string; role: string } }[];
  readonly errors?: { field: string }[];
  readonly decidedBy?: { userId: string; role: string };
}

const approve = async (leadId: string, token: string, body: object = {}) =>
  api<Answer>('POST', `/leads/${leadId}/approve`, { token, body });

async function readyLead(fundRequest: string | undefined) {
  const officer = `officer-${randomUUID().slice(0, 8)}`;
  const sector = await tokenFor('sector:optoelectronics', officer);
  const leadId = await submit(sector, leadInput({ investor: freshInvestor(), fundRequest }));
  await waitForEvaluation(sector, leadId);
  await completePayoutPrerequisites(leadId, sector, { signOffs: false });
  return { leadId, officer, sector };
}

describe('approval tiers by amount', () => {
  it('2 tiers (reward 240万): finance, then the finance head approves; same person, submitter, recorder refused', async () => {
    const { leadId, officer } = await readyLead(undefined);
    const financeUser = `fin-${randomUUID().slice(0, 8)}`;
    const finance = await tokenFor('finance', financeUser);

    const submitter = await approve(leadId, await tokenFor('finance', officer));
    expect(submitter.status).toBe(403);
    expect(submitter.body.code).toBe('maker_checker');
    const recorderUser = `fin-rec-${randomUUID().slice(0, 8)}`;
    const recorder = await tokenFor('finance', recorderUser);
    expect(
      (await api('POST', `/leads/${leadId}/evidence/site-check`, { token: recorder, body: siteCheck() }))
        .status,
    ).toBe(201);
    const recorded = await approve(leadId, recorder);
    expect(recorded.status).toBe(403);
    expect(recorded.body.code).toBe('approver_recorded_evidence');

    const first = await approve(leadId, finance, { note: '初审通过' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ state: 'PENDING_SIGN_OFF', missing: ['financeHead'] });
    const twice = await approve(leadId, finance);
    expect(twice.status).toBe(403);
    expect(twice.body.code).toBe('approver_not_distinct');
    const another = await approve(leadId, await tokenFor('finance'));
    expect(another.status).toBe(409);
    expect(another.body).toMatchObject({ code: 'sign_off_not_needed', missing: ['financeHead'] });
    const view = await api<{ status: string }>('GET', `/leads/${leadId}`, { token: finance });
    expect(view.body.status).toBe('PENDING_FINANCE');

    const headUser = `head-${randomUUID().slice(0, 8)}`;
    const approved = await approve(leadId, await tokenFor('finance-head', headUser));
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'APPROVED',
      missing: [],
      decidedBy: { userId: headUser, role: 'finance-head' },
    });
    expect(approved.body.signOffs?.map((s) => [s.slot, s.signedBy.userId])).toEqual([
      ['finance', financeUser],
      ['financeHead', headUser],
    ]);

    // Maker-checker covers every signer, not only the last: the first tier's approver may not pay.
    const paidBySigner = await api<{ code?: string }>('POST', `/leads/${leadId}/paid`, {
      token: finance,
      body: { reference: 'PAY-TIER-0001' },
    });
    expect(paidBySigner.status).toBe(403);
    expect(paidBySigner.body.code).toBe('maker_checker');

    const trail = await api<{ items: { action: string; details: Record<string, unknown> }[] }>(
      'GET',
      `/audit?subject=${leadId}`,
      { token: await tokenFor('auditor') },
    );
    const signedOff = trail.body.items.filter((e) => e.action === 'reward.signed_off');
    expect(signedOff).toHaveLength(1);
    expect(signedOff[0]?.details).toMatchObject({ slot: 'finance', missing: 'financeHead' });
    const approval = trail.body.items.find((e) => e.action === 'reward.approved');
    expect(approval?.details).toMatchObject({
      required: 'finance,financeHead',
      signedBy: `finance:${financeUser},financeHead:${headUser}`,
    });
  });

  it('3 tiers (240万 reward + 1000万 fund share): finance, the head with the collective decision', async () => {
    // The tier counts the fund share the lead holds: the shared default fund is drawn down by the rest of the
    // run, so it is topped up first (a waitlisted lead would hold nothing and need no collective decision).
    const topUp = await api('POST', '/funds/conversion-2019/top-up', {
      token: await tokenFor('admin'),
      body: { amount: '50亿' },
    });
    expect(topUp.status).toBe(200);
    const { leadId } = await readyLead('1000万');
    const finance = await tokenFor('finance');
    const first = await approve(leadId, finance);
    expect(first.status).toBe(202);
    expect(first.body.missing).toEqual(['financeHead', 'collectiveDecision']);

    const head = await tokenFor('finance-head');
    const bad = await approve(leadId, head, {
      collectiveDecision: { ...COLLECTIVE_DECISION, meetingDate: '七月十日' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(['collectiveDecision.meetingDate']);
    const signed = await approve(leadId, head);
    expect(signed.status).toBe(202);
    expect(signed.body.missing).toEqual(['collectiveDecision']);
    // The collective decision, added afterwards by one who signed, is the last entry: it approves.
    const approved = await approve(leadId, head, { collectiveDecision: COLLECTIVE_DECISION });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'APPROVED', missing: [] });
    expect(approved.body.signOffs?.map((s) => s.slot)).toEqual(['finance', 'financeHead', null]);
    const trail = await api<{ items: { action: string; details: Record<string, unknown> }[] }>(
      'GET',
      `/audit?subject=${leadId}`,
      { token: await tokenFor('auditor') },
    );
    expect(trail.body.items.find((e) => e.action === 'reward.approved')?.details).toMatchObject({
      required: 'finance,financeHead,collectiveDecision',
      collectiveBody: COLLECTIVE_DECISION.body,
      collectiveMinutesNumber: COLLECTIVE_DECISION.minutesNumber,
    });
  });
});
