/**
 * Demo projects shaped like the source's first half of 2019 (../shared/seed: the zone's mid-year review):
 * "1—6月份，全区重点项目完成投资50.66亿元，续建项目复工率96.87%，新建项目开工14个。今年开发区共11个项目列入市级
 * 重大项目，其中实施类项目6个，年度计划投资17.7亿元，1—6月完成投资8.61亿元；预备类项目5个，年度计划投资15.1亿元".
 *
 * The six named projects are the source's (智能光电信息产业园, 国际金融中心, 希杰九期万吨核糖苷扩建, 乖宝宠物食品
 * 智能工厂, 海吉亚医院); every other name, every person, credit code and amount is invented, chosen so that
 * the figures above come out exactly: 32 续建 projects of which 31 are back at work (96.875%, printed
 * 96.87%), 14 新开工 projects started in January–June (and 3 not, one of them three months late), 6
 * implementation and 5 preparatory municipal major projects with the source's plans and completions, and
 * 50.66亿元 completed in all. A few projects run behind their plan (yellow, red) so the lights and the 督办
 * have something to show. Used by the demo seeder (`npm start`) and by the test that checks the review.
 */
import { usccCheckChar } from '#shared/domain/identifiers.ts';
import type { ProjectKind } from '#shared/schemas/projects.ts';

const WAN = 1_000_000; // fen in 1万元

export interface DemoStep {
  /** When it happened in the demo's 2019 (the seeder runs each step at this instant). */
  readonly at: string;
  readonly action:
    | { readonly kind: 'register'; readonly body: Record<string, unknown> }
    | { readonly kind: 'stage'; readonly body: { stage: string; on: string; note?: string; reason?: string } }
    | { readonly kind: 'plan'; readonly year: number; readonly body: { annual: string; months?: string[] } }
    | { readonly kind: 'progress'; readonly body: { month: string; completed: string; note?: string } };
}

export interface DemoProject {
  readonly key: string;
  readonly sector: string;
  readonly name: string;
  readonly steps: readonly DemoStep[];
}

/** A valid credit code registered in `region` (6-digit division code), invented from a serial number. */
function uscc(region: string, serial: number): string {
  const first17 = `91${region}MA${String(serial).padStart(6, '0')}X`;
  const check = usccCheckChar(first17);
  if (check === null) throw new Error(`demo data: ${first17} is not a credit-code prefix`);
  return `${first17}${check}`;
}

const LIAOCHENG = '371500';
const REGIONS = {
  beijing: '110000',
  shanghai: '310000',
  guangdong: '440300',
  jiangsu: '320500',
  zhejiang: '330100',
};

const TOWNSHIPS = ['蒋官屯街道', '北城街道', '东城街道', '广平乡', '顾官屯镇'];
const DEPARTMENTS = ['经济发展局', '招商投资促进中心', '建设管理局', '财政金融局', '自然资源和规划局'];
const LEADERS = ['刘建华', '陈志强', '赵立新', '孙晓东', '周国庆'];
const COMMISSIONERS = ['王磊', '李娜', '张伟', '刘洋', '陈静', '杨帆', '黄涛', '吴敏', '徐刚', '马丽'];

function team(n: number) {
  return {
    leader: LEADERS[n % LEADERS.length] ?? '',
    department: DEPARTMENTS[n % DEPARTMENTS.length] ?? '',
    township: TOWNSHIPS[n % TOWNSHIPS.length] ?? '',
    commissioner: COMMISSIONERS[n % COMMISSIONERS.length] ?? '',
  };
}

const wan = (amount: number) => `${amount}万`;
const yuanText = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** Completed investment spread over the months from `firstMonth` to June, the remainder in June. */
function monthlyCompletions(totalWan: number, firstMonth: number): number[] {
  const months = 7 - firstMonth;
  const base = Math.floor(totalWan / months);
  return Array.from({ length: 6 }, (_, i) => {
    const month = i + 1;
    if (month < firstMonth) return 0;
    return month === 6 ? totalWan - base * (months - 1) : base;
  });
}

