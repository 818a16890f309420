/**
 * Amounts as text: the units, and exact display of integer fen (no zod, no parsing: the console's lists
 * import this alone). Parsing and the schemas are in money.ts, which re-exports all of this.
 */
import { integerText } from './integer-text.ts';

/** 1 yuan = 100 fen. */
export const FEN_PER_YUAN = 100;
/** 1万 yuan in fen. */
export const FEN_PER_WAN = 1_000_000;
/** 1亿 yuan in fen. */
export const FEN_PER_YI = 10_000_000_000;
/** The largest amount accepted anywhere: 1万亿 yuan (10^12 yuan = 10^14 fen), inclusive. */
export const MAX_FEN = 100_000_000_000_000;

/**
 * Display text of an amount in fen. Rules (exact, never rounded, trailing zeros stripped):
 * - 1亿 yuan or more: in 亿 — 12000000000 → "1.2亿元", 100000000000 → "10亿元",
 *   10000000025 → "1.0000000025亿元";
 * - 1万 yuan or more: in 万 — 240000000 → "240万元", 2400000000 → "2400万元", 1234567 → "1.234567万元";
 * - below 1万 yuan: in 元 — 12345 → "123.45元", 0 → "0元".
 * {@link parseMoney} reads every output back to the same fen.
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) {
    throw new RangeError('formatFen: expected a non-negative safe integer number of fen');
  }
  // Safe integers divide and take remainders exactly in doubles: no BigInt needed here.
  if (fen >= FEN_PER_YI) return `${exactQuotient(fen, FEN_PER_YI, 10)}亿元`;
  if (fen >= FEN_PER_WAN) return `${exactQuotient(fen, FEN_PER_WAN, 6)}万元`;
  return `${exactQuotient(fen, FEN_PER_YUAN, 2)}元`;
}

const TEN_ZEROS = '0000000000';

/** Exact decimal text of fen / unit (unit = 10^digits), trailing zeros stripped. */
function exactQuotient(fen: number, unit: number, digits: number): string {
  const whole = Math.floor(fen / unit);
  let rest = fen - whole * unit;
  if (rest === 0) return `${whole}`;
  let places = digits;
  while (rest % 10 === 0) {
    rest /= 10;
    places -= 1;
  }
  const restText = integerText(rest);
  return `${whole}.${TEN_ZEROS.slice(0, places - restText.length)}${restText}`;
}

/** Basis points as an exact percentage: 200 → "2%", 250 → "2.5%", 1000 → "10%". */
export function formatBasisPoints(basisPoints: number): string {
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) {
    throw new RangeError('formatBasisPoints: expected a non-negative safe integer');
  }
  return `${exactQuotient(basisPoints, 100, 2)}%`;
}
