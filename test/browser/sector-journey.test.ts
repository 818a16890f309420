/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, evaluatedLead, freshLead, randomUscc, submit, tokenFor } from './support/api.ts';
import {
  expectAccessible,
  expectCleanConsole,
  screenshot,
  setUpBrowser,
  signIn,
  stack,
} from './support/browser.ts';

/**
 * A sector team's day in the console, in Chromium on the local stack, found as a user finds things (by the
 * Chinese labels, roles and texts the issue fixes): 新建线索 with amounts and identifiers checked as typed,
 * 提交, the decision on the lead page, 我的线索, 登记实际投资; and another sector refused the lead's deep link.
 */

const browser = setUpBrowser();

/** Chromium asks for /favicon.ico on its own; the console has none (yet): not this page's error. */
const FAVICON = [/favicon\.ico/];

/** How long a user waits for a page to show something: the stack and Chromium share two cores. */
const SLOW = { timeout: 10_000 };

/** The same code with another check character: what a slip of the last character looks like. */
function withWrongCheckCharacter(uscc: string): string {
  return `${uscc.slice(0, 17)}${uscc.endsWith('0') ? '1' : '0'}`;
}

/** The texts of the field's error list (antd renders it under the input, `<id>_help`). */
async function fieldErrors(page: Page, label: string): Promise<string> {
  const id = await page.getByLabel(label, { exact: true }).getAttribute('id');
  const help = page.locator(`[id="${id}_help"]`);
  return (await help.count()) === 0 ? '' : ((await help.textContent()) ?? '');
}

/** The field is no longer marked invalid (its message leaves with antd's motion, so not that). */
async function expectValid(page: Page, label: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await expect.poll(() => field.getAttribute('aria-invalid'), SLOW).not.toBe('true');
}

