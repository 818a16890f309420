import { describe, expect, it } from 'vitest';
import { CALENDAR_2019 } from '#infra/local/demo-projects.ts';
import { percentOf, yiText } from '#shared/domain/projects/figure-format.ts';
import { type YearBook, yearBookOf } from '#shared/domain/projects/ledger.ts';
import { evenSplit, sumFen } from '#shared/domain/projects/plan-split.ts';
import {
  dueDateOf,
  latestDueMonth,
  monthsBetween,
  shanghaiDateOf,
} from '#shared/domain/projects/shanghai-time.ts';
import { initialState, moveStage } from '#shared/domain/projects/stages.ts';
import { escalated, openItem, supervisionIdOf } from '#shared/domain/projects/supervision.ts';
import { provinceOfUscc, rankTeams } from '#shared/domain/projects/team-ranking.ts';
import { type LightInput, lightOf } from '#shared/domain/projects/traffic-lights.ts';
import { addWorkingDays, isWorkingDay, type WorkingCalendar } from '#shared/domain/projects/working-days.ts';
import { DEFAULT_SECTORS } from '#shared/domain/sectors.ts';
import { DEFAULT_PROJECT_SETTINGS as SETTINGS } from '#shared/schemas/project-settings.ts';
import type { PlanRecord, ProgressEntry, ProjectRecord } from '#shared/schemas/projects.ts';
import { makeValidUscc } from '#test/fixtures/identifiers.ts';

/** Table-driven tests of the pure rules of project tracking (issue 15), with the default settings. */

const WAN = 1_000_000;

const calendar2019: WorkingCalendar = {
  weekdays: [1, 2, 3, 4, 5],
  years: new Map([[2019, { year: 2019, ...CALENDAR_2019 }]]),
};

describe('Asia/Shanghai months and due days', () => {
  it.each([
    ['2019-06-30T15:59:59.999Z', '2019-06-30'],
    ['2019-06-30T16:00:00.000Z', '2019-07-01'],
    ['2018-12-31T16:00:00.000Z', '2019-01-01'],
  ])('the instant %s is the Shanghai date %s', (instant, date) => {
    expect(shanghaiDateOf(new Date(instant))).toBe(date);
  });

  it.each([
    ['2019-06-24', '2019-05'],
    ['2019-06-25', '2019-06'],
    ['2019-01-10', '2018-12'],
    ['2019-02-28', '2019-02'],
  ])('on %s the newest month due (the 25th) is %s', (today, month) => {
    expect(latestDueMonth(today, 25)).toBe(month);
  });

  it('makes a due day past the month’s end its last day', () => {
    expect(dueDateOf('2019-02', 31)).toBe('2019-02-28');
    expect(dueDateOf('2020-02', 30)).toBe('2020-02-29');
    expect(monthsBetween('2018-11', '2019-02')).toBe(3);
  });
});