interface Spec {
  readonly name: string;
  readonly sector: string;
  readonly kind: ProjectKind;
  readonly municipalMajor?: 'implementation' | 'preparatory';
  /** Annual plan and January–June completion, in 万元. */
  readonly annualWan: number;
  readonly h1Wan: number;
  /** Registration: the stage and since when. */
  readonly stage: string;
  readonly stageOn: string;
  /** 开工 of a 新开工 project, 复工 of a 续建 one (2019). */
  readonly startOn?: string;
  readonly plannedStartMonth?: string;
  /** A plan with nothing before July (preparatory projects). */
  readonly secondHalfPlan?: boolean;
  readonly extraStages?: readonly { stage: string; on: string; reason?: string; note?: string }[];
  readonly investor: { readonly name: string; readonly region: string };
  readonly totalInvestmentWan: number;
  readonly category: 'new_productive_force' | 'old_capacity_upgrade' | 'other';
  /** Months (1–6) whose report comes after the 25th. */
  readonly lateMonths?: readonly number[];
}

// 实施类 municipal major projects: 17.7亿 planned for 2019, 8.61亿 completed in January–June.
const IMPLEMENTATION: Spec[] = [
  {
    name: '智能光电信息产业园',
    sector: 'optoelectronics',
    kind: 'continued',
    municipalMajor: 'implementation',
    annualWan: 45000,
    h1Wan: 23500,
    stage: 'under_construction',
    stageOn: '2018-04-16',
    startOn: '2019-02-12',
    investor: { name: '聊城光电产业园开发有限公司', region: LIAOCHENG },
    totalInvestmentWan: 320000,
    category: 'new_productive_force',
  },
  {
    name: '国际金融中心',
    sector: 'finance_hq',
    kind: 'continued',
    municipalMajor: 'implementation',
    annualWan: 38000,
    h1Wan: 19200,
    stage: 'under_construction',
    stageOn: '2018-03-20',
    startOn: '2019-02-13',
    investor: { name: '聊城国际金融中心开发有限公司', region: LIAOCHENG },
    totalInvestmentWan: 950000,
    category: 'other',
  },
  {
    name: '希杰九期万吨核糖苷扩建',
    sector: 'bio_manufacturing',
    kind: 'new',
    municipalMajor: 'implementation',
    annualWan: 32000,
    h1Wan: 15800,
    stage: 'signed',
    stageOn: '2019-01-08',
    plannedStartMonth: '2019-03',
    startOn: '2019-03-18',
    investor: { name: '希杰（聊城）生物科技有限公司', region: LIAOCHENG },
    totalInvestmentWan: 240000,
    category: 'old_capacity_upgrade',
  },
  {
    name: '乖宝宠物食品集团宠物食品智能工厂',
    sector: 'food',
    kind: 'new',
    municipalMajor: 'implementation',
    annualWan: 26000,
    h1Wan: 12100,
    stage: 'signed',
    stageOn: '2019-01-15',
    plannedStartMonth: '2019-02',
    startOn: '2019-02-26',
    investor: { name: '乖宝宠物食品集团股份有限公司', region: REGIONS.beijing },
    totalInvestmentWan: 100000,
    category: 'new_productive_force',
  },
  {
    name: '高端装备智能制造产业园',
    sector: 'equipment',
    kind: 'continued',
    municipalMajor: 'implementation',
    annualWan: 21000,
    h1Wan: 9500,
    stage: 'under_construction',
    stageOn: '2018-06-01',
    startOn: '2019-02-18',
    investor: { name: '聊城高端装备产业发展有限公司', region: LIAOCHENG },
    totalInvestmentWan: 180000,
    category: 'new_productive_force',
  },
  {
    name: '海吉亚医院',
    sector: 'biomedicine',
    kind: 'new',
    municipalMajor: 'implementation',
    annualWan: 15000,
    h1Wan: 6000,
    stage: 'signed',
    stageOn: '2019-02-20',
    plannedStartMonth: '2019-04',
    startOn: '2019-04-10',
    investor: { name: '聊城海吉亚医院有限公司', region: REGIONS.shanghai },
    totalInvestmentWan: 600000,
    category: 'other',
    lateMonths: [5],
  },
];

