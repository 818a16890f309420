/**
 * 半年评比 of the sector teams. Five indicators, weights a setting (default 30/20/20/15/15, as other zones
 * score their teams): new projects of 1亿 or more from outside the province signed in the half (the
 * investor's USCC carries its registration region: characters 3–8 are the administrative division code,
 * the first two of them the province), investment actually in place in the half (the completed
 * investment reported for its months), the share of the team's projects in the zone's target categories,
 * and two ratings the admin enters (parks, field teams). A count or an amount scores its weight times the
 * team's value over the best team's; a share scores its weight times the share; a rating its weight times
 * rating ÷ scale. Points are exact until shown with two decimals (half up); each is explained.
 */

import { formatFen } from '#shared/domain/money.ts';
import type { Sector } from '#shared/domain/sectors.ts';
import type { LocalText } from '#shared/errors.ts';
import type { ProjectSettings } from '#shared/schemas/project-settings.ts';
import type { ProjectRecord } from '#shared/schemas/projects.ts';
import { completedIn, inLedger, type YearBook } from './ledger.ts';
import { lastDateOfMonth, monthOf } from './shanghai-time.ts';

export interface TeamRating {
  readonly park: number;
  readonly field: number;
}

export type IndicatorCode =
  | 'outsideProvinceProjects'
  | 'investmentInPlace'
  | 'targetCategoryShare'
  | 'parkRating'
  | 'fieldRating';

export interface IndicatorScore {
  readonly code: IndicatorCode;
  readonly weight: number;
  /** The team's value: a count, fen, a share as a fraction, or a rating. */
  readonly value: number;
  /** Points in hundredths (1850 = 18.50 points). */
  readonly pointsHundredths: number;
  readonly points: string;
  readonly explanation: LocalText;
}

export interface TeamScore {
  readonly sector: string;
  readonly zh: string;
  readonly en: string;
  readonly rank: number;
  readonly totalHundredths: number;
  readonly total: string;
  readonly indicators: readonly IndicatorScore[];
}

/** The province code a USCC was registered in (its characters 3–4), or null when they are not digits. */
export function provinceOfUscc(uscc: string): string | null {
  const code = uscc.slice(2, 4);
  return /^\d{2}$/.test(code) ? code : null;
}

/** Hundredths of a point: weight × numerator ÷ denominator × 100, half up; 0 when the denominator is 0. */
function hundredths(weight: number, numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  const top = BigInt(weight) * 100n * scaled(numerator);
  const bottom = scaled(denominator);
  return Number((2n * top + bottom) / (2n * bottom));
}

/** x × 100 as an exact integer: counts and fen are integers; ratings have at most two decimals. */
function scaled(value: number): bigint {
  return Number.isInteger(value) ? BigInt(value) * 100n : BigInt(Math.round(value * 100));
}

const pointsText = (value: number) => (value / 100).toFixed(2);

export interface RankingInput {
  readonly year: number;
  readonly half: 1 | 2;
  readonly sectors: readonly Sector[];
  readonly projects: readonly ProjectRecord[];
  readonly book: YearBook;
  readonly ratings: ReadonlyMap<string, TeamRating>;
}

