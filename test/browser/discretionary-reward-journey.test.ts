import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatFen } from '#shared/domain/money-format.ts';
import { endDiscretionaryNoticePeriod } from '#test/support/payout-prerequisites.ts';
import { api, evaluatedLead, randomUscc, tokenFor } from './support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * 重奖 (issue 20) in Chromium: on an evaluated lead one member of finance proposes a reward of 30万 to a
 * professional team, first without a legal basis (refused with a 409 that names it, in words), then
 * complete; another signs it off (30万 is within the first tier: one finance sign-off) and it is approved,
 * its 公示 deadline shown; once the notice has ended a third marks it paid; 重奖汇总 counts it in the year
 * and finds it by its project's name (linking to the lead, the lead id beneath).
 */

const browser = setUpBrowser();
const SLOW = { timeout: 30_000 };

/** A day before today in Beijing: the meeting that decided the reward. */
function yesterdayInBeijing(): string {
  return new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
}

describe('重奖 on the lead page and in 重奖汇总', () => {
  it('finance proposes a reward by decision, another signs it off, a third pays it after the notice', async () => {
    const run = randomUUID().slice(0, 8);
    const projectName = `光电显示模组项目${run}`;
    const { leadId } = await evaluatedLead('optoelectronics', undefined, { projectName });
    const team = `聊城专业招商团队${run}`;
    const uscc = randomUscc();
    const proposerId = `fin-dr-1-${run}`;
    const signerId = `fin-dr-2-${run}`;
    const payerId = `fin-dr-3-${run}`;

    // Finance 1 proposes: first without the legal basis (409, named in words), then with it.
    const proposer = await browser.newPage();
    await signIn(proposer, 'finance', proposerId, `/console/leads/${leadId}`);
    const section = proposer.getByRole('region', { name: '重奖（按决定奖励）' });
    await section.getByText('本线索暂无重奖。').waitFor(SLOW);
    await section.getByText('不占用新旧动能转换基金', { exact: false }).waitFor();
    await section.getByRole('radio', { name: '专业团队' }).check();
    await section.getByLabel('受奖人名称', { exact: true }).fill(team);
    await section.getByLabel('统一社会信用代码', { exact: true }).fill(uscc);
    await section.getByLabel('重奖金额', { exact: true }).fill('30万');
    await section.getByLabel('事由', { exact: true }).fill('牵线引进光电项目落户，专业团队全程对接');
    await section.getByLabel('决策机构', { exact: true }).fill('开发区党工委会议');
    const meetingDate = section.getByLabel('会议日期', { exact: true });
    await meetingDate.fill(yesterdayInBeijing());
    // Leaving the field keeps a typed date (Enter would submit the form).
    await meetingDate.press('Tab');
    await section.getByLabel('纪要编号', { exact: true }).fill(`党工委纪要〔2026〕${run}号`);
    await section.getByRole('button', { name: '提出重奖' }).click();
    await section.getByRole('alert').getByText('缺少法律依据', { exact: false }).first().waitFor();
    await section.getByLabel('法律依据文件', { exact: true }).fill('聊城经济技术开发区招商引资奖励办法');
    await section.getByLabel('条款', { exact: true }).fill('第十二条');
    await section.getByRole('button', { name: '提出重奖' }).click();
    const proposed = section.getByRole('article', { name: `重奖 30万元 · ${team}` });
    await proposed.getByText('待审批', { exact: true }).waitFor();
    expect(await proposed.textContent()).toContain(`${proposerId}（您）`);
    expect(await proposed.textContent()).toContain(`统一社会信用代码：${uscc}`);
    expect(await proposed.textContent()).toContain('专业团队');
    // Their own proposal: no 签批 / 驳回, the rule in words instead.
    await proposed.getByText('由您提出的重奖须由他人签批或驳回').waitFor();
    expect(await proposed.getByRole('button', { name: /^签批/ }).count()).toBe(0);
    expect(await proposed.getByRole('button', { name: /^驳回/ }).count()).toBe(0);
    expectCleanConsole(proposer, [/status of 409/]);

    // Finance 2 signs it off: one finance sign-off is all 30万 needs; approved, its 公示 deadline shown.
    const signer = await browser.newPage();
    await signIn(signer, 'finance', signerId, `/console/leads/${leadId}`);
    const theirs = signer
      .getByRole('region', { name: '重奖（按决定奖励）' })
      .getByRole('article', { name: `重奖 30万元 · ${team}` });
    await theirs.getByText('财务部门', { exact: true }).waitFor(SLOW);
    await theirs.getByRole('button', { name: `签批 重奖 30万元 · ${team}` }).click();
    const signOff = signer.getByRole('dialog');
    await signOff.getByLabel('签批意见（可选）').fill('经党工委会议研究同意');
    await signOff.getByRole('button', { name: '确认' }).click();
    await theirs.getByText('已批准（公示中）').waitFor();
    await theirs.getByText('异议截止', { exact: false }).waitFor();
    expect(await theirs.textContent()).toContain(`${signerId}（您）（财务部门签批`);
    await theirs.getByText('提出或签批此重奖的人不能标记其支付').waitFor();
    expectCleanConsole(signer);

    // The notice ends (time travel of its record); finance 3 marks it paid.
    const listed = await api<{ items: { rewardId: string }[] }>(
      'GET',
      `/leads/${leadId}/discretionary-rewards`,
      { token: await tokenFor('auditor') },
    );
    expect(listed.status).toBe(200);
    const rewardId = listed.body.items[0]?.rewardId ?? '';
    await endDiscretionaryNoticePeriod(leadId, rewardId);
    const payer = await browser.newPage();
    await signIn(payer, 'finance', payerId, `/console/leads/${leadId}`);
    const toPay = payer
      .getByRole('region', { name: '重奖（按决定奖励）' })
      .getByRole('article', { name: `重奖 30万元 · ${team}` });
    await toPay.getByRole('button', { name: `标记已支付 重奖 30万元 · ${team}` }).click(SLOW);
    const payment = payer.getByRole('dialog');
    await payment.getByLabel('支付凭证号').fill(`PAY-DR-${run}`);
    await payment.getByRole('button', { name: '确认' }).click();
    await toPay.getByText('已支付', { exact: true }).waitFor();
    await toPay.getByText(`凭证号 PAY-DR-${run}`, { exact: false }).waitFor();
    expectCleanConsole(payer);

    // 重奖汇总: the year's totals count it; its row is found by the project's name, which links the lead.
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const totals = await api<{ totals: { paidFen: number; count: number } }>(
      'GET',
      `/discretionary-rewards?year=${year}`,
      { token: await tokenFor('auditor') },
    );
    expect(totals.body.totals.paidFen).toBeGreaterThanOrEqual(30_000_000);
    await payer.goto(payer.url().replace(/\/console\/.*$/, '/console/discretionary-rewards'));
    await payer.getByRole('heading', { level: 2, name: '重奖汇总' }).waitFor();
    const row = payer
      .getByRole('table', { name: `${year} 年的重奖` })
      .getByRole('row')
      .filter({ hasText: projectName });
    await row.getByText('已支付', { exact: true }).waitFor();
    expect(await row.getByRole('link', { name: projectName, exact: true }).getAttribute('href')).toBe(
      `/console/leads/${leadId}`,
    );
    await row.getByText(`线索编号 ${leadId}`, { exact: true }).waitFor();
    expect(await row.textContent()).toContain(team);
    expect(await row.textContent()).toContain('30万元');
    expect(await row.textContent()).toContain(proposerId);
    const figures = ((await payer.getByTestId('discretionary-totals').textContent()) ?? '').replace(
      /\s+/g,
      '',
    );
    expect(figures).toContain(`已支付${formatFen(totals.body.totals.paidFen)}`);
    expect(figures).toContain(`笔数${totals.body.totals.count}`);
    await payer.mouse.move(0, 0);
    await expectAccessible(payer);
    await screenshot(payer, 'discretionary-rewards');
    expectCleanConsole(payer);
  }, 90_000);
});
