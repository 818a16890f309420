import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadView } from '#shared/use-cases/get-lead.ts';
import { auditReport, siteCheck } from '#test/fixtures/evidence.ts';
import { freshInvestor } from '#test/fixtures/lead-records.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { referrerRegistration } from '#test/fixtures/referrer-registration.ts';
import { api, eventually, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';
import { adaptersWithDefaultFund } from '#test/support/default-fund.ts';
import { signAboveFirstTier } from '#test/support/payout-prerequisites.ts';

/**
 * Issue 17, part 1, over HTTP on the local stack under kfq-2019 (whose payout rules are the defaults):
 * the referrer's registration (报备) is a new decision revision; a late one, or a referrer who is
 * public-payroll staff or tied to the investor, makes the reward not eligible with the reason in the
 * decision; without one, approval is 409 `registration_missing`; every step is in the audit trail.
 */

beforeAll(async () => {
  await adaptersWithDefaultFund();
});

interface Problem {
  readonly status: number;
  readonly code?: string;
  readonly missing?: string[];
  readonly detail: string;
  readonly errors?: { field: string }[];
}

async function decidedAt(token: string, leadId: string, revision: number): Promise<LeadView> {
  return eventually(async () => {
    const view = (await api<LeadView>('GET', `/leads/${leadId}`, { token })).body;
    return view.latestRevision >= revision && view.pendingRevision === undefined ? view : undefined;
  });
}

describe('POST /leads/{id}/referrer-registration', () => {
  it('is required before approval, re-evaluates the lead, names late registration in the decision, and is audited', async () => {
    const officer = `officer-${randomUUID().slice(0, 8)}`;
    const sector = await tokenFor('sector:optoelectronics', officer);
    const finance = await tokenFor('finance', `fin-${randomUUID().slice(0, 8)}`);
    const auditor = await tokenFor('auditor', 'auditor-payout');
    // Verified actual investment at submission and no fund request: payable on revision 1, by the decision.
    const leadId = await submit(sector, leadInput({ investor: freshInvestor(), fundRequest: undefined }));
    await waitForEvaluation(sector, leadId);

    const unregistered = await api<Problem>('POST', `/leads/${leadId}/approve`, { token: finance, body: {} });
    expect(unregistered.status).toBe(409);
    expect(unregistered.body).toMatchObject({
      code: 'registration_missing',
      missing: ['referrerRegistration'],
    });
    expect(unregistered.body.detail).toContain('报备');
    // Finance's list says the same before anyone presses 批准.
    const listed = await api<{
      items: { leadId: string; approvable: boolean; notApprovableBecause: { code: string } | null }[];
    }>('GET', '/rewards?status=PENDING_FINANCE&sector=optoelectronics&limit=100', { token: finance });
    expect(listed.body.items.find((item) => item.leadId === leadId)).toMatchObject({
      approvable: false,
      notApprovableBecause: { code: 'registration_missing' },
    });

    // Another team does not learn the lead exists; a bad body names every bad field.
    const foreign = await api('POST', `/leads/${leadId}/referrer-registration`, {
      token: await tokenFor('sector:food', 'officer-food'),
      body: referrerRegistration(),
    });
    expect(foreign.status).toBe(404);
    const { park: _park, ...twoConfirmations } = referrerRegistration().confirmations;
    const bad = await api<Problem>('POST', `/leads/${leadId}/referrer-registration`, {
      token: sector,
      body: {
        ...referrerRegistration({ registeredOn: '2026-02-30' }),
        confirmations: twoConfirmations,
        publicPayrollStaff: 'no',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual([
      'confirmations.park',
      'publicPayrollStaff',
      'registeredOn',
    ]);

    // Registered after the contract was signed: a new revision says the reward is not eligible, and why.
    const late = await api<{ revision: number }>('POST', `/leads/${leadId}/referrer-registration`, {
      token: sector,
      body: referrerRegistration({ registeredOn: '2026-03-20', contractSignedOn: '2026-03-18' }),
    });
    expect(late.status).toBe(202);
    expect(late.body.revision).toBe(2);
    const lateView = await decidedAt(sector, leadId, 2);
    const lateReward = lateView.latestDecision?.decision.referralReward;
    expect(lateReward).toMatchObject({ eligible: false, payable: false, amountFen: 0 });
    expect(lateReward?.reasons).toContain('registered_after_signing');
    expect(lateReward?.explanation.zh).toContain('报备日期晚于项目签约日期');
    expect(lateView.lead.referrerRegistration?.registeredOn).toBe('2026-03-20');
    const refused = await api<Problem>('POST', `/leads/${leadId}/approve`, { token: finance, body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('nothing_payable');

    // The correction (the registration was in fact made on time): revision 3, eligible again, approvable.
    const corrected = await api<{ revision: number }>('POST', `/leads/${leadId}/referrer-registration`, {
      token: sector,
      body: referrerRegistration(),
    });
    expect(corrected.status).toBe(202);
    const view = await decidedAt(sector, leadId, 3);
    expect(view.latestDecision?.decision.referralReward).toMatchObject({
      eligible: true,
      payable: true,
      amountFen: 240_000_000,
    });
    // The evidence (part 2) by two people of the team, then finance approves.
    await api('POST', `/leads/${leadId}/evidence/audit-report`, {
      token: sector,
      body: auditReport(12_000_000_000),
    });
    const checker = await tokenFor('sector:optoelectronics', `checker-${randomUUID().slice(0, 8)}`);
    await api('POST', `/leads/${leadId}/evidence/site-check`, { token: checker, body: siteCheck() });
    // 240万 is above the first approval tier: the finance head signs first (part 3).
    await signAboveFirstTier(leadId);
    const approved = await api('POST', `/leads/${leadId}/approve`, { token: finance, body: {} });
    expect(approved.status).toBe(200);

    // Both registrations are in the trail, with who recorded them; the late decision replays identically.
    const trail = await api<{
      items: { action: string; actor: { userId: string }; details: Record<string, unknown> }[];
    }>('GET', `/audit?subject=${leadId}&action=lead.referrer_registered`, { token: auditor });
    expect(trail.status).toBe(200);
    expect(trail.body.items).toHaveLength(2);
    expect(trail.body.items.map((e) => e.details.nextRevision).sort()).toEqual([2, 3]);
    expect(trail.body.items.every((e) => e.actor.userId === officer)).toBe(true);
    const replay = await api<{ identical: boolean }>('POST', `/leads/${leadId}/decisions/2/replay`, {
      token: auditor,
    });
    expect(replay.body.identical).toBe(true);

    // Once finance decided, a registration can no longer change the reward.
    const closed = await api<Problem>('POST', `/leads/${leadId}/referrer-registration`, {
      token: sector,
      body: referrerRegistration({ tiedToInvestor: true }),
    });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('review_closed');
  });

  it('takes public-payroll staff and parties tied to the investor out of the reward, each with its reason', async () => {
    const sector = await tokenFor('sector:food', `officer-${randomUUID().slice(0, 8)}`);
    for (const [flags, reason] of [
      [{ publicPayrollStaff: true }, 'introducer_public_payroll_staff'],
      [{ tiedToInvestor: true }, 'introducer_tied_to_investor'],
    ] as const) {
      const leadId = await submit(
        sector,
        leadInput({ sector: 'food', investor: freshInvestor(), fundRequest: undefined }),
      );
      await waitForEvaluation(sector, leadId);
      const answer = await api('POST', `/leads/${leadId}/referrer-registration`, {
        token: sector,
        body: referrerRegistration(flags),
      });
      expect(answer.status).toBe(202);
      const reward = (await decidedAt(sector, leadId, 2)).latestDecision?.decision.referralReward;
      expect(reward).toMatchObject({ eligible: false, amountFen: 0 });
      expect(reward?.reasons).toEqual([reason]);
    }
  });

  it('is refused for a lead without an introducer', async () => {
    const sector = await tokenFor('sector:equipment', `officer-${randomUUID().slice(0, 8)}`);
    const leadId = await submit(
      sector,
      leadInput({ sector: 'equipment', investor: freshInvestor(), introducer: { type: 'none' } }),
    );
    await waitForEvaluation(sector, leadId);
    const answer = await api<Problem>('POST', `/leads/${leadId}/referrer-registration`, {
      token: sector,
      body: referrerRegistration(),
    });
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('no_introducer');
  });
});
