import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_SETTINGS } from '#shared/schemas/project-settings.ts';
import { api, freshLead, randomUscc, submit, tokenFor } from '#test/support/api.ts';

/**
 * Projects over HTTP, per role: a sector team registers and changes its own sector's projects only
 * (another sector's is 404, a write to it 403), finance, auditors and the admin read everything; every
 * change is an audit entry, and nothing is overwritten (a correction is a new entry, a plan a new
 * revision). Year 2021, so the 2019 review of projects-source-2019.test.ts is not touched.
 */

type Problem = { status: number; code?: string; errors?: { field: string; message: string }[] };
type Project = {
  projectId: string;
  sector: string;
  leadId: string | null;
  stage: string;
  startedOn: string | null;
  resumptions: Record<string, string>;
  investor: { uscc: string } | null;
  totalInvestmentFen: number | null;
};

let food: string;
let foodColleague: string;
let logistics: string;
let finance: string;
let auditor: string;
let admin: string;

const team = { leader: '刘建华', department: '经济发展局', township: '蒋官屯街道', commissioner: '王磊' };

function projectBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `测试项目 ${randomUUID().slice(0, 8)}`,
    sector: 'food',
    kind: 'new',
    plannedStartMonth: '2021-03',
    team,
    stage: 'signed',
    stageOn: '2021-01-05',
    investor: { name: '测试投资有限公司', uscc: randomUscc() },
    totalInvestment: '3亿',
    category: 'old_capacity_upgrade',
    ...overrides,
  };
}

