import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, evaluatedLead, tokenFor } from './support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * The auditor's day in the console, in Chromium on the local stack: 验证审计链, the digest downloaded and
 * checked again later, the history of a lead, and 重放 of its decision.
 */

const browser = setUpBrowser();

/** axe on the page with the pointer off every button (a hovered button shows antd's lighter hover colours). */
async function atRest(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await expectAccessible(page);
}

describe('the auditor in the console', () => {
  it('verifies the chain, downloads the digest and verifies against it, and finds a lead’s history', async () => {
    const submitted = await evaluatedLead('biomedicine');
    const page = await browser.newPage();
    await signIn(page, 'auditor', 'auditor-1');
    // Auditors land on 审计.
    await page.getByRole('heading', { name: '审计', level: 2 }).waitFor();

    await page.getByRole('button', { name: '验证审计链' }).click();
    const verification = page.getByTestId('verification');
    await verification.waitFor();
    expect(await verification.textContent()).toContain('审计链完整');

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载摘要' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^audit-digest-.+-\d+\.json$/);
    const path = await download.path();
    const digest = JSON.parse(await readFile(path, 'utf8')) as { seq: number; hash: string; takenAt: string };
    expect(digest.seq).toBeGreaterThan(0);
    expect(digest.hash).toMatch(/^[0-9a-f]{64}$/);
    // The API's digest names the same head (or a later one, if the pipeline wrote meanwhile).
    const head = await api<{ seq: number }>('GET', '/audit/digest', { token: await tokenFor('auditor') });
    expect(head.body.seq).toBeGreaterThanOrEqual(digest.seq);

    // Later: the kept digest file is read back and the chain is verified against it.
    await page.getByLabel('读取摘要文件').setInputFiles(path);
    await expect.poll(() => page.getByLabel('摘要序号（seq）').inputValue()).toBe(String(digest.seq));
    expect(await page.getByLabel('摘要哈希（hash）').inputValue()).toBe(digest.hash);
    await page.getByRole('button', { name: '按摘要验证' }).click();
    await verification.filter({ hasText: '审计链完整' }).waitFor();

    // A digest that does not match is named as such, in Chinese.
    await page.getByLabel('摘要哈希（hash）').fill('0'.repeat(64));
    await page.getByRole('button', { name: '按摘要验证' }).click();
    await verification.filter({ hasText: '与保存的摘要不符' }).waitFor();
    await page.getByLabel('摘要哈希（hash）').fill(digest.hash);

    // The history of the lead: its receipt and its evaluation, newest first.
    await page.getByLabel('对象（线索编号等）').fill(submitted.leadId);
    await page.getByRole('button', { name: '查询' }).click();
    const history = page.getByRole('table', { name: '审计记录（最新在前）' });
    // Until the search answers, the table still shows the whole history: wait for the lead's alone.
    await expect
      .poll(async () => {
        const subjects = await history.getByRole('link').allTextContents();
        return subjects.length > 0 && subjects.every((subject) => subject === submitted.leadId);
      })
      .toBe(true);
    expect(await history.getByText('受理线索（lead.received）').count()).toBe(1);
    expect(await history.getByText('评估决定（lead.evaluated）').count()).toBe(1);
    expect(await history.getByRole('link', { name: submitted.leadId }).count()).toBeGreaterThan(1);
    await page.getByRole('button', { name: '验证审计链' }).click();
    await verification.filter({ hasText: '审计链完整' }).waitFor();
    await atRest(page);
    await screenshot(page, 'audit');
    expectCleanConsole(page);
  }, 120_000);

  it('replays a decision revision on the lead page: 一致 identical', async () => {
    const submitted = await evaluatedLead('new_materials');
    const page = await browser.newPage();
    await signIn(page, 'auditor', 'auditor-1', `/console/leads/${submitted.leadId}`);
    const replay = page.getByRole('button', { name: /重放/ }).first();
    await replay.click();
    const result = page.getByTestId('replay-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('一致（identical）');
    expect(await result.textContent()).toContain('输入哈希一致 ✓ 是');
    await atRest(page);
    expectCleanConsole(page);
  });
});
