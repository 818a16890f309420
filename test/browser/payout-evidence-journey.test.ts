import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { auditReport, siteCheck } from '#test/fixtures/evidence.ts';
import { referrerRegistration } from '#test/fixtures/referrer-registration.ts';
import { api, evaluatedLead, eventually, tokenFor } from './support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * 引荐人报备 and 投资证据 (issue 17, parts 1–2) in Chromium: on the lead page a sector officer records the
 * referrer's registration (and sees the re-evaluation's verdict) and the audit report (a construction
 * period ending before it starts is refused on its field first); the site check is not offered to them,
 * in plain words; a colleague of the same sector records it, and the page shows all three recorded.
 */

const browser = setUpBrowser();
const SECTOR = 'optoelectronics';
const SLOW = { timeout: 30_000 };

async function pickDate(scope: Locator | Page, label: string, date: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.fill(date);
  // Tab commits the typed date (Enter would also submit a form whose fields are all filled).
  await input.press('Tab');
}

describe('报备 and 投资证据 on the lead page', () => {
  it('an officer records the registration and the audit report, a colleague the site check', async () => {
    const officer = `evidence-officer-${randomUUID().slice(0, 8)}`;
    const colleague = `evidence-colleague-${randomUUID().slice(0, 8)}`;
    const { leadId } = await evaluatedLead(SECTOR, officer);

    const page = await browser.newPage();
    await signIn(page, `sector:${SECTOR}`, officer, `/console/leads/${leadId}`);

    // 引荐人报备: nothing on record yet; the officer records it, the lead is evaluated again on it.
    const registration = page.getByRole('region', { name: '引荐人报备' });
    await registration.getByText('尚未登记引荐人报备').waitFor(SLOW);
    await pickDate(registration, '登记日期', '2026-01-05');
    await pickDate(registration, '签约日期', '2026-03-18');
    await registration.getByRole('radiogroup', { name: '财政供养人员' }).getByText('否').click();
    await registration.getByRole('radiogroup', { name: '与投资方有关联' }).getByText('否').click();
    await registration.getByLabel('投资方确认人', { exact: true }).fill('王投资');
    await pickDate(registration, '投资方确认日期', '2026-01-06');
    await registration.getByLabel('专班确认人', { exact: true }).fill('李专班');
    await pickDate(registration, '专班确认日期', '2026-01-06');
    await registration.getByLabel('园区确认人', { exact: true }).fill('赵园区');
    await pickDate(registration, '园区确认日期', '2026-01-07');
    await registration.getByLabel('备注', { exact: true }).fill('报备表编号 2026-001');
    await registration.getByRole('button', { name: '登记报备' }).click();
    await registration.getByText('按报备评估：符合报备要求', { exact: false }).waitFor(SLOW);
    await registration.getByText('王投资（2026-01-06）').waitFor();
    await registration.getByRole('button', { name: '更正报备' }).waitFor();

    // 投资证据: the rule in words; a period that ends before it starts is refused on its field.
    const evidence = page.getByRole('region', { name: '投资证据' });
    await evidence.getByText('两者须由两位不同人员登记', { exact: false }).waitFor();
    await evidence.getByText('未登记（缺）').first().waitFor();
    await expect
      .poll(async () => {
        await evidence.getByLabel('报告类型', { exact: true }).click();
        await page
          .getByTitle('专项审计报告', { exact: true })
          .click({ timeout: 3_000 })
          .catch(() => undefined);
        // The chosen value shows in the field (the dropdown itself lies outside the section).
        return evidence.getByTitle('专项审计报告', { exact: true }).count();
      }, SLOW)
      .toBeGreaterThan(0);
    await evidence.getByLabel('报告文号', { exact: true }).fill('鲁会审字〔2026〕第0318号');
    await evidence.getByLabel('会计师事务所', { exact: true }).fill('山东聊城正信会计师事务所');
    await pickDate(evidence, '报告日期', '2026-06-30');
    await pickDate(evidence, '建设期开始日期', '2026-03-18');
    await pickDate(evidence, '建设期结束日期', '2026-03-01');
    await evidence.getByLabel('建设期内固定资产投资额', { exact: true }).fill('1.2亿');
    await evidence.getByLabel('土地款（另列）', { exact: true }).fill('2000万');
    await evidence.getByRole('button', { name: '登记审计报告' }).click();
    await evidence.getByText('开始日期不能晚于结束日期').waitFor(SLOW);
    await pickDate(evidence, '建设期结束日期', '2027-03-17');
    await evidence.getByRole('button', { name: '登记审计报告' }).click();
    await evidence.getByText('鲁会审字〔2026〕第0318号').waitFor(SLOW);

    // The site check is not offered to whoever recorded the report: said in plain words.
    await evidence
      .getByText(`审计报告由您（${officer}）登记，现场核查须由另一人登记`, { exact: false })
      .waitFor();
    expect(await evidence.getByRole('button', { name: '登记现场核查' }).count()).toBe(0);
    expectCleanConsole(page, [/status of 400/]);

    // A colleague of the same sector records the on-site check.
    const second = await browser.newPage();
    await signIn(second, `sector:${SECTOR}`, colleague, `/console/leads/${leadId}`);
    const theirs = second.getByRole('region', { name: '投资证据' });
    await theirs.getByText(officer).waitFor(SLOW);
    await theirs.getByLabel('核查人', { exact: true }).fill('钱核查');
    await pickDate(theirs, '核查日期', '2026-07-02');
    await theirs.getByLabel('核查情况', { exact: true }).fill('主要生产设备已安装调试，厂房竣工');
    await theirs.getByRole('radiogroup', { name: '核查结论' }).getByText('确认投资到位').click();
    await theirs.getByRole('button', { name: '登记现场核查' }).click();

    // All three on record: the registration, the report by the officer, the check by the colleague.
    await theirs.getByText('由两位不同人员登记').waitFor(SLOW);
    await theirs.getByText('已登记，核查确认投资到位').waitFor();
    await theirs.getByText(`${colleague}（您）`).waitFor();
    await theirs.getByText('1.2亿元', { exact: true }).waitFor();
    const theirRegistration = second.getByRole('region', { name: '引荐人报备' });
    await theirRegistration.getByText('按报备评估：符合报备要求', { exact: false }).waitFor();
    await second.mouse.move(0, 0);
    await expectAccessible(second);
    await screenshot(second, 'payout-evidence');
    expectCleanConsole(second);

    // What the page showed is what the API holds.
    const recorded = await api<{ items: { kind: string; recordedBy: { userId: string } }[] }>(
      'GET',
      `/leads/${leadId}/evidence`,
      { token: await tokenFor('auditor') },
    );
    expect(recorded.body.items.map((item) => [item.kind, item.recordedBy.userId])).toEqual([
      ['audit_report', officer],
      ['site_check', colleague],
    ]);
  });

  it('finance sees evidence recorded by one person and approval refused in plain words', async () => {
    const officer = `evidence-alone-${randomUUID().slice(0, 8)}`;
    const { leadId, token } = await evaluatedLead(SECTOR, officer);
    const registered = await api<{ revision: number }>('POST', `/leads/${leadId}/referrer-registration`, {
      token,
      body: referrerRegistration(),
    });
    expect(registered.status).toBe(202);
    await eventually(async () => {
      const view = await api<{ latestRevision: number; pendingRevision?: number }>(
        'GET',
        `/leads/${leadId}`,
        {
          token,
        },
      );
      return view.body.latestRevision >= registered.body.revision && view.body.pendingRevision === undefined
        ? true
        : undefined;
    });
    // One officer records both items: the API takes each entry; the approval is what refuses.
    const stored = await api<{ lead: { actualInvestment?: number; plannedInvestment: number } }>(
      'GET',
      `/leads/${leadId}`,
      { token },
    );
    const amountFen = stored.body.lead.actualInvestment ?? stored.body.lead.plannedInvestment;
    for (const [path, body] of [
      ['audit-report', auditReport(amountFen)],
      ['site-check', siteCheck()],
    ] as const) {
      expect((await api('POST', `/leads/${leadId}/evidence/${path}`, { token, body })).status).toBe(201);
    }

    const page = await browser.newPage();
    await signIn(page, 'finance', `fin-evidence-${randomUUID().slice(0, 6)}`, `/console/leads/${leadId}`);
    const evidence = page.getByRole('region', { name: '投资证据' });
    await evidence.getByText('同一人登记了审计报告和现场核查', { exact: false }).waitFor(SLOW);
    expect(await evidence.getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: '批准', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认批准' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: '投资证据不完整' });
    await refusal.first().waitFor(SLOW);
    expect(await refusal.first().textContent()).toContain('由不同人员登记的审计报告与现场核查（现为同一人）');
    expectCleanConsole(page, [/status of 409/]);
  });
});
