import { beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_2019, type DemoProject, demoProjects } from '#infra/local/demo-projects.ts';
import { api, tokenFor, useLocalCloudEnv } from '#test/support/api.ts';

/**
 * Issue 15, "done when", from outside: the source's first half of 2019 entered through the routes as the
 * sector teams would (register, plan, stage moves, monthly reports), and the half-year review prints the
 * source's figures. Then the 督办 of July 2019 (the scheduled function, run as of that morning), a team
 * resolving an item, and the audit trail of it all. No other test writes 2019 data.
 */

const SOURCE_QUOTE =
  '1—6月份，全区重点项目完成投资50.66亿元，续建项目复工率96.87%，新建项目开工14个。…共11个项目列入市级重大项目，其中实施类项目6个，年度计划投资17.7亿元，1—6月完成投资8.61亿元；预备类项目5个，年度计划投资15.1亿元';

type Review = {
  paragraph: { zh: string; en: string };
  keyProjects: { completedYi: string; projects: number };
  continued: { projects: number; resumed: number; resumptionRate: { text: string } | null };
  newProjects: { startedThisYear: number };
  municipalMajor: {
    implementation: { annualPlanYi: string; completedYi: string };
    preparatory: { annualPlanYi: string };
  };
};

const tokens = new Map<string, string>();
async function teamToken(sector: string): Promise<string> {
  const known = tokens.get(sector);
  if (known !== undefined) return known;
  const token = await tokenFor(`sector:${sector}`, `officer-${sector}`);
  tokens.set(sector, token);
  return token;
}

/**
 * The project's steps, its six monthly reports folded into one for June holding the half-year's total:
 * the half-year figures are the same, and the routes see a third of the requests (the month-by-month
 * entry runs through the use cases in test/unit/project-half-year-2019.test.ts).
 */
function foldedSteps(project: DemoProject): DemoProject['steps'] {
  const reports = project.steps.flatMap((step) =>
    step.action.kind === 'progress' ? [step.action.body] : [],
  );
  const totalWan = reports.reduce((sum, body) => sum + Number(body.completed.replace('万', '')), 0);
  const others = project.steps.filter((step) => step.action.kind !== 'progress');
  if (reports.length === 0) return others;
  return [
    ...others,
    {
      at: '2019-06-20T10:00:00+08:00',
      action: { kind: 'progress', body: { month: '2019-06', completed: `${totalWan}万` } },
    },
  ];
}

