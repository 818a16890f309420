/**
 * How the ledger prints its figures. Percentages have a fixed number of decimals and are rounded by a
 * setting: 31 of 32 is 96.875%, which the zone's own review prints 96.87% (cut after two decimals), where
 * half up would print 96.88%. Amounts in 亿元 have at most two decimals and no trailing zero (50.66, 17.7).
 * Exact arithmetic only: integers (fen, counts) in, BigInt inside, rounding once at the end.
 */
import { FEN_PER_YI } from '#shared/domain/money.ts';

export type Rounding = 'cut' | 'half_up';

/** A ratio as a percentage: the exact parts and the rounded figure. */
export interface Percent {
  readonly numerator: number;
  readonly denominator: number;
  /** The rounded percentage as a number (96.87). */
  readonly value: number;
  /** With its decimals and the sign: "96.87%". */
  readonly text: string;
}

function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (rounding === 'cut') return numerator / denominator;
  return (2n * numerator + denominator) / (2n * denominator);
}

function decimalText(scaled: bigint, decimals: number): string {
  if (decimals === 0) return scaled.toString();
  const digits = scaled.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** numerator ÷ denominator as a percentage with `decimals` decimals; null when the denominator is 0. */
export function percentOf(
  numerator: number,
  denominator: number,
  format: { readonly decimals: number; readonly rounding: Rounding },
): Percent | null {
  if (denominator === 0) return null;
  const scale = 100n * 10n ** BigInt(format.decimals);
  const scaled = divide(BigInt(numerator) * scale, BigInt(denominator), format.rounding);
  const text = decimalText(scaled, format.decimals);
  return { numerator, denominator, value: Number(text), text: `${text}%` };
}

/** 100 less a percentage, as points with the same decimals: 80.00% → "20.00"; above 100% → "0.00". */
export function pointsBelowHundred(percent: Percent, decimals: number): string {
  const scaled = BigInt(percent.text.replace('%', '').replace('.', ''));
  const hundred = 100n * 10n ** BigInt(decimals);
  return decimalText(scaled >= hundred ? 0n : hundred - scaled, decimals);
}

/**
 * An amount in 亿 with at most `decimals` decimals and no trailing zero: 5066000000000 fen → "50.66",
 * 177000000000 → "17.7", 1e10 → "1".
 */
export function yiText(
  fen: number,
  format: { readonly decimals: number; readonly rounding: Rounding },
): string {
  const unit = BigInt(FEN_PER_YI) / 10n ** BigInt(format.decimals);
  const scaled = divide(BigInt(fen), unit, format.rounding);
  const text = decimalText(scaled, format.decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Exact comparison of two ratios a/b < c/d (b, d > 0) without floating point. */
export function ratioBelow(a: number, b: number, c: number, d: number): boolean {
  return BigInt(a) * BigInt(d) < BigInt(c) * BigInt(b);
}