// 预备类 municipal major projects: 15.1亿 planned for 2019, all of it in the second half.
const PREPARATORY: Spec[] = [
  { name: '新材料产业园', sector: 'new_materials', annualWan: 40000 },
  { name: '现代物流园', sector: 'logistics', annualWan: 35000 },
  { name: '运河文旅小镇', sector: 'culture_tourism', annualWan: 30000 },
  { name: '光伏储能电站', sector: 'new_energy', annualWan: 26000 },
  { name: '生物医药产业园二期', sector: 'biomedicine', annualWan: 20000 },
].map((row, i) => ({
  ...row,
  kind: 'reserve' as const,
  municipalMajor: 'preparatory' as const,
  h1Wan: 0,
  stage: i % 2 === 0 ? 'negotiation' : 'signed',
  stageOn: `2019-0${3 + (i % 3)}-1${i}`,
  secondHalfPlan: true,
  investor: { name: `${row.name}投资有限公司`, region: i % 2 === 0 ? REGIONS.jiangsu : LIAOCHENG },
  totalInvestmentWan: row.annualWan * 4,
  category: 'new_productive_force' as const,
}));

const SECTORS = [
  'optoelectronics',
  'biomedicine',
  'bio_manufacturing',
  'food',
  'equipment',
  'new_materials',
  'finance_hq',
  'logistics',
  'culture_tourism',
  'new_energy',
] as const;
const SECTOR_WORDS: Readonly<
  Record<
    (typeof SECTORS)[number],
    readonly [string, 'new_productive_force' | 'old_capacity_upgrade' | 'other']
  >
> = {
  optoelectronics: ['光电显示模组', 'new_productive_force'],
  biomedicine: ['医疗器械', 'new_productive_force'],
  bio_manufacturing: ['生物发酵技改', 'old_capacity_upgrade'],
  food: ['食品精深加工', 'old_capacity_upgrade'],
  equipment: ['智能装备', 'new_productive_force'],
  new_materials: ['高性能材料', 'new_productive_force'],
  finance_hq: ['总部商务楼', 'other'],
  logistics: ['冷链仓储', 'other'],
  culture_tourism: ['文旅综合体', 'other'],
  new_energy: ['新能源装备', 'new_productive_force'],
};

// Other 续建 projects: 28 back at work in February or March, one (the last) not back at all. Some run behind.
const CONTINUED_H1 = [
  20400, 18200, 17400, 16000, 15400, 15100, 14400, 13600, 13300, 12800, 12600, 12200, 11800, 11300, 11000,
  10600, 10300, 10000, 9600, 9200, 8900, 8500, 8000, 7400, 7100, 6400, 5900, 5400,
];
const BEHIND: Readonly<Record<number, number>> = { 5: 2.5, 12: 2.5, 20: 3.4 }; // annual = h1 × factor (yellow, yellow, red)

const CONTINUED: Spec[] = [
  ...CONTINUED_H1.map((h1Wan, i) => {
    const sector = SECTORS[i % SECTORS.length] ?? 'equipment';
    const [word, category] = SECTOR_WORDS[sector];
    const day = 11 + (i % 17);
    return {
      name: `${word}项目（续建${i + 1}）`,
      sector,
      kind: 'continued' as const,
      annualWan: Math.round(h1Wan * (BEHIND[i] ?? 2)),
      h1Wan,
      stage: 'under_construction',
      stageOn: `2018-0${3 + (i % 7)}-10`,
      startOn: i % 4 === 3 ? `2019-03-${String(day - 6).padStart(2, '0')}` : `2019-02-${day}`,
      investor: {
        name: `${word}有限公司（续建${i + 1}）`,
        region: i % 3 === 0 ? REGIONS.zhejiang : LIAOCHENG,
      },
      totalInvestmentWan: h1Wan * 5,
      category,
      ...(i % 9 === 4 ? { lateMonths: [3] } : {}),
    };
  }),
  {
    name: '化工新材料项目（停工待资）',
    sector: 'new_materials',
    kind: 'continued',
    annualWan: 6000,
    h1Wan: 0,
    stage: 'under_construction',
    stageOn: '2018-05-08',
    extraStages: [{ stage: 'pre_construction', on: '2019-03-01', reason: '资金未到位，暂缓复工' }],
    investor: { name: '聊城化工新材料有限公司', region: LIAOCHENG },
    totalInvestmentWan: 30000,
    category: 'old_capacity_upgrade',
  },
];

