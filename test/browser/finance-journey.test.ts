import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  completePayoutPrerequisites,
  endNoticePeriod,
  signAboveFirstTier,
} from '#test/support/payout-prerequisites.ts';
import { api, apiAs, evaluatedLead, tokenFor } from './support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * Finance's day in the console, in Chromium on the local stack: 待审核, the lead page's 批准 by one member
 * of finance and 标记已支付 by another (maker-checker: the approver is refused in plain words), the
 * 一事一议 outcome form, and 专项基金.
 */

const browser = setUpBrowser();

/** axe on the page with the pointer off every button (a hovered button shows antd's lighter hover colours). */
async function atRest(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await expectAccessible(page);
}

/** The status the API reads for a lead (what the page must agree with). */
async function statusOf(leadId: string): Promise<string> {
  const answer = await api<{ status: string }>('GET', `/leads/${leadId}`, {
    token: await tokenFor('finance', 'fin-reader'),
  });
  return answer.body.status;
}

describe('finance in the console', () => {
  it('approves from 待审核 as fin-1, is refused paying its own approval, and fin-2 marks it paid', async () => {
    // A lead submitted through the API by a sector token, with its verified actual investment: payable.
    const submitted = await evaluatedLead('optoelectronics', undefined, { fundRequest: '100万' });
    const { projectName } = submitted.lead;
    // The payout rules' prerequisites (issue 17: the referrer's registration), recorded through the API.
    await completePayoutPrerequisites(submitted.leadId, submitted.token);

    const approver = await browser.newPage();
    await signIn(approver, 'finance', 'fin-1');
    // Finance lands on 待审核.
    await approver.getByRole('heading', { name: '待审核', level: 2 }).waitFor();
    const row = approver.getByRole('row').filter({ hasText: projectName });
    await row.waitFor();
    expect(await row.textContent()).toContain('待财政审核');
    expect(await row.textContent()).toContain('240万元');
    await atRest(approver);
    await screenshot(approver, 'review-queue');

    await row.getByRole('link', { name: projectName }).click();
    await approver.waitForURL((url) => url.pathname === `/console/leads/${submitted.leadId}`);
    await approver.getByRole('button', { name: '批准', exact: true }).click();
    const approval = approver.getByRole('dialog');
    await approval.getByText('240万元').first().waitFor();
    await approval.getByLabel('审核意见（可选）').fill('材料齐全，同意');
    await approval.getByRole('button', { name: '确认批准' }).click();
    await approver.getByRole('button', { name: '标记已支付' }).waitFor();
    expect(await statusOf(submitted.leadId)).toBe('APPROVED');

    // The approver tries to record the payment too: refused, in plain words, the server's detail beside.
    await approver.getByRole('button', { name: '标记已支付' }).click();
    await approver.getByRole('dialog').getByLabel('支付凭证号').fill('PAY-2026-0001');
    await approver.getByRole('button', { name: '确认已支付' }).click();
    const refusal = approver.getByRole('alert').filter({ hasText: '批准人不能同时登记支付' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('服务器说明');
    expect(await statusOf(submitted.leadId)).toBe('APPROVED');
    await atRest(approver);
    expectCleanConsole(approver, [/status of 403/]);

    // The public notice (公示) the approval opened ends (test-side time travel of that one record); then
    // another member of finance pays; a reference is required.
    await endNoticePeriod(submitted.leadId);
    const payer = await browser.newPage();
    await signIn(payer, 'finance', 'fin-2', `/console/leads/${submitted.leadId}`);
    await payer.getByRole('button', { name: '标记已支付' }).click();
    await payer.getByRole('button', { name: '确认已支付' }).click();
    await payer.getByText('请填写支付凭证号').waitFor();
    await payer.getByRole('dialog').getByLabel('支付凭证号').fill('PAY-2026-0001');
    await payer.getByRole('button', { name: '确认已支付' }).click();
    await payer.getByText(/标记已支付，凭证号 PAY-2026-0001/).waitFor();
    expect(await statusOf(submitted.leadId)).toBe('PAID');
    expect(await payer.getByRole('button', { name: '标记已支付' }).count()).toBe(0);
    expectCleanConsole(payer);

    // 专项基金: the figures as text beside the chart, which comes with this page.
    await payer.getByRole('menuitem', { name: '专项基金' }).click();
    await payer.getByRole('heading', { name: '专项基金', level: 2 }).waitFor();
    const figures = payer.getByTestId('fund-figures');
    await figures.waitFor();
    for (const label of ['总额', '可用', '已预留', '已承诺']) {
      expect(await figures.textContent()).toContain(label);
    }
    await payer.getByTestId('fund-chart').locator('canvas').waitFor();
    expect(await payer.getByRole('table', { name: '候补队列（按顺序）' }).count()).toBe(1);
    await atRest(payer);
    await screenshot(payer, 'fund');
    expectCleanConsole(payer);
  }, 120_000);

  it('records a 一事一议 outcome (amounts read as typed), which another member of finance then approves', async () => {
    const submitted = await evaluatedLead('food', undefined, {
      municipalMajorProject: true,
      fundRequest: '100万',
    });
    expect(await statusOf(submitted.leadId)).toBe('PENDING_CASE_REVIEW');
    await completePayoutPrerequisites(submitted.leadId, submitted.token);
    // The other journeys of this run draw on the same fund and leave a waitlist (each claim at most the
    // per-project cap, 1000万): the admin tops it up by far more than all of them, so that the negotiated 50万
    // finds money (a fund that cannot cover an outcome refuses it, and the console says so).
    const topUp = await apiAs('admin', 'admin-1', 'POST', '/funds/conversion-2019/top-up', {
      amount: '50亿',
    });
    expect(topUp.status).toBe(200);

    const recorder = await browser.newPage();
    await signIn(recorder, 'finance', 'fin-1', `/console/leads/${submitted.leadId}`);
    await recorder.getByLabel('议定奖励金额').fill('300万');
    await recorder.getByText('= 300万元', { exact: true }).waitFor();
    await recorder.getByLabel('议定基金金额').fill('50万');
    await recorder.getByText('= 50万元', { exact: true }).waitFor();
    await recorder.getByLabel('议定依据（如会议纪要编号）').fill('管委会 2026 第 3 次会议纪要');
    await atRest(recorder);
    await recorder.getByRole('button', { name: '登记一事一议结果' }).click();
    await recorder.getByRole('dialog').getByText('奖励 300万元，专项基金 50万元').waitFor();
    await recorder.getByRole('button', { name: '确认登记' }).click();
    // Either the approval button appears, or the console says why the outcome was refused: fail with its words.
    const approve = recorder.getByRole('button', { name: '批准', exact: true });
    const refusal = recorder.getByTestId('finance-actions').getByRole('alert');
    await approve.or(refusal).first().waitFor();
    if (!(await approve.isVisible()))
      throw new Error(`case outcome refused: ${await refusal.allInnerTexts()}`);
    expect(await statusOf(submitted.leadId)).toBe('PENDING_FINANCE');

    // The recorder of the outcome may not approve it.
    await recorder.getByRole('button', { name: '批准', exact: true }).click();
    await recorder.getByRole('button', { name: '确认批准' }).click();
    await recorder
      .getByRole('alert')
      .filter({ hasText: '一事一议结果由您登记，须由其他财务人员审批' })
      .waitFor();
    expectCleanConsole(recorder, [/status of 403/]);
    // 350万 negotiated, a 一事一议 outcome: the finance head and the collective decision sign first (issue 17).
    await signAboveFirstTier(submitted.leadId);

    const approver = await browser.newPage();
    await signIn(approver, 'finance', 'fin-2', `/console/leads/${submitted.leadId}`);
    await approver.getByRole('button', { name: '批准', exact: true }).click();
    await approver
      .getByRole('dialog')
      .getByText(/奖励 300万元/)
      .waitFor();
    await approver.getByRole('button', { name: '确认批准' }).click();
    await approver.getByRole('button', { name: '标记已支付' }).waitFor();
    expect(await statusOf(submitted.leadId)).toBe('APPROVED');
    expectCleanConsole(approver);
  }, 120_000);

  it('requires a reason to reject, and filters 待审核 by status', async () => {
    const submitted = await evaluatedLead('equipment', undefined, { fundRequest: '100万' });
    const page = await browser.newPage();
    await signIn(page, 'finance', 'fin-1', `/console/leads/${submitted.leadId}`);
    await page.getByRole('button', { name: '驳回', exact: true }).click();
    await page.getByRole('button', { name: '确认驳回' }).click();
    await page.getByText('请填写驳回理由').waitFor();
    await page.getByRole('dialog').getByLabel('驳回理由').fill('引荐材料不全');
    await page.getByRole('button', { name: '确认驳回' }).click();
    await page.getByText(/驳回：引荐材料不全/).waitFor();
    expect(await statusOf(submitted.leadId)).toBe('REJECTED');

    // The queue no longer lists it as pending; the 已批准 filter is in the address.
    await page.getByRole('menuitem', { name: '待审核' }).click();
    await page.getByRole('heading', { name: '待审核', level: 2 }).waitFor();
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('link', { name: submitted.lead.projectName }).count()).toBe(0);
    // antd draws the radio button on its label; the input itself is hidden.
    await page
      .locator('label')
      .filter({ has: page.getByRole('radio', { name: '已批准' }) })
      .click();
    // The filter lands in the address, then the radio reads checked (isChecked does not wait for React).
    await page.waitForURL((url) => url.searchParams.get('status') === 'APPROVED');
    await expect.poll(() => page.getByRole('radio', { name: '已批准' }).isChecked()).toBe(true);
    expectCleanConsole(page);
  }, 90_000);

  it('needs the finance head and a collective decision above 300万: fin-1 signs and is told what is missing, the head signs with the decision and approves', async () => {
    const submitted = await evaluatedLead('optoelectronics', undefined, { fundRequest: '100万' });
    // Registration and evidence through the API; the sign-offs are this test's.
    await completePayoutPrerequisites(submitted.leadId, submitted.token, { signOffs: false });

    const member = await browser.newPage();
    await signIn(
      member,
      'finance',
      `fin-${submitted.leadId.slice(-6)}`,
      `/console/leads/${submitted.leadId}`,
    );
    await member.getByRole('button', { name: '批准', exact: true }).click({ timeout: 60_000 });
    await member.getByRole('dialog').getByRole('button', { name: '确认批准' }).click();
    const pending = member.getByTestId('finance-actions').getByRole('status');
    await pending.filter({ hasText: '尚缺' }).waitFor();
    // 240万 reward and a 100万 fund share: above 300万, so the head and a collective decision are missing.
    expect(await pending.textContent()).toContain('财政负责人签批');
    expect(await pending.textContent()).toContain('集体决策');
    expect(await statusOf(submitted.leadId)).toBe('PENDING_FINANCE');
    expectCleanConsole(member);

    // The head lands on 待审核 too, opens the lead and gives the last sign-off.
    const head = await browser.newPage();
    await signIn(head, 'finance-head', `head-${submitted.leadId.slice(-6)}`);
    await head.getByRole('heading', { name: '待审核', level: 2 }).waitFor();
    await head.goto(head.url().replace(/\/reviews.*$/, `/leads/${submitted.leadId}`));
    await head.getByRole('button', { name: '批准', exact: true }).click();
    const signing = head.getByRole('dialog');
    await signing.getByLabel('决策机构').fill('管委会党工委会议');
    await signing.getByLabel('会议日期').fill('2026-11-20');
    await signing.getByLabel('会议纪要编号').fill('〔2026〕12号');
    await signing.getByRole('button', { name: '确认批准' }).click();
    await expect.poll(() => statusOf(submitted.leadId), { timeout: 15_000 }).toBe('APPROVED');
    // Paying is finance's, never the head's.
    expect(await head.getByRole('button', { name: '标记已支付' }).count()).toBe(0);
    await atRest(head);
    expectCleanConsole(head);
  }, 90_000);
});
