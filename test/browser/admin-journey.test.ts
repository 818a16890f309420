import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, tokenFor } from './support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * The policy admin (管委会) in the console, in Chromium on the local stack: open a fund, top it up, and
 * publish a policy version whose problems come back on their JSON paths.
 */

const browser = setUpBrowser();

/** axe on the page with the pointer off every button (a hovered button shows antd's lighter hover colours). */
async function atRest(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await expectAccessible(page);
}

describe('the admin in the console', () => {
  it('opens a fund, tops it up, and sees a bad policy’s problems on their JSON paths', async () => {
    const fundId = `browser-${randomUUID().slice(0, 8)}`;
    const page = await browser.newPage();
    await signIn(page, 'admin', 'admin-1');
    // Admins land on their page.
    await page.getByRole('heading', { name: '政策与基金管理', level: 2 }).waitFor();

    const open = page.getByRole('form', { name: '设立专项基金' });
    await open.getByLabel('基金编号').fill(fundId);
    await open.getByLabel('基金总额').fill('5000万');
    await open.getByText('= 5000万元', { exact: true }).waitFor();
    await open.getByRole('button', { name: '设立基金' }).click();
    await page.getByText(`已设立专项基金 ${fundId}，总额 5000万元`).waitFor();

    const topUp = page.getByRole('form', { name: '追加专项基金' });
    await topUp.getByLabel('基金编号').fill(fundId);
    await topUp.getByLabel('追加金额').fill('1000万');
    await topUp.getByText('= 1000万元', { exact: true }).waitFor();
    await topUp.getByRole('button', { name: '追加', exact: true }).click();
    await page.getByText(`已向 ${fundId} 追加：现总额 6000万元，可用 6000万元`).waitFor();
    const fund = await api<{ totalFen: number }>('GET', `/funds/${fundId}`, {
      token: await tokenFor('admin'),
    });
    expect(fund.body.totalFen).toBe(6_000_000_000);

    // A policy with a wrong type, a bad date and missing settings: each problem on its path and line.
    const editor = page.getByLabel('政策 JSON');
    expect(await editor.inputValue()).toContain('"version": "kfq-2019"');
    const bad = JSON.stringify(
      {
        version: `kfq-bad-${fundId}`,
        effectiveFrom: 'next spring',
        rules: [{ type: 'referral_reward', id: 'referral-reward', basisPoints: 'two percent' }],
      },
      null,
      2,
    );
    await editor.fill(bad);
    await page.getByRole('button', { name: '发布政策版本' }).click();
    const problems = page.getByTestId('policy-problems');
    await problems.waitFor();
    const listed = (await problems.textContent()) ?? '';
    expect(listed).toContain('effectiveFrom');
    expect(listed).toContain('rules.0.basisPoints');
    expect(listed).toContain('rules.0.thresholdFen');
    // basisPoints sits on line 8 of what was typed.
    const basisPointsLine = bad.split('\n').findIndex((line) => line.includes('"basisPoints"')) + 1;
    await problems
      .getByRole('listitem')
      .filter({ hasText: 'rules.0.basisPoints' })
      .getByRole('button', { name: `定位到第 ${basisPointsLine} 行` })
      .click();
    expect(
      await editor.evaluate((area: HTMLTextAreaElement) =>
        area.value.slice(area.selectionStart, area.selectionEnd),
      ),
    ).toContain('"basisPoints"');
    await atRest(page);
    await screenshot(page, 'admin');

    // JSON that does not parse is caught before it is sent, with its line and column.
    await editor.fill('{\n  "version": "x",\n}');
    await page.getByRole('button', { name: '发布政策版本' }).click();
    await page.getByText(/JSON 格式错误（第 3 行/).waitFor();
    expectCleanConsole(page, [/status of 400/]);

    // The fund page opens the new fund.
    await page.getByRole('menuitem', { name: '专项基金' }).click();
    await page.getByRole('heading', { name: '专项基金', level: 2 }).waitFor();
    await page.getByLabel('基金编号').fill(fundId);
    await page.getByRole('button', { name: '打开' }).click();
    await page.waitForURL((url) => url.pathname === `/console/funds/${fundId}`);
    await page.getByTestId('fund-figures').getByText('6000万元').first().waitFor();
    expectCleanConsole(page, [/status of 400/]);
  }, 120_000);
});