// Other 新开工 projects: 11 started in January–June, 3 not (planned 2019-03: red; 2019-05: yellow; 2019-09).
const NEW_STARTED_H1 = [12800, 11500, 9600, 8700, 7900, 6800, 6100, 5400, 4800, 3900, 3200];
const NEW: Spec[] = [
  ...NEW_STARTED_H1.map((h1Wan, i) => {
    const sector = SECTORS[(i + 3) % SECTORS.length] ?? 'food';
    const [word, category] = SECTOR_WORDS[sector];
    const startMonth = 2 + (i % 4);
    const outside = [REGIONS.beijing, REGIONS.shanghai, REGIONS.guangdong, LIAOCHENG][i % 4] ?? LIAOCHENG;
    return {
      name: `${word}项目（新开工${i + 1}）`,
      sector,
      kind: 'new' as const,
      annualWan: Math.round(h1Wan * (i === 3 ? 2.5 : 2)),
      h1Wan,
      stage: 'signed',
      stageOn: `2019-01-${String(7 + i).padStart(2, '0')}`,
      plannedStartMonth: `2019-0${startMonth}`,
      startOn: `2019-0${startMonth}-${String(6 + i).padStart(2, '0')}`,
      investor: { name: `${word}科技有限公司（新开工${i + 1}）`, region: outside },
      totalInvestmentWan: 10000 + h1Wan * 3,
      category,
    };
  }),
  ...(
    [
      ['智能传感器项目', 'optoelectronics', '2019-03', 18000],
      ['高端医用耗材项目', 'biomedicine', '2019-05', 12000],
      ['绿色建材项目', 'new_materials', '2019-09', 9000],
    ] as const
  ).map(([name, sector, plannedStartMonth, annualWan], i) => {
    const start = Number(plannedStartMonth.slice(5, 7));
    return {
      name,
      sector,
      kind: 'new' as const,
      annualWan,
      h1Wan: 0,
      stage: 'signed',
      stageOn: `2019-02-0${4 + i}`,
      plannedStartMonth,
      // The plan starts in the planned start month.
      planFromMonth: start,
      investor: { name: `${name.replace('项目', '')}有限公司`, region: REGIONS.guangdong },
      totalInvestmentWan: annualWan * 2,
      category: 'new_productive_force' as const,
    };
  }),
];

// 竣工 projects of the year: finished in May, in production since.
const COMPLETED: Spec[] = [
  {
    name: '食品冷链加工中心',
    sector: 'food',
    kind: 'completed',
    annualWan: 12000,
    h1Wan: 9600,
    stage: 'under_construction',
    stageOn: '2018-04-02',
    extraStages: [{ stage: 'in_production', on: '2019-05-28', note: '竣工验收' }],
    investor: { name: '聊城冷链食品有限公司', region: LIAOCHENG },
    totalInvestmentWan: 40000,
    category: 'old_capacity_upgrade',
  },
  {
    name: '光电配套产业园',
    sector: 'optoelectronics',
    kind: 'completed',
    annualWan: 9000,
    h1Wan: 7400,
    stage: 'under_construction',
    stageOn: '2018-02-26',
    extraStages: [{ stage: 'in_production', on: '2019-06-18', note: '竣工投产' }],
    investor: { name: '聊城光电配套有限公司', region: LIAOCHENG },
    totalInvestmentWan: 30000,
    category: 'new_productive_force',
  },
];

function planBody(spec: Spec & { planFromMonth?: number }) {
  const fromMonth = spec.secondHalfPlan === true ? 7 : spec.planFromMonth;
  if (fromMonth === undefined) return { annual: wan(spec.annualWan) };
  const active = 13 - fromMonth;
  const spread: number[] = Array.from({ length: 12 }, () => 0);
  const base = Math.floor((spec.annualWan * WAN) / active);
  for (let m = fromMonth; m <= 12; m += 1)
    spread[m - 1] = m === 12 ? spec.annualWan * WAN - base * (active - 1) : base;
  return { annual: wan(spec.annualWan), months: spread.map(yuanText) };
}

const at = (date: string, time = '10:00:00') => `${date}T${time}+08:00`;

