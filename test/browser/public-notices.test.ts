import { describe, expect, it } from 'vitest';
import { PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';
import { completePayoutPrerequisites } from '#test/support/payout-prerequisites.ts';
import { api, evaluatedLead, tokenFor } from './support/api.ts';
import {
  consoleUrl,
  expectAccessible,
  expectCleanConsole,
  screenshot,
  setUpBrowser,
  signIn,
} from './support/browser.ts';

/**
 * 公示 (issue 17, part 4) in Chromium: the public page without signing in (the approval is listed, the
 * introducer masked, no identifier), the admin recording and resolving an objection there, and finance
 * seeing the notice's status and deadline on the lead page.
 */

const browser = setUpBrowser();

describe('公示 in the console', () => {
  it('shows an approval publicly without sign-in; the admin records and resolves an objection; finance sees it', async () => {
    const submitted = await evaluatedLead('optoelectronics', undefined, {
      introducer: { type: 'natural_person', name: '张小明', residentId: PERSON_RESIDENT_ID },
      fundRequest: undefined,
    });
    const { projectName } = submitted.lead;
    await completePayoutPrerequisites(submitted.leadId, submitted.token);
    const approved = await api('POST', `/leads/${submitted.leadId}/approve`, {
      token: await tokenFor('finance', 'fin-notice'),
      body: {},
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    // Nobody signed in: the page opens as it is, never the sign-in page.
    const visitor = await browser.newPage();
    await visitor.goto(consoleUrl('/public/notices'));
    await visitor.getByRole('heading', { name: '公示', level: 2 }).waitFor();
    const row = visitor.getByRole('row').filter({ hasText: projectName });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('张**');
    expect(text).toContain('240万元');
    expect(text).toContain('公示中');
    expect(text).not.toContain('张小明');
    expect(await visitor.content()).not.toContain(PERSON_RESIDENT_ID.slice(-6));
    expect(new URL(visitor.url()).pathname).toBe('/console/public/notices');
    expect(await visitor.getByRole('button', { name: /异议处理/ }).count()).toBe(0);
    await visitor.mouse.move(0, 0);
    await expectAccessible(visitor);
    await screenshot(visitor, 'public-notices');
    await visitor.getByText('English', { exact: true }).click();
    await visitor.getByRole('heading', { name: 'Public notices', level: 2 }).waitFor();
    expectCleanConsole(visitor);

    // The admin records an objection received today (Asia/Shanghai), then dismisses it.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const admin = await browser.newPage();
    await signIn(admin, 'admin', 'admin-notice', '/console/public/notices');
    await admin.getByRole('heading', { name: '公示', level: 2 }).waitFor();
    await admin.getByRole('button', { name: `异议处理 ${projectName}` }).click();
    const section = admin.getByTestId('public-notice');
    await section.getByText('未收到异议').waitFor();
    await section.getByRole('button', { name: '记录异议' }).click();
    const recordDialog = admin.getByRole('dialog');
    await recordDialog.getByLabel('收到日期').fill(today);
    await recordDialog.getByLabel('异议人').fill('李异议');
    await recordDialog.getByLabel('异议内容').fill('引荐关系不实');
    await recordDialog.getByRole('button', { name: '确认记录' }).click();
    await section.getByText('有异议待处理').waitFor();
    await section.getByText(`${today} 收到，来自 李异议`).waitFor();
    await admin.mouse.move(0, 0);
    await expectAccessible(admin);
    await screenshot(admin, 'public-notice-objection');

    await section.getByRole('button', { name: '处理异议' }).click();
    const resolveDialog = admin.getByRole('dialog');
    await resolveDialog.getByLabel('异议不成立').check();
    await resolveDialog.getByLabel('处理说明').fill('经核实，引荐关系属实');
    await resolveDialog.getByRole('button', { name: '确认处理' }).click();
    await section.getByText(/处理结果：异议不成立/).waitFor();
    await section.getByText('公示中').waitFor();
    expectCleanConsole(admin);

    // Finance sees the notice on the lead page: its status, deadline and the objection.
    const finance = await browser.newPage();
    await signIn(finance, 'finance', 'fin-notice-reader', `/console/leads/${submitted.leadId}`);
    const onLead = finance.getByTestId('public-notice');
    await onLead.getByText('公示中').waitFor();
    await onLead.getByText('异议截止日').waitFor();
    await onLead.getByText(/处理结果：异议不成立/).waitFor();
    expect(await onLead.getByRole('button', { name: '记录异议' }).count()).toBe(0);
    expectCleanConsole(finance);
  });
});
