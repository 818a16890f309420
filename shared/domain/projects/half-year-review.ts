/**
 * The half-year review's project figures and its paragraph, phrased as the zone's own 2019 review:
 * "1—6月份，全区重点项目完成投资50.66亿元，续建项目复工率96.87%，新建项目开工14个。…共11个项目列入市级重大项目，
 * 其中实施类项目6个，年度计划投资17.7亿元，1—6月完成投资8.61亿元；预备类项目5个，年度计划投资15.1亿元".
 * Figures are cumulative from January, as the monthly ledger is: the first half is months 1–6, the
 * second the whole year, 1–12. Every project of the year's ledger (a plan or a report for the year) is a
 * key project (重点项目).
 */
import type { LocalText } from '#shared/errors.ts';
import type { ProjectSettings } from '#shared/schemas/project-settings.ts';
import type { ProjectRecord } from '#shared/schemas/projects.ts';
import { type Percent, yiText } from './figure-format.ts';
import { completedIn, inLedger, type YearBook, zoneRates } from './ledger.ts';
import { monthOf } from './shanghai-time.ts';

export interface MajorGroup {
  readonly projects: number;
  readonly annualPlanFen: number;
  readonly completedFen: number;
  readonly annualPlanYi: string;
  readonly completedYi: string;
}

export interface HalfYearReview {
  readonly year: number;
  readonly half: 1 | 2;
  readonly throughMonth: string;
  readonly keyProjects: {
    readonly projects: number;
    readonly completedFen: number;
    readonly completedYi: string;
    readonly annualPlanFen: number;
  };
  readonly continued: {
    readonly projects: number;
    readonly resumed: number;
    readonly resumptionRate: Percent | null;
  };
  readonly newProjects: {
    readonly projects: number;
    readonly startedThisYear: number;
    readonly startRate: Percent | null;
  };
  readonly municipalMajor: {
    readonly projects: number;
    readonly implementation: MajorGroup;
    readonly preparatory: MajorGroup;
  };
  readonly paragraph: LocalText;
}

export function halfYearReview(
  year: number,
  half: 1 | 2,
  projects: readonly ProjectRecord[],
  book: YearBook,
  settings: ProjectSettings,
  /** Who the figures are of: the zone (全区), or one sector team's projects. */
  area: LocalText = { zh: '全区', en: "the zone's" },
): HalfYearReview {
  const lastMonth = half === 1 ? 6 : 12;
  const through = monthOf(year, lastMonth);
  const ledger = projects.filter((project) => inLedger(book, project.projectId));
  const completed = (project: ProjectRecord) => completedIn(book, project.projectId, 1, lastMonth);
  const annual = (project: ProjectRecord) => book.plans.get(project.projectId)?.annualFen ?? 0;
  const sum = (list: readonly ProjectRecord[], pick: (project: ProjectRecord) => number) =>
    list.reduce((total, project) => total + pick(project), 0);
  const yi = (fen: number) => yiText(fen, settings.yiAmounts);

  const group = (type: 'implementation' | 'preparatory'): MajorGroup => {
    const members = ledger.filter((project) => project.municipalMajor === type);
    const annualPlanFen = sum(members, annual);
    const completedFen = sum(members, completed);
    return {
      projects: members.length,
      annualPlanFen,
      completedFen,
      annualPlanYi: yi(annualPlanFen),
      completedYi: yi(completedFen),
    };
  };
  const implementation = group('implementation');
  const preparatory = group('preparatory');
  const rates = zoneRates(projects, book, through, settings);
  const completedFen = sum(ledger, completed);
  const majors = implementation.projects + preparatory.projects;

  const range = `1—${lastMonth}月`;
  const rangeEn = `January–${half === 1 ? 'June' : 'December'}`;
  const resumption = rates.resumptionRate;
  const zh = [
    `${range}份，${area.zh}重点项目完成投资${yi(completedFen)}亿元`,
    resumption === null ? '' : `，续建项目复工率${resumption.text}`,
    `，新建项目开工${rates.startedThisYear}个。`,
    majors === 0
      ? `${year}年暂无项目列入市级重大项目。`
      : `${year}年${area.zh}共${majors}个项目列入市级重大项目，其中实施类项目${implementation.projects}个，` +
        `年度计划投资${implementation.annualPlanYi}亿元，${range}完成投资${implementation.completedYi}亿元；` +
        `预备类项目${preparatory.projects}个，年度计划投资${preparatory.annualPlanYi}亿元。`,
  ].join('');
  const en = [
    `${rangeEn}: ${area.en} key projects completed an investment of ${yi(completedFen)} 亿 yuan`,
    resumption === null ? '' : `, ${resumption.text} of the continued projects are back at work`,
    `, and ${rates.startedThisYear} new projects started. `,
    majors === 0
      ? `No project of ${year} is a municipal major project.`
      : `In ${year}, ${majors} projects are municipal major projects: ${implementation.projects} in implementation, ` +
        `planning ${implementation.annualPlanYi} 亿 yuan for the year and completing ${implementation.completedYi} 亿 yuan in ${rangeEn}; ` +
        `${preparatory.projects} in preparation, planning ${preparatory.annualPlanYi} 亿 yuan for the year.`,
  ].join('');

  return {
    year,
    half,
    throughMonth: through,
    keyProjects: {
      projects: ledger.length,
      completedFen,
      completedYi: yi(completedFen),
      annualPlanFen: sum(ledger, annual),
    },
    continued: { projects: rates.continuedProjects, resumed: rates.resumed, resumptionRate: resumption },
    newProjects: {
      projects: rates.newProjects,
      startedThisYear: rates.startedThisYear,
      startRate: rates.startRate,
    },
    municipalMajor: { projects: majors, implementation, preparatory },
    paragraph: { zh, en },
  };
}