async function enter(project: DemoProject): Promise<string> {
  const token = await teamToken(project.sector);
  let projectId = '';
  for (const { action } of foldedSteps(project)) {
    const [method, path, body, headers] =
      action.kind === 'register'
        ? (['POST', '/projects', action.body, { 'idempotency-key': project.key }] as const)
        : action.kind === 'plan'
          ? (['PUT', `/projects/${projectId}/plans/${action.year}`, action.body, {}] as const)
          : action.kind === 'stage'
            ? (['POST', `/projects/${projectId}/stage`, action.body, {}] as const)
            : (['POST', `/projects/${projectId}/progress`, action.body, {}] as const);
    const answer = await api<{ projectId?: string }>(method, path, { token, body, headers });
    if (answer.status !== 200 && answer.status !== 201) {
      throw new Error(`${project.name} ${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    if (action.kind === 'register') projectId = answer.body.projectId ?? '';
  }
  return projectId;
}

let finance: string;
let admin: string;
let auditor: string;
const ids = new Map<string, string>();

beforeAll(async () => {
  [finance, admin, auditor] = await Promise.all([
    tokenFor('finance'),
    tokenFor('admin'),
    tokenFor('auditor'),
  ]);
  const calendar = await api('PUT', '/calendar/2019', { token: admin, body: CALENDAR_2019 });
  expect([200, 201]).toContain(calendar.status);
  // Several teams at a time, as the office would.
  const queue = [...demoProjects];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let project = queue.shift(); project !== undefined; project = queue.shift()) {
        ids.set(project.name, await enter(project));
      }
    }),
  );
}, 180_000);

describe('the source’s first half of 2019, entered through the routes', () => {
  it('gives the half-year review the source prints', async () => {
    const { status, body } = await api<Review>('GET', '/reports/half-year?year=2019&half=1', {
      token: finance,
    });
    expect(status).toBe(200);
    const [before = '', after = ''] = SOURCE_QUOTE.split('…');
    expect(body.paragraph.zh.startsWith(before)).toBe(true);
    expect(body.paragraph.zh.slice(before.length)).toContain(after);
    expect(body.keyProjects.completedYi).toBe('50.66');
    expect(body.continued).toMatchObject({ projects: 32, resumed: 31, resumptionRate: { text: '96.87%' } });
    expect(body.newProjects.startedThisYear).toBe(14);
    expect(body.municipalMajor.implementation).toMatchObject({ annualPlanYi: '17.7', completedYi: '8.61' });
    expect(body.municipalMajor.preparatory.annualPlanYi).toBe('15.1');
  });

  it('lets auditors and the admin read it too, and shows a team its own sector only', async () => {
    for (const token of [auditor, admin]) {
      const answer = await api<Review>('GET', '/reports/half-year?year=2019&half=1', { token });
      expect(answer.status).toBe(200);
      expect(answer.body.keyProjects.completedYi).toBe('50.66');
    }
    const food = await api<Review & { sector: string }>('GET', '/reports/half-year?year=2019&half=1', {
      token: await teamToken('food'),
    });
    expect(food.status).toBe(200);
    expect(food.body.sector).toBe('food');
    expect(food.body.paragraph.zh).toMatch(/^1—6月份，食品加工专班重点项目完成投资/);
  });

  it('gives the June ledger with a 合计 row of 50.66亿元 and the lights', async () => {
    const { status, body } = await api<{
      rows: { name: string; light: string; scheduleRate: { text: string } | null }[];
      total: { completedToDate: { text: string }; lights: Record<string, number> };
      rates: { resumptionRate: { text: string } };
    }>('GET', '/reports/monthly?month=2019-06', { token: finance });
    expect(status).toBe(200);
    expect(body.rows).toHaveLength(demoProjects.length);
    expect(body.total.completedToDate.text).toBe('50.66亿元');
    expect(body.rates.resumptionRate.text).toBe('96.87%');
    expect(body.total.lights.red).toBeGreaterThan(0);
    const park = body.rows.find((row) => row.name === '智能光电信息产业园');
    expect(park).toMatchObject({ light: 'green' });
  });

  it('ranks the ten teams with every indicator explained', async () => {
    const { status, body } = await api<{
      teams: {
        sector: string;
        rank: number;
        total: string;
        indicators: { code: string; explanation: { zh: string } }[];
      }[];
    }>('GET', '/reports/ranking?year=2019&half=1', { token: finance });
    expect(status).toBe(200);
    expect(body.teams).toHaveLength(10);
    expect(body.teams[0]?.rank).toBe(1);
    for (const team of body.teams) {
      expect(team.indicators.map((indicator) => indicator.code)).toEqual([
        'outsideProvinceProjects',
        'investmentInPlace',
        'targetCategoryShare',
        'parkRating',
        'fieldRating',
      ]);
    }
    const own = await api<{ teams: { sector: string }[] }>('GET', '/reports/ranking?year=2019&half=1', {
      token: await teamToken('food'),
    });
    expect(own.body.teams.map((team) => team.sector)).toEqual(['food']);
  });
});

describe('the 督办 of July 2019', () => {
  it('opens items as of 08:00 on 10 July, a team resolves one, and every step is in the audit trail', async () => {
    useLocalCloudEnv();
    const { handler } = await import('#functions/supervise-projects/handler.ts');
    const run = (await handler(
      { time: '2019-07-10T00:00:00Z', detail: {} } as never,
      { functionName: 'supervise-projects', awsRequestId: 'test' } as never,
    )) as { opened: number; month: string; workingDay: boolean };
    expect(run).toMatchObject({ month: '2019-06', workingDay: true });
    expect(run.opened).toBeGreaterThan(0);
    // Run again the same morning (a retried invocation): nothing new.
    const again = (await handler(
      { time: '2019-07-10T00:00:00Z', detail: {} } as never,
      { functionName: 'supervise-projects', awsRequestId: 'test-2' } as never,
    )) as { opened: number };
    expect(again.opened).toBe(0);

    const list = await api<{
      items: { itemId: string; sector: string; level: string; owner: string; deadline: string }[];
    }>('GET', '/supervision?status=open', { token: finance });
    expect(list.status).toBe(200);
    const item = list.body.items[0];
    expect(item).toMatchObject({ level: 'blue', deadline: '2019-07-17' });
    if (item === undefined) return;
    const resolved = await api<{ status: string }>('POST', `/supervision/${item.itemId}/resolve`, {
      token: await teamToken(item.sector),
      body: { note: '已约谈企业，制定赶工计划' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const twice = await api<{ code: string }>('POST', `/supervision/${item.itemId}/resolve`, {
      token: await teamToken(item.sector),
      body: { note: '再次办结' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('already_resolved');

    const trail = await api<{ items: { action: string }[] }>('GET', `/audit?subject=${item.itemId}`, {
      token: auditor,
    });
    expect(trail.body.items.map((entry) => entry.action)).toEqual([
      'supervision.resolved',
      'supervision.opened',
    ]);
  });
});