describe('the sector team in the console', () => {
  it('submits a lead through 新建线索, sees its decision, finds it in 我的线索 and reports the actual investment', async () => {
    const user = `officer-${randomUUID().slice(0, 8)}`;
    const projectName = `智能光电测试园 ${randomUUID().slice(0, 6)}`;
    const page = await browser.newPage();
    await signIn(page, 'sector:optoelectronics', user, '/console/leads/new');
    await page.getByRole('heading', { name: '新建线索', level: 2 }).waitFor();

    await page.getByLabel('项目名称').fill(projectName);
    await page.getByLabel('投资方名称').fill('聊城智光信息科技有限公司');

    // A wrong check character is flagged while typing, before anything is sent.
    const uscc = randomUscc();
    const investorUscc = page.getByLabel('统一社会信用代码', { exact: true });
    await investorUscc.fill(withWrongCheckCharacter(uscc));
    await expect.poll(() => fieldErrors(page, '统一社会信用代码'), SLOW).toContain('校验位不符');
    expect(await investorUscc.getAttribute('aria-invalid')).toBe('true');
    await investorUscc.fill(uscc);
    await expectValid(page, '统一社会信用代码');

    // Amounts are read as typed, with the value shown beside; a bad one says why.
    const planned = page.getByLabel('计划投资额');
    await planned.fill('1.2亿元元');
    await expect.poll(() => fieldErrors(page, '计划投资额'), SLOW).toContain('不是金额');
    await planned.fill('1.2亿');
    await page.getByText('= 1.2亿元', { exact: true }).waitFor();
    await expectValid(page, '计划投资额');
    await page.getByLabel('申请专项基金').fill('100万');
    await page.getByText('= 100万元', { exact: true }).waitFor();

    await page.getByLabel('新型生产力培育').check();
    await page.getByLabel('龙头企业').check();
    await page.getByLabel('引荐方名称').fill('山东光明电子集团有限公司');
    await page.getByLabel('引荐方社会信用代码').fill(randomUscc());
    await page.getByLabel('责任人姓名').fill('王建国');
    await page.getByLabel('责任人电话').fill('0635-8880000');
    await expectAccessible(page);
    await screenshot(page, 'new-lead');

    // A double click makes one lead: the form fill has one Idempotency-Key.
    await page.getByRole('button', { name: '提交' }).dblclick();
    await page.waitForURL(/\/console\/leads\/ld_[0-9a-f]+$/);
    const leadPath = new URL(page.url()).pathname;

    // The page polls while the lead is evaluated: the decision appears by itself.
    await page.getByRole('heading', { name: projectName, level: 2 }).waitFor();
    await page.getByText('240万元', { exact: true }).first().waitFor({ timeout: 20_000 });
    await page.getByText('已预留').waitFor({ timeout: 20_000 });
    const explanation = await page
      .getByText(/介绍方为龙头企业/)
      .first()
      .textContent();
    expect(explanation).toContain('2% × 1.2亿元 = 240万元');
    expect(await page.getByText('待财政审核').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'lead-page');

    // The explanation follows the console's language.
    await page.getByText('English', { exact: true }).click();
    await page
      .getByText(/introducer is a leading enterprise|leading enterprise/i)
      .first()
      .waitFor();
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { name: /评估结果/ }).waitFor();

    await page.getByRole('menuitem', { name: '我的线索' }).click();
    await page.getByRole('heading', { name: '我的线索', level: 2 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: projectName });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('待财政审核');
    await expectAccessible(page);
    await screenshot(page, 'lead-list');

    // The API agrees: one lead for the double click.
    const token = await tokenFor('sector:optoelectronics', user);
    const listed = await api<{ items: { projectName: string }[] }>('GET', '/leads?limit=100', { token });
    expect(listed.body.items.filter((item) => item.projectName === projectName)).toHaveLength(1);

    await row.getByRole('link', { name: projectName }).click();
    await page.waitForURL((url) => url.pathname === leadPath);
    await page.getByLabel('实际投资额').fill('1.5亿');
    await page.getByText('= 1.5亿元', { exact: true }).waitFor();
    await page.getByLabel('证明材料').fill('验资报告 2026-07');
    await page.getByRole('button', { name: '登记实际投资' }).click();
    // Revision 2 on the actual investment: 2% of 1.5亿, payable (subject to finance review).
    await page.getByRole('heading', { name: /第2版评估/ }).waitFor({ timeout: 20_000 });
    await page.getByText('300万元', { exact: true }).first().waitFor();
    expect(await page.getByRole('row').filter({ hasText: '第2版评估' }).count()).toBe(1);
    expectCleanConsole(page, FAVICON);
    // A long journey on a machine the stack shares with Chromium: more than the suite's minute.
  }, 180_000);

  it('pages through 我的线索 from the server and filters it by status and month', async () => {
    // A sector no other browser test submits to, with more leads than one page holds.
    const user = `officer-${randomUUID().slice(0, 8)}`;
    const token = await tokenFor('sector:culture_tourism', user);
    const names: string[] = [];
    for (let index = 0; index < 23; index += 1) {
      const lead = freshLead('culture_tourism', {
        projectName: `文旅分页测试 ${index} ${randomUUID().slice(0, 4)}`,
      });
      names.push(lead.projectName);
      await submit(token, lead);
    }
    const page = await browser.newPage();
    await signIn(page, 'sector:culture_tourism', user, '/console/leads');
    await page.getByRole('heading', { name: '我的线索', level: 2 }).waitFor();
    const rows = page.getByRole('row').filter({ hasText: '文旅分页测试' });
    await expect.poll(() => rows.count(), SLOW).toBe(20);
    // Newest first: the last submitted opens the first page.
    expect(await rows.first().textContent()).toContain(names[22]);
    await page.getByRole('button', { name: '下一页' }).click();
    await expect.poll(() => rows.count(), SLOW).toBe(3);
    expect(await page.getByRole('button', { name: '下一页' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '上一页' }).click();
    await expect.poll(() => rows.count(), SLOW).toBe(20);

    // Status, chosen in the filter, goes into the address; nothing of this sector is paid.
    // A click on an option while antd's dropdown is still opening can miss: choose again until it took.
    await expect
      .poll(
        async () => {
          if (new URL(page.url()).searchParams.get('status') !== 'PAID') {
            await page.getByLabel('状态').click();
            await page
              .getByTitle('已支付', { exact: true })
              .click({ timeout: 5_000 })
              .catch(() => undefined);
          }
          return new URL(page.url()).searchParams.get('status');
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('PAID');
    await page.getByText('没有符合条件的线索').waitFor();
    expect(await rows.count()).toBe(0);

    // Month from the address (a link someone shared): this month has them, a month long past none.
    const thisMonth = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
    })
      .format(new Date())
      .slice(0, 7);
    await page.goto(`${stack.baseUrl}/console/leads?month=${thisMonth}`);
    await expect.poll(() => rows.count(), SLOW).toBe(20);
    await page.goto(`${stack.baseUrl}/console/leads?month=2019-01`);
    await page.getByText('没有符合条件的线索').waitFor();
    await expectAccessible(page);
    expectCleanConsole(page, FAVICON);
  }, 120_000);

  it('shows the server’s problem on its field', async () => {
    const page = await browser.newPage();
    await signIn(page, 'sector:optoelectronics', `officer-${randomUUID().slice(0, 8)}`, '/console/leads/new');
    // A bidi override passes the form's checks; the API refuses it and names the field.
    await page.getByLabel('项目名称').fill('测试\u202e项目');
    await page.getByLabel('投资方名称').fill('聊城测试投资有限公司');
    await page.getByLabel('统一社会信用代码', { exact: true }).fill(randomUscc());
    await page.getByLabel('计划投资额').fill('2亿');
    await page.getByLabel('其他').check();
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => fieldErrors(page, '项目名称'), SLOW).toContain('控制字符');
    expect(new URL(page.url()).pathname).toBe('/console/leads/new');
    expectCleanConsole(page, [/status of 400 .*\/leads\b/, ...FAVICON]);
  });

  it('refuses a lead of another sector opened by its deep link', async () => {
    const submitted = await evaluatedLead('optoelectronics');
    const page = await browser.newPage();
    await signIn(
      page,
      'sector:food',
      `officer-food-${randomUUID().slice(0, 6)}`,
      `/console/leads/${submitted.leadId}`,
    );
    await page.getByRole('heading', { name: '未找到该线索' }).waitFor();
    await page.getByText('不属于您的招商专班', { exact: false }).waitFor();
    expect(await page.getByText(submitted.lead.projectName).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(`/console/leads/${submitted.leadId}`);
    await expectAccessible(page);
    expectCleanConsole(page, [/status of 404 .*\/leads\/ld_/, ...FAVICON]);
    expect(stack.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});
