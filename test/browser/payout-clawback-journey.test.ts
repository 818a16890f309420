import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { completePayoutPrerequisites, endNoticePeriod } from '#test/support/payout-prerequisites.ts';
import { api, evaluatedLead, randomUscc, tokenFor } from './support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * 追回 (issue 17, part 6) in Chromium: a reward of 240万 approved and paid; on the lead page one member of
 * finance proposes a refund clawback of 100万 (more than is claimable is refused on its field first), is
 * shown no 批准 for their own proposal but the rule in words; another member approves it, the summary shows
 * paid / recovered / net, and is shown no 登记退款到账 but the rule in words; a third member records the
 * refund received: 已追回, back in the fund.
 */

const browser = setUpBrowser();
const SLOW = { timeout: 30_000 };

describe('追回 on the lead page', () => {
  it('finance proposes a refund clawback, another approves it, a third records the refund received', async () => {
    const run = randomUUID().slice(0, 8);
    // An introducer nobody else uses: an approved offset would be deducted from any later payment to the
    // same introducer, other tests' leads included (this journey uses a refund, but keeps apart anyway).
    const submitted = await evaluatedLead('optoelectronics', undefined, {
      fundRequest: '100万',
      introducer: { type: 'leading_enterprise', name: '聊城追回测试集团有限公司', uscc: randomUscc() },
    });
    const { leadId } = submitted;
    await completePayoutPrerequisites(leadId, submitted.token);
    const approved = await api('POST', `/leads/${leadId}/approve`, {
      token: await tokenFor('finance', `fin-cb-approver-${run}`),
      body: {},
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await endNoticePeriod(leadId);
    const paid = await api('POST', `/leads/${leadId}/paid`, {
      token: await tokenFor('finance', `fin-cb-payer-${run}`),
      body: { reference: `PAY-CB-${run}` },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);

    // Finance 1 proposes: first more than was paid (refused on the amount, in words), then 100万 as a refund.
    const proposer = await browser.newPage();
    const proposerId = `fin-cb-1-${run}`;
    await signIn(proposer, 'finance', proposerId, `/console/leads/${leadId}`);
    const section = proposer.getByRole('region', { name: '追回' });
    await section.getByText('暂无追回记录。').waitFor(SLOW);
    await section.getByLabel('追回金额', { exact: true }).fill('300万');
    await section.getByLabel('追回原因', { exact: true }).fill('项目未按约定投产，按协议追回部分奖励');
    await section.getByRole('radio', { name: '退款' }).check();
    await section.getByRole('button', { name: '申请追回' }).click();
    await section.getByText('追回金额超过可追回余额', { exact: false }).first().waitFor();
    await section.getByLabel('追回金额', { exact: true }).fill('100万');
    await section.getByRole('button', { name: '申请追回' }).click();
    const proposedRow = section
      .getByRole('table', { name: '本线索的追回记录（从早到晚）' })
      .getByRole('row')
      .filter({ hasText: '100万元' });
    await proposedRow.getByText('待审批').waitFor();
    expect(await proposedRow.textContent()).toContain('退款');
    expect(await proposedRow.textContent()).toContain(`${proposerId}（您）`);
    // Their own proposal: no 批准 / 驳回, the rule in words instead.
    await proposedRow.getByText('由您提出的追回须由财务部门另一人审批').waitFor();
    expect(await section.getByRole('button', { name: /^批准/ }).count()).toBe(0);
    expect(await section.getByRole('button', { name: /^驳回/ }).count()).toBe(0);
    expectCleanConsole(proposer, [/status of 409/]);

    // Finance 2 approves it: the reversal; paid 240万, recovered 100万, net 140万, nothing back in the fund yet.
    const checker = await browser.newPage();
    await signIn(checker, 'finance', `fin-cb-2-${run}`, `/console/leads/${leadId}`);
    const theirs = checker.getByRole('region', { name: '追回' });
    const row = theirs.getByRole('row').filter({ hasText: '100万元' });
    await row.getByRole('button', { name: '批准 追回 100万元' }).click(SLOW);
    const approval = checker.getByRole('dialog');
    await approval.getByLabel('审批意见（可选）').fill('经集体研究同意追回');
    await approval.getByRole('button', { name: '确认' }).click();
    await row.getByText('已批准待追回').waitFor();
    await row.getByText('待登记退款到账').waitFor();
    const summary = theirs.getByTestId('clawback-summary');
    const figures = async () => (await summary.textContent())?.replace(/\s+/g, '') ?? '';
    expect(await figures()).toContain('已支付240万元');
    expect(await figures()).toContain('已追回100万元');
    expect(await figures()).toContain('净额140万元');
    expect(await figures()).toContain('已退回基金0元');

    // The approver does not record the refund (it raises the fund): no button, the rule in words instead.
    await row.getByText('由您审批的追回，退款到账须由财务部门另一人登记').waitFor();
    expect(await theirs.getByRole('button', { name: /^登记退款到账/ }).count()).toBe(0);
    expectCleanConsole(checker);

    // The refund arrives: a third member of finance records it with its reference and date (today in
    // Beijing, the form's default).
    const recorder = await browser.newPage();
    const recorderId = `fin-cb-3-${run}`;
    await signIn(recorder, 'finance', recorderId, `/console/leads/${leadId}`);
    const recorderSection = recorder.getByRole('region', { name: '追回' });
    // The list's row only: the summary's rows (a table too) show 已追回 and 100万元 as well.
    const recorderRow = recorderSection
      .getByRole('table', { name: '本线索的追回记录（从早到晚）' })
      .getByRole('row')
      .filter({ hasText: '100万元' });
    await recorderRow.getByRole('button', { name: '登记退款到账 追回 100万元' }).click(SLOW);
    const refund = recorder.getByRole('dialog');
    await refund.getByLabel('退款凭证号').fill(`REFUND-${run}`);
    await refund.getByRole('button', { name: '确认' }).click();
    await recorderRow.getByText('已追回', { exact: true }).waitFor();
    await recorderRow.getByText(`退款凭证：REFUND-${run}`).waitFor();
    await recorderRow.getByText(`登记人：${recorderId}`).waitFor();
    const recorderSummary = recorderSection.getByTestId('clawback-summary');
    await recorderSummary.getByText('100万元', { exact: true }).first().waitFor();
    const recorderFigures = (await recorderSummary.textContent())?.replace(/\s+/g, '') ?? '';
    expect(recorderFigures).toContain('已退回基金100万元');
    expect(recorderFigures).toContain('可追回余额140万元');
    await recorder.mouse.move(0, 0);
    await expectAccessible(recorder);
    await screenshot(recorder, 'payout-clawback');
    expectCleanConsole(recorder);

    // What the page showed is what the API holds, as an auditor reads it.
    const view = await api<{
      summary: Record<string, number>;
      clawbacks: {
        state: string;
        proposedBy: { userId: string };
        decision: { by: { userId: string } };
        refund: { recordedBy: { userId: string } };
      }[];
    }>('GET', `/leads/${leadId}/clawbacks`, { token: await tokenFor('auditor') });
    expect(view.body.summary).toEqual({
      grossFen: 240_000_000,
      recoveredFen: 100_000_000,
      netFen: 140_000_000,
      receivedFen: 100_000_000,
    });
    expect(
      view.body.clawbacks.map((c) => [
        c.state,
        c.proposedBy.userId,
        c.decision.by.userId,
        c.refund.recordedBy.userId,
      ]),
    ).toEqual([['RECOVERED', proposerId, `fin-cb-2-${run}`, recorderId]]);
  }, 120_000);
});
