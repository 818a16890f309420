import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceList } from '#shared/schemas/evidence.ts';
import { auditReport, siteCheck } from '#test/fixtures/evidence.ts';
import { freshInvestor } from '#test/fixtures/lead-records.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { referrerRegistration } from '#test/fixtures/referrer-registration.ts';
import { api, eventually, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';
import { adaptersWithDefaultFund } from '#test/support/default-fund.ts';
import { signAboveFirstTier } from '#test/support/payout-prerequisites.ts';

/**
 * Issue 17, part 2, over HTTP under kfq-2019: approval needs an audit report and a confirming on-site
 * check recorded by two different people, the report certifying within the construction period at least
 * the actual investment (land and working capital apart, never counted); 409 `evidence_missing` names
 * what is missing; recorders may not approve; every entry is audited and listed, never edited.
 */

beforeAll(async () => {
  await adaptersWithDefaultFund();
});

interface Problem {
  readonly code?: string;
  readonly missing?: string[];
  readonly detail: string;
  readonly errors?: { field: string }[];
}

describe('evidence before approval', () => {
  it('names every missing item, takes entries only from two people, and lets finance approve once complete', async () => {
    const officer = `officer-${randomUUID().slice(0, 8)}`;
    const sector = await tokenFor('sector:optoelectronics', officer);
    const colleague = await tokenFor('sector:optoelectronics', `checker-${randomUUID().slice(0, 8)}`);
    const financeUser = `fin-${randomUUID().slice(0, 8)}`;
    const finance = await tokenFor('finance', financeUser);
    const auditor = await tokenFor('auditor', 'auditor-evidence');
    const leadId = await submit(sector, leadInput({ investor: freshInvestor(), fundRequest: undefined }));
    await waitForEvaluation(sector, leadId);
    expect(
      (
        await api('POST', `/leads/${leadId}/referrer-registration`, {
          token: sector,
          body: referrerRegistration(),
        })
      ).status,
    ).toBe(202);
    await eventually(async () => {
      const view = await api<{ latestRevision: number }>('GET', `/leads/${leadId}`, { token: sector });
      return view.body.latestRevision === 2 ? true : undefined;
    });

    const none = await api<Problem>('POST', `/leads/${leadId}/approve`, { token: finance, body: {} });
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ code: 'evidence_missing', missing: ['auditReport', 'siteCheck'] });
    expect(none.body.detail).toContain('验资报告或专项审计报告');

    const bad = await api<Problem>('POST', `/leads/${leadId}/evidence/audit-report`, {
      token: sector,
      body: auditReport(12_000_000_000, {
        kind: 'bank_statement',
        constructionPeriod: { from: '2027-01-01', to: '2026-01-01' },
      }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(['constructionPeriod', 'kind']);
    const foreign = await api('POST', `/leads/${leadId}/evidence/site-check`, {
      token: await tokenFor('sector:food', 'officer-food'),
      body: siteCheck(),
    });
    expect(foreign.status).toBe(404);

    // A report short of the actual investment (1.2亿), and a check by the same officer.
    const short = await api('POST', `/leads/${leadId}/evidence/audit-report`, {
      token: sector,
      body: auditReport(11_000_000_000),
    });
    expect(short.status).toBe(201);
    expect(
      (await api('POST', `/leads/${leadId}/evidence/site-check`, { token: sector, body: siteCheck() }))
        .status,
    ).toBe(201);
    const incomplete = await api<Problem>('POST', `/leads/${leadId}/approve`, { token: finance, body: {} });
    expect(incomplete.status).toBe(409);
    expect(incomplete.body.missing).toEqual(['distinctRecorders', 'auditReportCoversActualInvestment']);

    // The corrected report, and a check by a colleague: complete.
    expect(
      (
        await api('POST', `/leads/${leadId}/evidence/audit-report`, {
          token: sector,
          body: auditReport(12_000_000_000),
        })
      ).status,
    ).toBe(201);
    expect(
      (await api('POST', `/leads/${leadId}/evidence/site-check`, { token: colleague, body: siteCheck() }))
        .status,
    ).toBe(201);
    // Finance recording evidence may not approve: another member of finance does.
    const financeCheck = await api('POST', `/leads/${leadId}/evidence/site-check`, {
      token: finance,
      body: siteCheck({ checkedBy: '孙财政', finding: '复核：设备在位' }),
    });
    expect(financeCheck.status).toBe(201);
    const recorderApproves = await api('POST', `/leads/${leadId}/approve`, { token: finance, body: {} });
    expect(recorderApproves.status).toBe(403);
    // 240万 is above the first approval tier: the finance head signs first (part 3).
    await signAboveFirstTier(leadId);
    const approved = await api('POST', `/leads/${leadId}/approve`, {
      token: await tokenFor('finance', `fin-${randomUUID().slice(0, 8)}`),
      body: {},
    });
    expect(approved.status).toBe(200);

    // Every entry stays, in order; each is in the audit trail; nothing is recorded once finance decided.
    const listed = await api<EvidenceList>('GET', `/leads/${leadId}/evidence`, { token: auditor });
    expect(listed.status).toBe(200);
    // The finance head, who signs above the first tier, reads the same list and records nothing.
    const head = await tokenFor('finance-head', `head-${randomUUID().slice(0, 8)}`);
    const headReads = await api<EvidenceList>('GET', `/leads/${leadId}/evidence`, { token: head });
    expect(headReads.body.items).toHaveLength(listed.body.items.length);
    const headRecords = await api('POST', `/leads/${leadId}/evidence/site-check`, {
      token: head,
      body: siteCheck(),
    });
    expect(headRecords.status).toBe(403);
    expect(listed.body.items.map((e) => e.kind)).toEqual([
      'audit_report',
      'site_check',
      'audit_report',
      'site_check',
      'site_check',
    ]);
    const first = listed.body.items[0];
    expect(first?.kind === 'audit_report' && first.auditReport.reportedApart).toEqual({
      landFen: 2_000_000_000,
      rentFen: 0,
      workingCapitalFen: 500_000_000,
      outsideConstructionPeriodFen: 0,
    });
    const trail = await api<{ items: { action: string }[] }>('GET', `/audit?subject=${leadId}`, {
      token: auditor,
    });
    const actions = trail.body.items.map((e) => e.action);
    expect(actions.filter((a) => a === 'evidence.audit_report_recorded')).toHaveLength(2);
    expect(actions.filter((a) => a === 'evidence.site_check_recorded')).toHaveLength(3);
    const late = await api<Problem>('POST', `/leads/${leadId}/evidence/site-check`, {
      token: colleague,
      body: siteCheck(),
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('review_closed');
  });
});
