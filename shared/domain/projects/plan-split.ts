/**
 * A year's investment plan split by month (月度工作台账): twelve amounts in fen summing exactly to the
 * annual plan. Given none, the split is even with the fen remainder in December.
 */

export const MONTHS_IN_YEAR = 12;

/** floor(annual ÷ 12) in each month, December also takes what is left: 100 fen → 8 × 11 + 12. */
export function evenSplit(annualFen: number): number[] {
  const base = Math.floor(annualFen / MONTHS_IN_YEAR);
  const months = Array.from({ length: MONTHS_IN_YEAR }, () => base);
  months[MONTHS_IN_YEAR - 1] = annualFen - base * (MONTHS_IN_YEAR - 1);
  return months;
}

export function sumFen(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => total + amount, 0);
}

/** The plan of months 1 … `throughMonth` (1–12). */
export function planToDate(monthsFen: readonly number[], throughMonth: number): number {
  return sumFen(monthsFen.slice(0, throughMonth));
}
