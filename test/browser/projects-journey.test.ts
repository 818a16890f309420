import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, tokenFor, useLocalCloudEnv } from '#test/support/api.ts';
import { expectAccessible, expectCleanConsole, screenshot, setUpBrowser, signIn } from './support/browser.ts';

/**
 * Projects in the console (issue 15), in Chromium on the local stack: a sector team reads its 项目台账 for
 * June 2020 (lights in words), opens a project and corrects a monthly report, resolves a 督办 item the
 * morning run opened; finance reads 报表: the half-year paragraph exactly as the API writes it, and the
 * ranking with every point explained. The scene is set through the API; year 2020 is this file's own.
 */

const browser = setUpBrowser();

const team = { leader: '刘建华', department: '经济发展局', township: '蒋官屯街道', commissioner: '王磊' };
let onPlan = '';
let notStarted = '';

async function ok<T>(answer: Promise<{ status: number; body: T }>): Promise<T> {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`${status} ${JSON.stringify(body)}`);
  return body;
}

beforeAll(async () => {
  const food = await tokenFor('sector:food', 'officer-food');
  const register = (body: Record<string, unknown>) =>
    ok(
      api<{ projectId: string }>('POST', '/projects', {
        token: food,
        body: { sector: 'food', team, ...body },
      }),
    );
  onPlan = (
    await register({
      name: '宠物食品智能工厂（台账测试）',
      kind: 'continued',
      municipalMajor: 'implementation',
      stage: 'under_construction',
      stageOn: '2020-02-20',
    })
  ).projectId;
  notStarted = (
    await register({
      name: '冷链食品加工项目（台账测试）',
      kind: 'new',
      plannedStartMonth: '2020-03',
      stage: 'signed',
      stageOn: '2020-01-15',
    })
  ).projectId;
  await ok(api('PUT', `/projects/${onPlan}/plans/2020`, { token: food, body: { annual: '1.2亿' } }));
  await ok(api('PUT', `/projects/${notStarted}/plans/2020`, { token: food, body: { annual: '6000万' } }));
  await ok(
    api('POST', `/projects/${onPlan}/progress`, {
      token: food,
      body: { month: '2020-06', completed: '6000万' },
    }),
  );
  await ok(
    api('POST', `/projects/${notStarted}/progress`, {
      token: food,
      body: { month: '2020-06', completed: '0' },
    }),
  );
  // The 督办 of the morning of 10 July 2020, as the schedule runs it.
  useLocalCloudEnv();
  const { handler } = await import('#functions/supervise-projects/handler.ts');
  await handler(
    { time: '2020-07-10T00:00:00Z', detail: {} } as never,
    { awsRequestId: 'browser-test' } as never,
  );
}, 60_000);

/** axe with the pointer off every button (a hovered button shows antd's lighter hover colours). */
async function atRest(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await expectAccessible(page);
}

describe('projects in the console', () => {
  it('shows a team its 项目台账 with the lights in words, and a corrected report beside its correction', async () => {
    const page = await browser.newPage();
    await signIn(page, 'sector:food', 'officer-food', '/console/projects?month=2020-06');
    await page.getByRole('heading', { name: '项目台账', level: 2 }).waitFor();
    const green = page.getByRole('row').filter({ hasText: '宠物食品智能工厂（台账测试）' });
    const red = page.getByRole('row').filter({ hasText: '冷链食品加工项目（台账测试）' });
    await green.waitFor();
    expect(await green.textContent()).toContain('绿灯');
    expect(await green.textContent()).toContain('100.00%');
    expect(await red.textContent()).toContain('红灯');
    expect(await red.textContent()).toContain('计划2020-03开工，至2020-06仍未开工');
    expect(await page.getByRole('row').filter({ hasText: '合计' }).textContent()).toContain('1.8亿元');
    await atRest(page);
    await screenshot(page, 'project-ledger');

    await green.getByRole('link', { name: '宠物食品智能工厂（台账测试）' }).click();
    await page.getByRole('heading', { name: '宠物食品智能工厂（台账测试）', level: 2 }).waitFor();
    await page.getByLabel('报送月份').fill('2020-06');
    await page.getByLabel('报送月份').press('Enter');
    await page.getByLabel('本月完成投资').fill('6500万');
    await page.getByRole('button', { name: '报送', exact: true }).click();
    const reports = page.getByRole('table', { name: '月度进度报送记录' });
    await reports.getByText('已被更正，按期').or(reports.getByText('已被更正，逾期')).waitFor();
    expect(await reports.getByRole('row').filter({ hasText: '6500万元' }).textContent()).toContain('有效');
    await page.getByText('截至本月累计完成').waitFor();
    expect(await page.getByText('6500万元').count()).toBeGreaterThan(0);
    await atRest(page);
    await screenshot(page, 'project-page');
    expectCleanConsole(page);
  });

  it('lets a team resolve the 督办 item the morning run opened', async () => {
    const page = await browser.newPage();
    await signIn(page, 'sector:food', 'officer-food', '/console/supervision');
    await page.getByRole('heading', { name: '督办', level: 2 }).waitFor();
    const item = page.getByRole('row').filter({ hasText: '冷链食品加工项目（台账测试）' });
    await item.waitFor();
    expect(await item.textContent()).toContain('王磊');
    await atRest(page);
    await screenshot(page, 'supervision');
    await item.getByRole('button', { name: /办结/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '确认办结' }).click();
    await dialog.getByText('请填写办结说明').waitFor();
    await dialog.getByLabel('办结说明').fill('已约谈企业，落实开工条件');
    await dialog.getByRole('button', { name: '确认办结' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // antd draws the radio button on its label; the input itself is hidden.
    await page
      .locator('label')
      .filter({ has: page.getByRole('radio', { name: '已办结' }) })
      .click();
    await page.getByText(/于 \d{4}-\d{2}-\d{2} 办结：已约谈企业，落实开工条件/).waitFor();
    expectCleanConsole(page);
  });

  it('gives finance the half-year paragraph as the API writes it, and the ranking explained', async () => {
    const finance = await tokenFor('finance', 'fin-reports');
    const review = await ok(
      api<{ paragraph: { zh: string } }>('GET', '/reports/half-year?year=2020&half=1', { token: finance }),
    );
    expect(review.paragraph.zh).toMatch(
      /^1—6月份，全区重点项目完成投资0\.6(5)?亿元，续建项目复工率100\.00%，新建项目开工0个。/,
    );
    const page = await browser.newPage();
    await signIn(page, 'finance', 'fin-reports', '/console/reports?year=2020&half=1');
    await page.getByRole('heading', { name: '报表', level: 2 }).waitFor();
    expect((await page.getByTestId('half-year-paragraph').textContent())?.trim()).toBe(review.paragraph.zh);
    const food = page.getByRole('row').filter({ hasText: '食品加工' });
    expect(await food.textContent()).toContain('实际到位投资');
    await atRest(page);
    await screenshot(page, 'reports');
    expectCleanConsole(page);
  });
});