describe('the working-day calendar (the State Council’s 2019 notice)', () => {
  it.each([
    ['2019-02-01', true, 'Friday before 春节'],
    ['2019-02-02', true, 'Saturday worked in exchange (调休)'],
    ['2019-02-04', false, '春节'],
    ['2019-02-09', false, 'Saturday in 春节'],
    ['2019-04-28', true, 'Sunday worked before 劳动节'],
    ['2019-05-01', false, '劳动节'],
    ['2019-06-07', false, '端午'],
    ['2019-06-08', false, 'an ordinary Saturday'],
    ['2019-06-10', true, 'an ordinary Monday'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(isWorkingDay(date, calendar2019)).toBe(working);
  });

  it.each([
    ['2019-06-05', 3, '2019-06-11', 'over 端午 (Friday 7th) and the weekend'],
    ['2019-01-31', 2, '2019-02-02', 'to the Saturday worked in exchange'],
    ['2019-02-01', 5, '2019-02-13', 'over the two 调休 weekend days and the whole of 春节'],
    ['2019-04-26', 1, '2019-04-28', 'to the Sunday worked in exchange'],
    ['2019-07-10', 5, '2019-07-17', 'an ordinary week'],
  ])('%s + %i working days is %s (%s)', (from, count, to) => {
    expect(addWorkingDays(from, count, calendar2019)).toBe(to);
  });

  it('counts Monday to Friday in a year nobody entered', () => {
    const plain: WorkingCalendar = { weekdays: [1, 2, 3, 4, 5], years: new Map() };
    expect(addWorkingDays('2030-01-04', 1, plain)).toBe('2030-01-07');
  });
});

describe('percentages and 亿 amounts', () => {
  it.each([
    [31, 32, 'cut', '96.87%'],
    [31, 32, 'half_up', '96.88%'],
    [1, 3, 'cut', '33.33%'],
    [2, 3, 'cut', '66.66%'],
    [2, 3, 'half_up', '66.67%'],
    [5, 5, 'cut', '100.00%'],
    [0, 7, 'cut', '0.00%'],
    [3, 2, 'cut', '150.00%'],
  ] as const)('%i of %i with %s prints %s', (numerator, denominator, rounding, text) => {
    expect(percentOf(numerator, denominator, { decimals: 2, rounding })?.text).toBe(text);
  });

  it('has no percentage of nothing', () => {
    expect(percentOf(1, 0, { decimals: 2, rounding: 'cut' })).toBeNull();
  });

  it.each([
    [506_600 * WAN, '50.66'],
    [177_000 * WAN, '17.7'],
    [10_000 * WAN, '1'],
    [86_149 * WAN, '8.61'],
    [86_150 * WAN, '8.62'],
    [0, '0'],
  ])('%i fen is %s亿 (two decimals at most, half up, no trailing zero)', (fen, text) => {
    expect(yiText(fen, { decimals: 2, rounding: 'half_up' })).toBe(text);
  });
});

describe('the plan split', () => {
  it.each([[100], [1_200_000_000], [11], [0], [1_770_000_000_07]])(
    'splits %i fen evenly with the remainder in December, summing exactly',
    (annual) => {
      const months = evenSplit(annual);
      expect(months).toHaveLength(12);
      expect(sumFen(months)).toBe(annual);
      expect(new Set(months.slice(0, 11)).size).toBe(1);
      expect(months[11]).toBeGreaterThanOrEqual(months[0] ?? 0);
      expect((months[11] ?? 0) - (months[0] ?? 0)).toBeLessThan(12);
    },
  );
});

function lightInput(overrides: Partial<LightInput>): LightInput {
  return {
    kind: 'continued',
    month: '2019-06',
    planToDateFen: 100 * WAN,
    completedToDateFen: 100 * WAN,
    plannedStartMonth: null,
    startedOn: null,
    reportExpected: true,
    reported: true,
    today: '2019-07-10',
    ...overrides,
  };
}

describe('traffic lights (10 / 30 points behind, 1 / 3 months not started, a missing report)', () => {
  it.each([
    ['on plan', { completedToDateFen: 100 * WAN }, 'green', []],
    ['ahead of plan', { completedToDateFen: 150 * WAN }, 'green', []],
    ['exactly 10 points behind', { completedToDateFen: 90 * WAN }, 'green', []],
    ['a fen more than 10 points behind', { completedToDateFen: 90 * WAN - 1 }, 'yellow', ['behind_plan']],
    ['exactly 30 points behind', { completedToDateFen: 70 * WAN }, 'yellow', ['behind_plan']],
    ['a fen more than 30 points behind', { completedToDateFen: 70 * WAN - 1 }, 'red', ['behind_plan']],
    ['nothing planned yet', { planToDateFen: 0, completedToDateFen: 0 }, 'green', []],
    [
      'new, planned for May, not started in June',
      { kind: 'new', plannedStartMonth: '2019-05', planToDateFen: 0, completedToDateFen: 0 },
      'yellow',
      ['not_started'],
    ],
    [
      'new, planned for March, not started in June',
      { kind: 'new', plannedStartMonth: '2019-03', planToDateFen: 0, completedToDateFen: 0 },
      'red',
      ['not_started'],
    ],
    [
      'new, planned for June, not started in June',
      { kind: 'new', plannedStartMonth: '2019-06', planToDateFen: 0, completedToDateFen: 0 },
      'green',
      [],
    ],
    [
      'new, planned for March, started in April',
      { kind: 'new', plannedStartMonth: '2019-03', startedOn: '2019-04-02' },
      'green',
      [],
    ],
    [
      'new, planned for March, started only in July (after the month looked at)',
      {
        kind: 'new',
        plannedStartMonth: '2019-03',
        startedOn: '2019-07-02',
        planToDateFen: 0,
        completedToDateFen: 0,
      },
      'red',
      ['not_started'],
    ],
    ['the June report missing on 10 July', { reported: false }, 'yellow', ['report_missing']],
    [
      'the June report missing on its due day, the 25th',
      { reported: false, today: '2019-06-25' },
      'green',
      [],
    ],
    [
      'no report expected (not in the year’s ledger)',
      { reported: false, reportExpected: false },
      'green',
      [],
    ],
    [
      'behind by 40 points and its report missing: the worst wins, both named',
      { completedToDateFen: 60 * WAN, reported: false },
      'red',
      ['behind_plan', 'report_missing'],
    ],
  ] as const)('%s: %s', (_name, overrides, light, codes) => {
    const verdict = lightOf(lightInput(overrides), SETTINGS);
    expect(verdict.light).toBe(light);
    expect(verdict.reasons.map((reason) => reason.code)).toEqual(codes);
  });

  it('explains a light in both languages, the points and the rate agreeing', () => {
    const verdict = lightOf(lightInput({ completedToDateFen: 80 * WAN + 5 }), SETTINGS);
    expect(verdict.reasons[0]?.text).toEqual({
      zh: '落后序时计划20.00个百分点（完成序时计划80.00%）',
      en: '20.00 points behind the plan to date (80.00% of it done)',
    });
  });

  it('follows its settings: 5 and 15 points, red on a missing report', () => {
    const strict = {
      ...SETTINGS,
      lights: {
        ...SETTINGS.lights,
        greenMaxPointsBehind: 5,
        yellowMaxPointsBehind: 15,
        missingReport: 'red' as const,
      },
    };
    expect(lightOf(lightInput({ completedToDateFen: 90 * WAN }), strict).light).toBe('yellow');
    expect(lightOf(lightInput({ completedToDateFen: 84 * WAN }), strict).light).toBe('red');
    expect(lightOf(lightInput({ reported: false }), strict).light).toBe('red');
  });
});

function project(overrides: Partial<ProjectRecord> = {}): ProjectRecord {
  return initialState(
    {
      projectId: `pj_${'a'.repeat(24)}`,
      name: '测试项目',
      sector: 'food',
      leadId: null,
      kind: 'new',
      municipalMajor: null,
      team: { leader: '刘建华', department: '经济发展局', township: '北城街道', commissioner: '王磊' },
      plannedStartMonth: '2019-03',
      investor: null,
      totalInvestmentFen: null,
      category: null,
      stage: 'signed',
      stageOn: '2019-01-10',
      createdAt: '2019-01-10T02:00:00.000Z',
      createdBy: { userId: 'u', role: 'sector:food' },
      updatedAt: '2019-01-10T02:00:00.000Z',
      version: 1,
      requestHash: 'h',
      ...overrides,
    },
    SETTINGS,
  );
}

const by = { userId: 'u', role: 'sector:food' };
const move = (stage: string, on: string, reason: string | null = null) => ({
  stage,
  on,
  note: null,
  reason,
  at: `${on}T08:00:00.000Z`,
  by,
  seq: 2,
});

describe('stage moves', () => {
  it.each([
    ['forward, skipping a stage', project(), move('under_construction', '2019-03-05'), 'forward'],
    ['back with a reason', project(), move('negotiation', '2019-02-01', '投资方调整方案'), 'back'],
    [
      'a 续建 project reporting 在建 again: its 复工',
      project({ kind: 'continued', stage: 'under_construction', stageOn: '2018-05-01' }),
      move('under_construction', '2019-02-20'),
      'resume',
    ],
  ])('%s', (_name, from, step, direction) => {
    const outcome = moveStage(from, step, SETTINGS);
    expect(outcome.ok && outcome.event.direction).toBe(direction);
  });

  it.each([
    ['an unknown stage', project(), move('dreaming', '2019-02-01'), 'unknown_stage'],
    ['back without a reason', project(), move('promotion', '2019-02-01'), 'reason_required'],
    [
      'a date before the current stage’s',
      project(),
      move('under_construction', '2019-01-09'),
      'before_current',
    ],
    ['the same stage, not a 续建 project', project(), move('signed', '2019-02-01'), 'same_stage'],
    [
      'a second 复工 in the same year',
      project({ kind: 'continued', stage: 'under_construction', stageOn: '2019-02-20' }),
      move('under_construction', '2019-03-01'),
      'already_resumed',
    ],
  ])('refuses %s', (_name, from, step, problem) => {
    const outcome = moveStage(from, step, SETTINGS);
    expect(outcome.ok ? 'moved' : outcome.problem).toBe(problem);
  });

  it('dates the signing and the 开工 at the first time they are reached, and keeps them on a move back', () => {
    const registered = project({ stage: 'negotiation', stageOn: '2019-01-05' });
    expect(registered).toMatchObject({ signedOn: null, startedOn: null });
    const started = moveStage(registered, move('under_construction', '2019-03-05'), SETTINGS);
    if (!started.ok) throw new Error(started.problem);
    expect(started.project).toMatchObject({ signedOn: '2019-03-05', startedOn: '2019-03-05', version: 2 });
    const back = moveStage(
      started.project,
      { ...move('pre_construction', '2019-04-01', '停工整改'), seq: 3 },
      SETTINGS,
    );
    if (!back.ok) throw new Error(back.problem);
    expect(back.project).toMatchObject({ stage: 'pre_construction', startedOn: '2019-03-05' });
  });
});

describe('督办 escalation (blue → yellow → red, 5 / 3 / 3 working days)', () => {
  const opened = openItem(
    project(),
    'light',
    [{ code: 'behind_plan', light: 'red', text: { zh: '落后', en: 'behind' } }],
    '2019-06',
    '2019-07-10',
    calendar2019,
    SETTINGS,
  );

  it('opens at blue, owned by the commissioner, due 5 working days later, under an id of project, cause and month', () => {
    expect(opened).toMatchObject({
      level: 'blue',
      owner: '王磊',
      escalatedTo: null,
      deadline: '2019-07-17',
      status: 'open',
      itemId: supervisionIdOf(opened.projectId, 'light', '2019-06'),
    });
    expect(supervisionIdOf(opened.projectId, 'light', '2019-07')).not.toBe(opened.itemId);
  });

  it.each([
    ['2019-07-16', 'blue', '2019-07-17', null],
    ['2019-07-17', 'blue', '2019-07-17', null],
    ['2019-07-18', 'yellow', '2019-07-22', null],
    ['2019-07-22', 'yellow', '2019-07-22', null],
    ['2019-07-23', 'red', '2019-07-25', '刘建华'],
    ['2019-12-31', 'red', '2019-07-25', '刘建华'],
  ])('on %s it is %s, due %s, naming %s', (today, level, deadline, leader) => {
    const item = escalated(opened, today, '刘建华', calendar2019, SETTINGS);
    expect(item).toMatchObject({ level, deadline, escalatedTo: leader });
  });

  it('catches up a missed week to where daily runs would have been, one step per level', () => {
    const item = escalated(opened, '2019-07-30', '刘建华', calendar2019, SETTINGS);
    expect(item.steps.map((step) => [step.level, step.on, step.deadline])).toEqual([
      ['blue', '2019-07-10', '2019-07-17'],
      ['yellow', '2019-07-18', '2019-07-22'],
      ['red', '2019-07-23', '2019-07-25'],
    ]);
  });

  it('moves up on the first working day after a deadline, not on the weekend after it', () => {
    const friday = openItem(
      project(),
      'report_overdue',
      [{ code: 'report_missing', light: 'yellow', text: { zh: '未报', en: 'missing' } }],
      '2019-06',
      '2019-07-12',
      calendar2019,
      SETTINGS,
    );
    expect(friday.deadline).toBe('2019-07-19');
    expect(escalated(friday, '2019-07-20', '刘建华', calendar2019, SETTINGS).level).toBe('blue');
    expect(escalated(friday, '2019-07-21', '刘建华', calendar2019, SETTINGS).level).toBe('blue');
    expect(escalated(friday, '2019-07-22', '刘建华', calendar2019, SETTINGS).steps.at(-1)).toEqual({
      level: 'yellow',
      on: '2019-07-22',
      deadline: '2019-07-24',
    });
  });

  it('leaves a resolved item alone', () => {
    const resolved = { ...opened, status: 'resolved' as const };
    expect(escalated(resolved, '2019-08-30', '刘建华', calendar2019, SETTINGS)).toBe(resolved);
  });
});

describe('the half-year ranking (30 / 20 / 20 / 15 / 15)', () => {
  const outside = makeValidUscc('91110000MA01ABCD1'); // registered in Beijing (11)
  const home = makeValidUscc('91371500MA3C8K2M5'); // Liaocheng, Shandong (37)

  function rankingProject(n: number, overrides: Partial<ProjectRecord>): ProjectRecord {
    return project({
      projectId: `pj_${String(n).padStart(24, '0')}`,
      stage: 'signed',
      stageOn: '2019-03-01',
      totalInvestmentFen: 100_000_000_00,
      investor: { name: 'x', uscc: outside },
      category: 'new_productive_force',
      ...overrides,
    });
  }

  const plan = (projectId: string, sector: string): PlanRecord => ({
    projectId,
    sector,
    year: 2019,
    revision: 1,
    annualFen: 1200 * WAN,
    monthsFen: evenSplit(1200 * WAN),
    split: 'even',
    at: '2019-01-10T00:00:00Z',
    by,
  });
  const report = (projectId: string, sector: string, month: string, completedFen: number): ProgressEntry => ({
    projectId,
    sector,
    month,
    seq: 1,
    completedFen,
    note: null,
    reportedAt: `${month}-20T02:00:00Z`,
    dueOn: `${month}-25`,
    late: false,
    correctionOf: null,
    by,
  });

  const projects = [
    rankingProject(1, { sector: 'food' }),
    rankingProject(2, { sector: 'food', totalInvestmentFen: 99_999_999_99 }), // below 1亿: not counted
    rankingProject(3, { sector: 'food', investor: { name: 'x', uscc: home } }), // home province
    rankingProject(4, { sector: 'logistics' }),
    rankingProject(5, { sector: 'logistics', stageOn: '2019-07-01' }), // signed in the second half
    rankingProject(6, { sector: 'logistics', category: 'other' }),
    rankingProject(7, { sector: 'logistics' }),
  ];
  const book: YearBook = yearBookOf(
    2019,
    projects.map((p) => plan(p.projectId, p.sector)),
    [
      report(projects[0]?.projectId ?? '', 'food', '2019-03', 300 * WAN),
      report(projects[3]?.projectId ?? '', 'logistics', '2019-05', 100 * WAN),
      report(projects[3]?.projectId ?? '', 'logistics', '2019-08', 900 * WAN), // second half
    ],
  );
  const teams = rankTeams(
    {
      year: 2019,
      half: 1,
      sectors: DEFAULT_SECTORS,
      projects,
      book,
      ratings: new Map([
        ['food', { park: 80, field: 90 }],
        ['logistics', { park: 100, field: 100 }],
      ]),
    },
    SETTINGS,
  );
  const team = (sector: string) => teams.find((t) => t.sector === sector);
  const points = (sector: string) =>
    Object.fromEntries(team(sector)?.indicators.map((indicator) => [indicator.code, indicator.points]) ?? []);

  it.each([
    // food: 1 outside-province 亿元 project of the best team's 3 → 10; 300万 in place, the best → 20; 3 of 3
    // in target categories → 20; ratings 80 and 90 → 12 + 13.5.
    [
      'food',
      {
        outsideProvinceProjects: '10.00',
        investmentInPlace: '20.00',
        targetCategoryShare: '20.00',
        parkRating: '12.00',
        fieldRating: '13.50',
      },
      '75.50',
    ],
    // logistics: 3 (the one signed in July does not count) → 30; 100万 (August's 900万 is the second half's)
    // of the best 300万 → 6.67; 3 of 4 in target categories → 15.
    [
      'logistics',
      {
        outsideProvinceProjects: '30.00',
        investmentInPlace: '6.67',
        targetCategoryShare: '15.00',
        parkRating: '15.00',
        fieldRating: '15.00',
      },
      '81.67',
    ],
    [
      'new_energy',
      {
        outsideProvinceProjects: '0.00',
        investmentInPlace: '0.00',
        targetCategoryShare: '0.00',
        parkRating: '0.00',
        fieldRating: '0.00',
      },
      '0.00',
    ],
  ])('scores %s', (sector, expected, total) => {
    expect(points(sector)).toEqual(expected);
    expect(team(sector)?.total).toBe(total);
  });

  it('ranks by total, equal totals sharing a rank, and lists every team', () => {
    expect(teams).toHaveLength(10);
    expect(teams.slice(0, 2).map((t) => [t.sector, t.rank])).toEqual([
      ['logistics', 1],
      ['food', 2],
    ]);
    expect(new Set(teams.slice(2).map((t) => t.rank))).toEqual(new Set([3]));
  });

  it('explains each indicator in both languages', () => {
    const food = team('food')?.indicators.find((indicator) => indicator.code === 'outsideProvinceProjects');
    expect(food?.explanation.zh).toBe('新签约省外1亿元以上项目1个，最多的专班3个：30×1/3＝10.00分');
    expect(team('new_energy')?.indicators.at(-1)?.explanation.en).toBe('field rating not entered yet: 0');
  });

  it('reads the province from the credit code', () => {
    expect(provinceOfUscc(outside)).toBe('11');
    expect(provinceOfUscc(home)).toBe('37');
  });
});
