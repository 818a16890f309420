/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LEAD_SHEET_NAME, leadColumns } from '#shared/lead-import/lead-columns.ts';
import { randomUscc } from './support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * Excel in the console (issue 16), as the office uses it: a sector officer downloads the template from
 * 导入线索, fills it in (here with exceljs, as a user would in Excel), uploads it and follows each row to its
 * lead or to why it was refused; finance exports the payment list, the auditor the audit extract.
 */

const browser = setUpBrowser();

const SLOW = { timeout: 15_000 };
const HEADERS = leadColumns().map((column) => column.header);

/** The file a click saves, with the name the API gave it. */
async function saved(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', SLOW), click()]);
  return { name: (download as Download).suggestedFilename(), bytes: readFileSync(await download.path()) };
}

async function filled(template: Buffer, rows: readonly Record<string, unknown>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as never);
  const sheet = workbook.getWorksheet(LEAD_SHEET_NAME);
  if (sheet === undefined) throw new Error(`the template has no sheet ${LEAD_SHEET_NAME}`);
  for (const row of rows) sheet.addRow(HEADERS.map((header) => row[header] ?? null));
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

function leadRow(projectName: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    专班: '智能光电信息',
    项目名称: projectName,
    投资方名称: '聊城智光信息科技有限公司',
    投资方统一社会信用代码: randomUscc(),
    引荐方类型: '龙头企业',
    引荐方名称: '山东光明电子集团有限公司',
    引荐方统一社会信用代码: randomUscc(),
    '计划投资额（万元）': 15000,
    项目类别: '新型生产力培育',
    ...overrides,
  };
}

describe('Excel in the console', () => {
  it('imports a filled template from 我的线索 → 导入: the valid rows become leads, the bad one says its column and why', async () => {
    const page = await browser.newPage();
    await signIn(page, 'sector:optoelectronics', `officer-${randomUUID().slice(0, 8)}`, '/console/leads');
    await page.getByRole('button', { name: '导入' }).click();
    await page.getByRole('heading', { name: '导入线索', level: 2 }).waitFor(SLOW);

    const template = await saved(page, () => page.getByRole('button', { name: '下载导入模板' }).click());
    expect(template.name).toBe('线索导入模板.xlsx');

    const tag = randomUUID().slice(0, 6);
    const file = await filled(template.bytes, [
      leadRow(`导入光电园甲 ${tag}`),
      leadRow(`导入光电园乙 ${tag}`, { '计划投资额（万元）': 8000 }),
      leadRow(`导入光电园丙 ${tag}`, { 投资方统一社会信用代码: '91370100MA0000000X' }),
    ]);
    await page.locator('input[type="file"]').setInputFiles({
      name: `线索-${tag}.xlsx`,
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    await page.getByRole('button', { name: /导入$/ }).click();

    await page.getByText(/接受 2 行，拒绝 1 行/).waitFor(SLOW);
    const refused = page.getByRole('table', { name: '被拒绝的行' });
    await expect.poll(() => refused.textContent()).toContain('投资方统一社会信用代码');
    // The background creates the leads; each accepted row then links to its lead.
    await page.getByText('全部线索已创建。').waitFor({ timeout: 30_000 });
    const accepted = page.getByRole('table', { name: '已接受的行' });
    await expect.poll(() => accepted.getByRole('link').count(), SLOW).toBe(2);
    await expectAccessible(page);
    await screenshot(page, 'lead-import');

    await accepted.getByRole('link').first().click();
    await page.getByText(`导入光电园甲 ${tag}`).first().waitFor(SLOW);
    expectCleanConsole(page);
  });

  it('exports the payment list for finance and the audit extract for the auditor, named as the API names them', async () => {
    const finance = await browser.newPage();
    await signIn(finance, 'finance', `fin-${randomUUID().slice(0, 8)}`, '/console/reviews');
    await finance.getByRole('heading', { name: '待审核', level: 2 }).waitFor(SLOW);
    const sheet = await saved(finance, () => finance.getByRole('button', { name: '导出 Excel' }).click());
    expect(sheet.name).toMatch(/^奖励支付清单-APPROVED.*\.xlsx$/);
    expect(sheet.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expectCleanConsole(finance);

    const auditor = await browser.newPage();
    await signIn(auditor, 'auditor', `aud-${randomUUID().slice(0, 8)}`, '/console/audit');
    await auditor.getByRole('heading', { name: '审计', level: 2 }).waitFor(SLOW);
    const extract = await saved(auditor, () => auditor.getByRole('button', { name: '导出 CSV' }).click());
    expect(extract.name).toMatch(/^审计摘录.*\.csv$/);
    // UTF-8 with a byte-order mark, so Excel opens the Chinese headers as Chinese.
    expect([...extract.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(extract.bytes.toString('utf8')).toContain('哈希');
    expectCleanConsole(auditor);
  });
});
