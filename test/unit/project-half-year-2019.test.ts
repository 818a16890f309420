import { beforeAll, describe, expect, it } from 'vitest';
import { applyDemoProjects, superviseDemoJuly } from '#infra/local/demo-project-seeder.ts';
import { demoProjects } from '#infra/local/demo-projects.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { DEFAULT_PROJECT_SETTINGS } from '#shared/schemas/project-settings.ts';
import { halfYearReport, monthlyReport } from '#shared/use-cases/projects/project-reports.ts';
import { MemoryProjectStores } from '#test/fixtures/project-stores.ts';

/**
 * Issue 15, "done when": the source's first half of 2019 built as data (each project registered, planned,
 * moved and reported as a team would, through the use cases) and the half-year review prints the source's
 * figures, its paragraph as the source phrases it.
 */

// The zone's review, as issue 15 quotes it ("…" stands for words the quote leaves out).
const SOURCE_QUOTE =
  '1—6月份，全区重点项目完成投资50.66亿元，续建项目复工率96.87%，新建项目开工14个。…共11个项目列入市级重大项目，其中实施类项目6个，年度计划投资17.7亿元，1—6月完成投资8.61亿元；预备类项目5个，年度计划投资15.1亿元';

const finance: Principal = { userId: 'fin-1', roles: ['finance'] };
const clock = { now: () => new Date('2019-07-30T10:00:00+08:00') };

let stores: MemoryProjectStores;

beforeAll(async () => {
  stores = new MemoryProjectStores();
  await applyDemoProjects(stores);
});

describe('the half-year review of 2019 from the source-shaped data', () => {
  it('prints the source paragraph word for word', async () => {
    const review = await halfYearReport({ ...stores, clock }, { principal: finance, year: 2019, half: 1 });
    const [before = '', after = ''] = SOURCE_QUOTE.split('…');
    expect(review.paragraph.zh.startsWith(before)).toBe(true);
    expect(review.paragraph.zh).toContain(after);
    expect(review.paragraph.zh.indexOf(after)).toBeGreaterThan(before.length);
    expect(review.paragraph.zh).toBe(`${before}2019年全区${after}。`);
  });

  it('has the source figures as numbers too', async () => {
    const review = await halfYearReport({ ...stores, clock }, { principal: finance, year: 2019, half: 1 });
    expect(review.keyProjects).toMatchObject({ completedFen: 5_066_000_000_00, completedYi: '50.66' });
    expect(review.continued).toMatchObject({ projects: 32, resumed: 31 });
    expect(review.continued.resumptionRate).toMatchObject({
      numerator: 31,
      denominator: 32,
      value: 96.87,
      text: '96.87%',
    });
    expect(review.newProjects.startedThisYear).toBe(14);
    expect(review.municipalMajor).toMatchObject({
      projects: 11,
      implementation: {
        projects: 6,
        annualPlanFen: 1_770_000_000_00,
        completedFen: 861_000_000_00,
        annualPlanYi: '17.7',
        completedYi: '8.61',
      },
      preparatory: { projects: 5, annualPlanFen: 1_510_000_000_00, annualPlanYi: '15.1' },
    });
  });

  it('prints 96.88% when the settings round half up instead of cutting', async () => {
    stores.settingsRevisions.push({
      revision: 1,
      settings: {
        ...DEFAULT_PROJECT_SETTINGS,
        version: 'half-up',
        percent: { decimals: 2, rounding: 'half_up' },
      },
    });
    try {
      const review = await halfYearReport({ ...stores, clock }, { principal: finance, year: 2019, half: 1 });
      expect(review.continued.resumptionRate?.text).toBe('96.88%');
      expect(review.paragraph.zh).toContain('续建项目复工率96.88%');
    } finally {
      stores.settingsRevisions.pop();
    }
  });

  it('shows a sector team the review of its own projects only, and says so', async () => {
    const food: Principal = { userId: 'food-1', roles: ['sector:food'] };
    const review = await halfYearReport({ ...stores, clock }, { principal: food, year: 2019, half: 1 });
    expect(review.sector).toBe('food');
    expect(review.paragraph.zh.startsWith('1—6月份，食品加工专班重点项目完成投资')).toBe(true);
    expect(review.keyProjects.projects).toBeLessThan(10);
  });

  it('gives the June ledger one row per project and a 合计 that adds up', async () => {
    const ledger = await monthlyReport(
      { ...stores, clock },
      { principal: finance, query: { month: '2019-06' } },
    );
    expect(ledger.rows).toHaveLength(demoProjects.length);
    expect(ledger.total.completedToDate.fen).toBe(5_066_000_000_00);
    expect(ledger.total.completedToDate.text).toBe('50.66亿元');
    expect(ledger.total.annualPlan.fen).toBe(ledger.rows.reduce((sum, row) => sum + row.annualPlan.fen, 0));
    expect(ledger.rates).toMatchObject({ resumed: 31, continued: 32 });
    expect(ledger.rates.resumptionRate?.text).toBe('96.87%');
    // Some run behind: the lights have something to show.
    expect(ledger.total.lights.yellow).toBeGreaterThan(0);
    expect(ledger.total.lights.red).toBeGreaterThan(0);
    const hygeia = ledger.rows.find((row) => row.name === '海吉亚医院');
    expect(hygeia).toMatchObject({
      municipalMajor: 'implementation',
      kind: 'new',
      stage: 'under_construction',
    });
  });

  it('audits every change it made: registrations, plans, stage moves, reports, the calendar', () => {
    const steps = demoProjects.flatMap((project) => project.steps);
    const stageMoves = steps.filter((step) => step.action.kind === 'stage').length;
    expect(stores.audit.filter((entry) => entry.action === 'project.created')).toHaveLength(
      demoProjects.length,
    );
    expect(stores.audit.filter((entry) => entry.action === 'project.plan_set')).toHaveLength(
      demoProjects.length,
    );
    expect(stores.audit.filter((entry) => entry.action === 'project.stage_changed')).toHaveLength(stageMoves);
    expect(stores.audit.filter((entry) => entry.action === 'project.progress_reported')).toHaveLength(
      steps.filter((step) => step.action.kind === 'progress').length,
    );
    expect(stores.audit.filter((entry) => entry.action === 'calendar.set')).toHaveLength(1);
  });

  it('runs again over its own data without a change (the seeder is idempotent)', async () => {
    const before = stores.audit.length;
    await applyDemoProjects(stores);
    expect(stores.audit.length).toBe(before);
  });

  it('opens 督办 items in July 2019 and escalates them as their deadlines pass', async () => {
    await superviseDemoJuly(stores);
    const items = [...stores.supervisionItems.values()];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.openedOn === '2019-07-10' && item.month === '2019-06')).toBe(true);
    const open = items.filter((item) => item.status === 'open');
    // Opened on Wednesday 10 July, 5 working days: due Wednesday 17th; past it on the 18th (yellow, 3
    // working days: due Monday 22nd); past that on the 23rd: red, naming the 帮包 leader (the run of the
    // 24th catches up to where daily runs would have been).
    expect(open.every((item) => item.level === 'red' && item.escalatedTo !== null)).toBe(true);
    expect(open[0]?.steps.map((step) => [step.level, step.on, step.deadline])).toEqual([
      ['blue', '2019-07-10', '2019-07-17'],
      ['yellow', '2019-07-18', '2019-07-22'],
      ['red', '2019-07-23', '2019-07-25'],
    ]);
    expect(items.filter((item) => item.status === 'resolved')).toHaveLength(2);
  });
});