function stepsOf(spec: Spec & { planFromMonth?: number }, n: number): DemoStep[] {
  const steps: DemoStep[] = [];
  const registeredOn = spec.stageOn < '2019-01-03' ? '2019-01-03' : spec.stageOn;
  steps.push({
    at: at(registeredOn, '09:00:00'),
    action: {
      kind: 'register',
      body: {
        name: spec.name,
        sector: spec.sector,
        kind: spec.kind,
        municipalMajor: spec.municipalMajor ?? null,
        team: team(n),
        ...(spec.plannedStartMonth === undefined ? {} : { plannedStartMonth: spec.plannedStartMonth }),
        stage: spec.stage,
        stageOn: spec.stageOn,
        investor: { name: spec.investor.name, uscc: uscc(spec.investor.region, 1000 + n) },
        totalInvestment: wan(spec.totalInvestmentWan),
        category: spec.category,
      },
    },
  });
  steps.push({
    at: at(registeredOn, '09:30:00'),
    action: { kind: 'plan', year: 2019, body: planBody(spec) },
  });
  if (spec.startOn !== undefined) {
    steps.push({
      at: at(spec.startOn, '16:00:00'),
      action: { kind: 'stage', body: { stage: 'under_construction', on: spec.startOn } },
    });
  }
  const reports = monthlyCompletions(
    spec.h1Wan,
    spec.startOn === undefined ? 1 : Number(spec.startOn.slice(5, 7)),
  );
  reports.forEach((completedWan, i) => {
    const month = `2019-0${i + 1}`;
    // A project registered in March reports from March on.
    if (month < registeredOn.slice(0, 7)) return;
    const late = spec.lateMonths?.includes(i + 1) === true;
    steps.push({
      at: at(`${month}-${late ? '27' : '20'}`),
      action: { kind: 'progress', body: { month, completed: wan(completedWan) } },
    });
  });
  for (const extra of spec.extraStages ?? []) {
    steps.push({ at: at(extra.on, '17:00:00'), action: { kind: 'stage', body: extra } });
  }
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}

const ALL: (Spec & { planFromMonth?: number })[] = [
  ...IMPLEMENTATION,
  ...PREPARATORY,
  ...CONTINUED,
  ...NEW,
  ...COMPLETED,
];

/** The source's first half of 2019, project by project, each as the steps a team would take. */
export const demoProjects: readonly DemoProject[] = ALL.map((spec, n) => ({
  key: `demo-project-2019-${String(n + 1).padStart(2, '0')}`,
  sector: spec.sector,
  name: spec.name,
  steps: stepsOf(spec, n),
}));

/**
 * The State Council's 2019 holiday notice (国办发明电〔2018〕15号, as amended for 劳动节 in March 2019):
 * days off on working days, and the weekend days worked in exchange (调休).
 */
export const CALENDAR_2019 = {
  holidays: [
    '2019-01-01',
    '2019-02-04',
    '2019-02-05',
    '2019-02-06',
    '2019-02-07',
    '2019-02-08',
    '2019-02-09',
    '2019-02-10',
    '2019-04-05',
    '2019-05-01',
    '2019-05-02',
    '2019-05-03',
    '2019-05-04',
    '2019-06-07',
    '2019-09-13',
    '2019-10-01',
    '2019-10-02',
    '2019-10-03',
    '2019-10-04',
    '2019-10-05',
    '2019-10-06',
    '2019-10-07',
  ],
  workdays: ['2019-02-02', '2019-02-03', '2019-04-28', '2019-05-05', '2019-09-29', '2019-10-12'],
};

/** What the source says, for the test that checks the half-year review against it. */
export const SOURCE_2019_H1 = {
  paragraphStart: '1—6月份，全区重点项目完成投资50.66亿元，续建项目复工率96.87%，新建项目开工14个。',
  paragraphMajors:
    '共11个项目列入市级重大项目，其中实施类项目6个，年度计划投资17.7亿元，1—6月完成投资8.61亿元；预备类项目5个，年度计划投资15.1亿元',
  completedYi: '50.66',
  resumptionRate: '96.87%',
  newStarted: 14,
  implementation: { projects: 6, annualPlanYi: '17.7', completedYi: '8.61' },
  preparatory: { projects: 5, annualPlanYi: '15.1' },
} as const;