export function rankTeams(input: RankingInput, settings: ProjectSettings): TeamScore[] {
  const { year, half, book } = input;
  const rules = settings.ranking;
  const weights = rules.weights;
  const [firstMonth, lastMonth] = half === 1 ? [1, 6] : [7, 12];
  const from = `${monthOf(year, firstMonth)}-01`;
  const to = lastDateOfMonth(monthOf(year, lastMonth));
  const bigEnough = (fen: number) =>
    rules.thresholdInclusive
      ? fen >= rules.outsideProvinceThresholdFen
      : fen > rules.outsideProvinceThresholdFen;
  const threshold = formatFen(rules.outsideProvinceThresholdFen);

  const facts = input.sectors.map((sector) => {
    const mine = input.projects.filter((project) => project.sector === sector.code);
    const outside = mine.filter(
      (project) =>
        project.signedOn !== null &&
        project.signedOn >= from &&
        project.signedOn <= to &&
        project.totalInvestmentFen !== null &&
        bigEnough(project.totalInvestmentFen) &&
        project.investor !== null &&
        provinceOfUscc(project.investor.uscc) !== null &&
        provinceOfUscc(project.investor.uscc) !== rules.homeProvinceCode,
    ).length;
    const inPlace = mine.reduce(
      (total, project) => total + completedIn(book, project.projectId, firstMonth, lastMonth),
      0,
    );
    const ledger = mine.filter((project) => inLedger(book, project.projectId));
    const targeted = ledger.filter(
      (project) => project.category !== null && rules.targetCategories.includes(project.category),
    ).length;
    return { sector, outside, inPlace, ledger: ledger.length, targeted };
  });
  const bestOutside = Math.max(0, ...facts.map((fact) => fact.outside));
  const bestInPlace = Math.max(0, ...facts.map((fact) => fact.inPlace));

  const scored = facts.map(({ sector, outside, inPlace, ledger, targeted }) => {
    const rating = input.ratings.get(sector.code);
    const indicators: IndicatorScore[] = [];
    const add = (
      code: IndicatorCode,
      weight: number,
      value: number,
      points: number,
      explanation: LocalText,
    ) =>
      indicators.push({
        code,
        weight,
        value,
        pointsHundredths: points,
        points: pointsText(points),
        explanation,
      });

    const outsidePoints = hundredths(weights.outsideProvinceProjects, outside, bestOutside);
    add('outsideProvinceProjects', weights.outsideProvinceProjects, outside, outsidePoints, {
      zh: `新签约省外${threshold}以上项目${outside}个，最多的专班${bestOutside}个：${weights.outsideProvinceProjects}×${outside}/${bestOutside || 1}＝${pointsText(outsidePoints)}分`,
      en: `${outside} new projects of ${threshold} or more from outside the province signed; the best team ${bestOutside}: ${weights.outsideProvinceProjects} × ${outside}/${bestOutside || 1} = ${pointsText(outsidePoints)}`,
    });
    const inPlacePoints = hundredths(weights.investmentInPlace, inPlace, bestInPlace);
    add('investmentInPlace', weights.investmentInPlace, inPlace, inPlacePoints, {
      zh: `${firstMonth}—${lastMonth}月实际到位投资${formatFen(inPlace)}，最多的专班${formatFen(bestInPlace)}：${weights.investmentInPlace}×比值＝${pointsText(inPlacePoints)}分`,
      en: `${formatFen(inPlace)} invested in months ${firstMonth}–${lastMonth}; the best team ${formatFen(bestInPlace)}: ${weights.investmentInPlace} × the ratio = ${pointsText(inPlacePoints)}`,
    });
    const sharePoints = hundredths(weights.targetCategoryShare, targeted, ledger);
    add(
      'targetCategoryShare',
      weights.targetCategoryShare,
      ledger === 0 ? 0 : targeted / ledger,
      sharePoints,
      {
        zh: `台账项目${ledger}个，其中目标产业${targeted}个：${weights.targetCategoryShare}×${targeted}/${ledger || 1}＝${pointsText(sharePoints)}分`,
        en: `${targeted} of ${ledger} ledger projects in the target categories: ${weights.targetCategoryShare} × ${targeted}/${ledger || 1} = ${pointsText(sharePoints)}`,
      },
    );
    for (const [code, label, labelEn] of [
      ['parkRating', '园区评议', 'park rating'],
      ['fieldRating', '一线评议', 'field rating'],
    ] as const) {
      const weight = weights[code];
      const given = rating === undefined ? undefined : code === 'parkRating' ? rating.park : rating.field;
      const points = given === undefined ? 0 : hundredths(weight, given, rules.ratingScale);
      add(
        code,
        weight,
        given ?? 0,
        points,
        given === undefined
          ? { zh: `${label}尚未录入：0分`, en: `${labelEn} not entered yet: 0` }
          : {
              zh: `${label}${given}分（满分${rules.ratingScale}）：${weight}×${given}/${rules.ratingScale}＝${pointsText(points)}分`,
              en: `${labelEn} ${given} of ${rules.ratingScale}: ${weight} × ${given}/${rules.ratingScale} = ${pointsText(points)}`,
            },
      );
    }
    const totalHundredths = indicators.reduce((total, indicator) => total + indicator.pointsHundredths, 0);
    return { sector, indicators, totalHundredths };
  });

  const ordered = [...scored].sort((a, b) => b.totalHundredths - a.totalHundredths);
  return ordered.map((team) => {
    // Equal totals share a rank (1, 2, 2, 4).
    const rank = ordered.findIndex((other) => other.totalHundredths === team.totalHundredths) + 1;
    return {
      sector: team.sector.code,
      zh: team.sector.zh,
      en: team.sector.en,
      rank,
      totalHundredths: team.totalHundredths,
      total: pointsText(team.totalHundredths),
      indicators: team.indicators,
    };
  });
}