async function register(token: string, body: Record<string, unknown> = projectBody()): Promise<Project> {
  const answer = await api<Project>('POST', '/projects', { token, body });
  if (answer.status !== 201) throw new Error(`register: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const fields = (answer: { body: Problem }) => answer.body.errors?.map((problem) => problem.field);

beforeAll(async () => {
  [food, foodColleague, logistics, finance, auditor, admin] = await Promise.all([
    tokenFor('sector:food'),
    tokenFor('sector:food'),
    tokenFor('sector:logistics'),
    tokenFor('finance'),
    tokenFor('auditor'),
    tokenFor('admin'),
  ]);
});

describe('registering a project', () => {
  it('lets a team register for its own sector, answers a retry with the same key and refuses the key reused', async () => {
    const key = `project-${randomUUID()}`;
    const body = projectBody();
    const first = await api<Project>('POST', '/projects', {
      token: food,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/projects/${first.body.projectId}`);
    expect(first.body.projectId).toMatch(/^pj_[0-9a-f]{24}$/);
    const retry = await api<Project>('POST', '/projects', {
      token: food,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.projectId).toBe(first.body.projectId);
    const reused = await api<Problem>('POST', '/projects', {
      token: food,
      body: { ...body, name: '另一个项目' },
      headers: { 'idempotency-key': key },
    });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('refuses another sector’s registration (403), finance and auditors altogether (403)', async () => {
    expect((await api('POST', '/projects', { token: logistics, body: projectBody() })).status).toBe(403);
    expect((await api('POST', '/projects', { token: finance, body: projectBody() })).status).toBe(403);
    expect((await api('POST', '/projects', { token: auditor, body: projectBody() })).status).toBe(403);
    expect((await api('POST', '/projects', { token: admin, body: projectBody() })).status).toBe(201);
  });

  it('names every bad field: a new project without its planned start month, a stage nobody knows, a bad credit code', async () => {
    const { plannedStartMonth: _left, ...withoutMonth } = projectBody();
    const answer = await api<Problem>('POST', '/projects', {
      token: food,
      body: { ...withoutMonth, investor: { name: 'x', uscc: '91370000000000000X' } },
    });
    expect(answer.status).toBe(400);
    expect(fields(answer)).toEqual(expect.arrayContaining(['plannedStartMonth', 'investor.uscc']));
    const stage = await api<Problem>('POST', '/projects', {
      token: food,
      body: projectBody({ stage: 'dreaming' }),
    });
    expect(stage.status).toBe(400);
    expect(fields(stage)).toEqual(['stage']);
    const english = await api<{ errors: { message: string }[] }>('POST', '/projects', {
      token: food,
      body: projectBody({ stage: 'dreaming' }),
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.errors[0]?.message).toMatch(/^must be one of promotion/);
  });

  it('takes a signed lead over, linked both ways, one project per lead', async () => {
    const lead = freshLead('food', { plannedInvestment: '2.5亿' });
    const leadId = await submit(food, lead);
    const project = await register(
      food,
      projectBody({ leadId, investor: undefined, totalInvestment: undefined }),
    );
    expect(project.leadId).toBe(leadId);
    expect(project.investor?.uscc).toBe(lead.investor.uscc);
    // The lead's verified actual investment (1.2亿) rather than its plan (2.5亿).
    expect(project.totalInvestmentFen).toBe(12_000_000_000);
    // Linked both ways: the lead's view names its project.
    const leadView = await api<{ projectId: string | null }>('GET', `/leads/${leadId}`, { token: food });
    expect(leadView.body.projectId).toBe(project.projectId);
    const found = await api<{ items: Project[] }>('GET', `/projects?leadId=${leadId}`, { token: food });
    expect(found.body.items.map((item) => item.projectId)).toEqual([project.projectId]);
    const again = await api<Problem>('POST', '/projects', { token: food, body: projectBody({ leadId }) });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('lead_already_linked');
    const otherSector = await api<Problem>('POST', '/projects', {
      token: logistics,
      body: projectBody({ sector: 'logistics', leadId }),
    });
    expect(otherSector.status).toBe(400);
    expect(fields(otherSector)).toEqual(['leadId']);
  });
});

describe('reading projects', () => {
  let own: Project;
  beforeAll(async () => {
    own = await register(food);
  });

  it('hides another sector’s project from a team (404) and shows it to finance, auditors and the admin', async () => {
    expect((await api('GET', `/projects/${own.projectId}`, { token: logistics })).status).toBe(404);
    for (const token of [food, finance, auditor, admin]) {
      expect((await api('GET', `/projects/${own.projectId}`, { token })).status).toBe(200);
    }
  });

  it('lists a team’s own sector only; asking for another sector is 403', async () => {
    const mine = await api<{ items: Project[] }>('GET', '/projects?limit=100', { token: food });
    expect(mine.status).toBe(200);
    expect(mine.body.items.every((item) => item.sector === 'food')).toBe(true);
    expect((await api('GET', '/projects?sector=food', { token: logistics })).status).toBe(403);
    const all = await api<{ items: Project[] }>('GET', '/projects?sector=food&kind=new&stage=signed', {
      token: finance,
    });
    expect(all.body.items.map((item) => item.projectId)).toContain(own.projectId);
  });

  it('pages with a cursor that belongs to its query', async () => {
    await register(food);
    const first = await api<{ items: Project[]; nextCursor: string | null }>(
      'GET',
      '/projects?sector=food&limit=1',
      {
        token: finance,
      },
    );
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const next = await api<{ items: Project[] }>(
      'GET',
      `/projects?sector=food&limit=1&cursor=${first.body.nextCursor}`,
      { token: finance },
    );
    expect(next.body.items[0]?.projectId).not.toBe(first.body.items[0]?.projectId);
    const foreign = await api<Problem>(
      'GET',
      `/projects?sector=food&kind=new&limit=1&cursor=${first.body.nextCursor}`,
      {
        token: finance,
      },
    );
    expect(foreign.status).toBe(400);
    expect(fields(foreign)).toEqual(['cursor']);
  });

  it('keeps writes to its own sector: another team’s stage move is 404, finance’s 403', async () => {
    const move = { stage: 'under_construction', on: '2021-03-10' };
    expect(
      (await api('POST', `/projects/${own.projectId}/stage`, { token: logistics, body: move })).status,
    ).toBe(404);
    expect(
      (await api('POST', `/projects/${own.projectId}/stage`, { token: finance, body: move })).status,
    ).toBe(403);
  });
});

describe('stages, plans and monthly reports, all audited, nothing overwritten', () => {
  it('moves forward, needs a reason to go back, and records a 续建 project’s 复工 once a year', async () => {
    const project = await register(food);
    const moved = await api<{ project: Project }>('POST', `/projects/${project.projectId}/stage`, {
      token: food,
      body: { stage: 'under_construction', on: '2021-03-10' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.project).toMatchObject({ stage: 'under_construction', startedOn: '2021-03-10' });
    const back = await api<Problem>('POST', `/projects/${project.projectId}/stage`, {
      token: foodColleague,
      body: { stage: 'signed', on: '2021-04-01' },
    });
    expect(back.status).toBe(400);
    expect(fields(back)).toEqual(['reason']);
    const withReason = await api('POST', `/projects/${project.projectId}/stage`, {
      token: foodColleague,
      body: { stage: 'signed', on: '2021-04-01', reason: '环评未通过，暂停施工' },
    });
    expect(withReason.status).toBe(200);

    const continued = await register(
      food,
      projectBody({
        kind: 'continued',
        plannedStartMonth: undefined,
        stage: 'under_construction',
        stageOn: '2020-05-01',
      }),
    );
    const resumed = await api<{ project: Project }>('POST', `/projects/${continued.projectId}/stage`, {
      token: food,
      body: { stage: 'under_construction', on: '2021-02-20', note: '春节后复工' },
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.project.resumptions).toEqual({ 2020: '2020-05-01', 2021: '2021-02-20' });
    const twice = await api<Problem>('POST', `/projects/${continued.projectId}/stage`, {
      token: food,
      body: { stage: 'under_construction', on: '2021-03-01' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('already_resumed');
  });

  it('splits a plan evenly with the fen remainder in December, or takes twelve months that add up', async () => {
    const project = await register(food);
    const even = await api<{ monthsFen: number[]; revision: number; split: string }>(
      'PUT',
      `/projects/${project.projectId}/plans/2021`,
      { token: food, body: { annual: '100.00' } },
    );
    expect(even.status).toBe(201);
    expect(even.body.monthsFen).toEqual([...Array(11).fill(833), 837]);
    const same = await api<{ revision: number }>('PUT', `/projects/${project.projectId}/plans/2021`, {
      token: food,
      body: { annual: '100.00' },
    });
    expect(same.status).toBe(200);
    expect(same.body.revision).toBe(1);
    const wrong = await api<Problem>('PUT', `/projects/${project.projectId}/plans/2021`, {
      token: food,
      body: { annual: '1200万', months: Array(12).fill('99万') },
    });
    expect(wrong.status).toBe(400);
    expect(fields(wrong)).toEqual(['months']);
    const given = await api<{ revision: number; split: string }>(
      'PUT',
      `/projects/${project.projectId}/plans/2021`,
      {
        token: food,
        body: { annual: '1200万', months: Array(12).fill('100万') },
      },
    );
    expect(given.body).toMatchObject({ revision: 2, split: 'given' });
    const view = await api<{ plans: { revision: number; current: boolean }[] }>(
      'GET',
      `/projects/${project.projectId}`,
      { token: food },
    );
    expect(view.body.plans.map((plan) => [plan.revision, plan.current])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('keeps a corrected report beside its correction, counts the newest, flags a late one, and audits each step', async () => {
    const project = await register(food);
    await api('PUT', `/projects/${project.projectId}/plans/2021`, {
      token: food,
      body: { annual: '1200万', months: Array(12).fill('100万') },
    });
    const first = await api<{ seq: number; late: boolean; correctionOf: number | null }>(
      'POST',
      `/projects/${project.projectId}/progress`,
      { token: food, body: { month: '2021-02', completed: '80万' } },
    );
    expect(first.status).toBe(201);
    // Reported years after the 25th of February 2021.
    expect(first.body).toMatchObject({ seq: 1, late: true, correctionOf: null });
    const correction = await api<{ seq: number; correctionOf: number | null }>(
      'POST',
      `/projects/${project.projectId}/progress`,
      { token: foodColleague, body: { month: '2021-02', completed: '95万', note: '补录设备款' } },
    );
    expect(correction.body).toMatchObject({ seq: 2, correctionOf: 1 });
    await api('POST', `/projects/${project.projectId}/progress`, {
      token: food,
      body: { month: '2021-01', completed: '100万' },
    });
    const view = await api<{
      progress: { month: string; seq: number; completedFen: number; current: boolean }[];
      figures: { completedToDateFen: number; scheduleRate: { text: string }; light: string };
    }>('GET', `/projects/${project.projectId}?month=2021-02`, { token: finance });
    expect(
      view.body.progress.map((entry) => [entry.month, entry.seq, entry.completedFen, entry.current]),
    ).toEqual([
      ['2021-01', 1, 100_000_000, true],
      ['2021-02', 1, 80_000_000, false],
      ['2021-02', 2, 95_000_000, true],
    ]);
    expect(view.body.figures).toMatchObject({
      completedToDateFen: 195_000_000,
      scheduleRate: { text: '97.50%' },
      light: 'green',
    });

    const future = await api<Problem>('POST', `/projects/${project.projectId}/progress`, {
      token: food,
      body: { month: '2099-01', completed: '1万' },
    });
    expect(future.status).toBe(400);
    expect(fields(future)).toEqual(['month']);

    const trail = await api<{ items: { action: string; details: Record<string, unknown> }[] }>(
      'GET',
      `/audit?subject=${project.projectId}`,
      { token: auditor },
    );
    expect(trail.body.items.map((entry) => entry.action).reverse()).toEqual([
      'project.created',
      'project.plan_set',
      'project.progress_reported',
      'project.progress_corrected',
      'project.progress_reported',
    ]);
    expect(
      trail.body.items.find((entry) => entry.action === 'project.progress_corrected')?.details,
    ).toMatchObject({
      month: '2021-02',
      seq: 2,
      correctionOf: 1,
      completedFen: 95_000_000,
      previousFen: 80_000_000,
    });
  });
});

describe('reports, the calendar, the settings and the ratings', () => {
  it('gives a team the ledger of its own sector, refuses it another’s, and gives finance every sector', async () => {
    const mine = await api<{ rows: { sector: string }[]; total: unknown }>(
      'GET',
      '/reports/monthly?month=2021-02',
      {
        token: food,
      },
    );
    expect(mine.status).toBe(200);
    expect(mine.body.rows.every((row) => row.sector === 'food')).toBe(true);
    expect(
      (await api('GET', '/reports/monthly?month=2021-02&sector=food', { token: logistics })).status,
    ).toBe(403);
    for (const token of [finance, auditor, admin]) {
      expect((await api('GET', '/reports/monthly?month=2021-02', { token })).status).toBe(200);
    }
    const bad = await api<Problem>('GET', '/reports/monthly?month=2021-13', { token: finance });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['month']);
  });

  it('lets the admin enter a year’s calendar (a date of another year is 400), and nobody else', async () => {
    const body = { holidays: ['2021-10-01', '2021-10-04'], workdays: ['2021-09-26'] };
    expect((await api('PUT', '/calendar/2021', { token: food, body })).status).toBe(403);
    const set = await api<{ revision: number; holidays: string[] }>('PUT', '/calendar/2021', {
      token: admin,
      body,
    });
    expect([200, 201]).toContain(set.status);
    expect(set.body.holidays).toEqual(['2021-10-01', '2021-10-04']);
    const read = await api<{ workdays: string[]; weekdays: number[] }>('GET', '/calendar/2021', {
      token: food,
    });
    expect(read.body).toMatchObject({ workdays: ['2021-09-26'], weekdays: [1, 2, 3, 4, 5] });
    const wrong = await api<Problem>('PUT', '/calendar/2021', {
      token: admin,
      body: { holidays: ['2022-01-01'] },
    });
    expect(wrong.status).toBe(400);
    expect(fields(wrong)).toEqual(['holidays.0']);
  });

  it('publishes a settings version once (the numbers unchanged here: other tests rely on the defaults)', async () => {
    const version = `test-${randomUUID().slice(0, 8)}`;
    const settings = { ...DEFAULT_PROJECT_SETTINGS, version };
    expect((await api('PUT', '/project-settings', { token: food, body: settings })).status).toBe(403);
    const published = await api<{ revision: number }>('PUT', '/project-settings', {
      token: admin,
      body: settings,
    });
    expect(published.status).toBe(201);
    const again = await api<Problem>('PUT', '/project-settings', { token: admin, body: settings });
    expect(again.status).toBe(409);
    const read = await api<{ settings: { version: string } }>('GET', '/project-settings', { token: finance });
    expect(read.body.settings.version).toBe(version);
    const bad = await api<Problem>('PUT', '/project-settings', {
      token: admin,
      body: {
        ...settings,
        version: `${version}-b`,
        lights: { ...settings.lights, yellowMaxPointsBehind: 5 },
      },
    });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['lights.yellowMaxPointsBehind']);
  });

  it('takes the admin’s ratings into the ranking, explained', async () => {
    const ratings = { ratings: [{ sector: 'food', park: 90, field: 80 }] };
    expect(
      (await api('PUT', '/reports/ranking/2021/1/ratings', { token: finance, body: ratings })).status,
    ).toBe(403);
    const set = await api('PUT', '/reports/ranking/2021/1/ratings', { token: admin, body: ratings });
    expect(set.status).toBe(201);
    const ranking = await api<{
      teams: {
        sector: string;
        indicators: { code: string; points: string; explanation: { zh: string } }[];
      }[];
    }>('GET', '/reports/ranking?year=2021&half=1', { token: finance });
    const foodTeam = ranking.body.teams.find((team) => team.sector === 'food');
    expect(foodTeam?.indicators.find((indicator) => indicator.code === 'parkRating')).toMatchObject({
      points: '13.50',
      explanation: { zh: '园区评议90分（满分100）：15×90/100＝13.50分' },
    });
    const badSector = await api<Problem>('PUT', '/reports/ranking/2021/1/ratings', {
      token: admin,
      body: { ratings: [{ sector: 'nowhere', park: 90, field: 120 }] },
    });
    expect(badSector.status).toBe(400);
    expect(fields(badSector)).toEqual(['ratings.0.sector', 'ratings.0.field']);
  });
});
