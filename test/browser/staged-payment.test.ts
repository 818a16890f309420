import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditReport, siteCheck } from '#test/fixtures/evidence.ts';
import { endNoticePeriod } from '#test/support/payout-prerequisites.ts';
import { leadUnder, stagedPolicy } from '#test/support/staged-payment.ts';
import { api, tokenFor } from './support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * 分期支付 (issue 17, part 5) in Chromium: a reward approved under a staged policy, its 公示 ended; on the
 * lead page finance approves stage 1 (批准), another member of finance marks it paid (标记已支付); stage 2
 * waits for 竣工投产, with no button.
 */

const browser = setUpBrowser();

describe('分期支付 in the console', () => {
  it('finance approves and pays stage 1 on the lead page; stage 2 waits for its condition', async () => {
    const admin = await tokenFor('admin');
    const policy = stagedPolicy();
    expect((await api('POST', '/policies', { token: admin, body: policy })).status).toBe(201);
    const officerId = `staged-officer-${randomUUID().slice(0, 8)}`;
    const officer = await tokenFor('sector:optoelectronics', officerId);
    const leadId = await leadUnder(policy, officerId);
    expect(
      (
        await api('POST', `/leads/${leadId}/evidence/audit-report`, {
          token: officer,
          body: auditReport(16_000_000_050),
        })
      ).status,
    ).toBe(201);
    const colleague = await tokenFor('sector:optoelectronics');
    expect(
      (await api('POST', `/leads/${leadId}/evidence/site-check`, { token: colleague, body: siteCheck() }))
        .status,
    ).toBe(201);
    const approved = await api('POST', `/leads/${leadId}/approve`, {
      token: await tokenFor('finance', 'fin-staged-approver'),
      body: {},
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await endNoticePeriod(leadId);

    const approver = await browser.newPage();
    await signIn(approver, 'finance', 'fin-stage-approver', `/console/leads/${leadId}`);
    const section = approver.getByRole('region', { name: '分期支付' });
    await section.getByText('已支付 0元 / 奖励 320.000001万元').waitFor();
    const stages = section.getByRole('table', { name: '分期支付：各期金额、条件与状态' });
    const first = stages.getByRole('row').filter({ hasText: '第 1 期' });
    const second = stages.getByRole('row').filter({ hasText: '第 2 期' });
    await first.getByText('160万元').waitFor();
    await second.getByText('160.000001万元').waitFor();
    await second.getByText('条件未满足').waitFor();
    await second.getByText('项目达到「竣工投产」阶段').waitFor();
    expect(await second.getByRole('button').count()).toBe(0);
    await first.getByRole('button', { name: '批准 第 1 期' }).click();
    await first.getByText('已批准，待支付').waitFor();
    expectCleanConsole(approver);

    const payer = await browser.newPage();
    await signIn(payer, 'finance', 'fin-stage-payer', `/console/leads/${leadId}`);
    const payerSection = payer.getByRole('region', { name: '分期支付' });
    const payerFirst = payerSection.getByRole('row').filter({ hasText: '第 1 期' });
    await payerFirst.getByRole('button', { name: '标记已支付 第 1 期' }).click();
    const dialog = payer.getByRole('dialog');
    await dialog.getByLabel('支付凭证号').fill('BANK-2031-0001');
    await dialog.getByRole('button', { name: '确认' }).click();
    await payerFirst.getByText('已支付', { exact: true }).waitFor();
    await payerSection.getByText('已支付 160万元 / 奖励 320.000001万元').waitFor();
    await payer.mouse.move(0, 0);
    await expectAccessible(payer);
    await screenshot(payer, 'staged-payment');
    expectCleanConsole(payer);

    const stagesNow = await api<{ paidFen: number; stages: { status: string }[] }>(
      'GET',
      `/leads/${leadId}/stages`,
      { token: await tokenFor('auditor') },
    );
    expect(stagesNow.body.paidFen).toBe(160_000_000);
    expect(stagesNow.body.stages.map((s) => s.status)).toEqual(['paid', 'waiting']);
  });
});
