import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBasisPoints,
  formatBasisPoints,
  formatFen,
  MAX_FEN,
  MoneyFormatError,
  moneySchema,
  parseMoney,
  roundHalfUp,
} from '#shared/domain/money.ts';
import { unpackMessage } from '#shared/schemas/zod-text.ts';

describe('parseMoney', () => {
  it.each([
    ['120000000.00', 12_000_000_000],
    ['1200', 120_000],
    ['1200元', 120_000],
    [' 0.01 ', 1],
    ['0', 0],
    ['1.2亿', 12_000_000_000],
    ['6000万', 6_000_000_000],
    ['240万元', 240_000_000],
    ['1亿2000万', 12_000_000_000],
    ['1亿2000万元', 12_000_000_000],
    ['6亿3000万元', 63_000_000_000],
    ['1亿2000万3000.5元', 12_000_300_050],
    ['1亿500', 10_000_050_000],
    ['1.23456789亿', 12_345_678_900],
    ['0.0001万', 100],
    ['10000亿', MAX_FEN],
    ['1.234567891亿', 12_345_678_910],
    ['0.000001万', 1],
    [1200.5, 120_050],
    [0.29, 29],
    [100000000, 10_000_000_000],
  ])('reads %j as %i fen', (input, fen) => {
    expect(parseMoney(input, 'amount')).toBe(fen);
  });

  it.each([
    ['-1', 'negative'],
    [-0.01, 'negative'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['1.234', 'more than two decimals'],
    [0.001, 'more than two decimals'],
    [1e-7, 'more than two decimals'],
    ['1.23456789123亿', 'more than two decimals'],
    ['0.0000001万', 'more than two decimals'],
    [Number.NaN, 'finite'],
    [Number.POSITIVE_INFINITY, 'finite'],
    ['1000000000000.01', 'exceeds'],
    ['10000.01亿', 'exceeds'],
    [1e21, 'exceeds'],
    ['10001亿', 'exceeds'],
    ['abc', 'not an amount'],
    ['1,200', 'not an amount'],
    ['元', 'not an amount'],
    ['1.5亿2000万', 'decimal 亿'],
    ['1亿20000万', '10000万'],
    ['1万20000', '10000 yuan'],
    [null, 'string or a number'],
    [true, 'string or a number'],
    [{}, 'string or a number'],
  ])('refuses %j (%s)', (input, reason) => {
    let caught: unknown;
    try {
      parseMoney(input, 'plannedInvestment');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MoneyFormatError);
    const error = caught as MoneyFormatError;
    expect(error.field).toBe('plannedInvestment');
    expect(error.message).toContain('plannedInvestment');
    expect(error.message).toContain(reason);
    expect(error.reasonZh.length).toBeGreaterThan(0);
  });

  // Issue 12, defect 8: 1万亿 is the documented maximum, inclusive, however it is written.
  it.each([
    '1万亿',
    '1万亿元',
    '1.0万亿',
    '1万亿0元',
    '10000亿',
    '10000亿元',
    '1000000000000',
    '1000000000000.00',
    '1000000000000元',
    '100000000万',
    1_000_000_000_000,
    1e12,
  ])('accepts the maximum spelled %j as exactly 1万亿 yuan', (input) => {
    expect(parseMoney(input, 'amount')).toBe(MAX_FEN);
    expect(moneySchema.parse(input)).toBe(MAX_FEN);
  });

  it.each([
    '1万亿0.01元',
    '1.00000000000001万亿',
    '1000000000000.01',
    '1000000000000.01元',
    '10000亿0.01元',
    '100000000万0.01',
    1_000_000_000_000.01,
  ])('refuses %j, the maximum and one fen', (input) => {
    expect(() => parseMoney(input, 'amount')).toThrow('exceeds 1万亿 yuan');
    expect(moneySchema.safeParse(input).success).toBe(false);
  });

  it.each([
    ['1.000000000000001万亿', 'more than two decimals'],
    ['1.5万亿', 'exceeds'],
    ['2万亿', 'exceeds'],
    ['1万亿1亿', 'exceeds'],
    ['0.5万亿1亿', 'decimal 万亿'],
    ['0万亿10000亿', '10000亿 or more after 万亿'],
    ['0万亿20000万', '10000万'],
  ])('refuses %j past or around the maximum (%s)', (input, reason) => {
    expect(() => parseMoney(input, 'amount')).toThrow(reason);
    expect(moneySchema.safeParse(input).success).toBe(false);
  });

  it('reads 万亿 with the smaller units below it', () => {
    expect(parseMoney('0.5万亿', 'amount')).toBe(MAX_FEN / 2);
    expect(parseMoney('0万亿9999亿9999万9999.99元', 'amount')).toBe(MAX_FEN - 1);
    expect(parseMoney('9999亿9999万9999.99元', 'amount')).toBe(MAX_FEN - 1);
  });

  it('reads 1.2亿 exactly, with no float on the way', () => {
    expect(parseMoney('1.2亿', 'x')).toBe(parseMoney('120000000', 'x'));
    expect(parseMoney('0.3亿', 'x')).toBe(3_000_000_000);
  });
});

describe('moneySchema', () => {
  it('turns an amount into fen and a bad one into an issue without the field prefix', () => {
    expect(moneySchema.parse('240万元')).toBe(240_000_000);
    const result = moneySchema.safeParse('1.234');
    expect(result.success).toBe(false);
    expect(unpackMessage(result.error?.issues[0]?.message ?? '')).toEqual({
      zh: '小数超过两位（不足一分）',
      en: 'has more than two decimals (fractions of a fen)',
    });
  });
});

describe('formatFen', () => {
  it.each([
    [240_000_000, '240万元'],
    [12_000_000_000, '1.2亿元'],
    [2_400_000_000, '2400万元'],
    [12_345, '123.45元'],
    [123_456, '1234.56元'],
    [100_000_000_000, '10亿元'],
    [10_000_000_025, '1.0000000025亿元'],
    [12_345_678_900, '1.23456789亿元'],
    [1_234_567, '1.234567万元'],
    [1_000_000, '1万元'],
    [999_999, '9999.99元'],
    [0, '0元'],
    [1, '0.01元'],
    [MAX_FEN, '10000亿元'],
  ])('shows %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('refuses negative and non-integer amounts', () => {
    expect(() => formatFen(-1)).toThrow(RangeError);
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('reads back every formatted amount to the same fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_FEN }), (fen) => {
        expect(parseMoney(formatFen(fen), 'x')).toBe(fen);
      }),
    );
  });
});

describe('roundHalfUp', () => {
  it.each([
    [5n, 10n, 1n],
    [4n, 10n, 0n],
    [15n, 10n, 2n],
    [25n, 10n, 3n],
    [-5n, 10n, -1n],
    [-4n, 10n, 0n],
    [0n, 7n, 0n],
  ])('rounds %i / %i to %i', (numerator, denominator, expected) => {
    expect(roundHalfUp(numerator, denominator)).toBe(expected);
  });

  it('refuses a non-positive denominator', () => {
    expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('rounds a half fen up: 2% of 100000000.25 yuan is 2000000.01 yuan', () => {
    expect(applyBasisPoints(10_000_000_025, 200)).toBe(200_000_001);
  });

  it('applies basis points exactly without BigInt: the same as the BigInt product rounded once', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: MAX_FEN }),
          fc.maxSafeNat(),
          fc.constantFrom(0, 1, 4_999, 5_000, 9_999, MAX_FEN),
        ),
        fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 1, 200, 1_000, 9_999, 10_000)),
        (fen, basisPoints) => {
          const exact = Number(roundHalfUp(BigInt(fen) * BigInt(basisPoints), 10_000n));
          expect(applyBasisPoints(fen, basisPoints)).toBe(exact);
        },
      ),
      { numRuns: 2_000 },
    );
    // Halves at the edge of the split: 0.5 fen rounds up, 0.4999 down.
    expect(applyBasisPoints(25, 200)).toBe(1);
    expect(applyBasisPoints(24, 200)).toBe(0);
    expect(applyBasisPoints(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('agrees with the nearest integer and is never off by more than half', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const r = roundHalfUp(n, d);
        expect(2n * (n - r * d) < d).toBe(true);
        expect(2n * (r * d - n) <= d).toBe(true);
      }),
    );
  });
});

describe('formatBasisPoints', () => {
  it.each([
    [200, '2%'],
    [250, '2.5%'],
    [1000, '10%'],
    [1, '0.01%'],
  ])('shows %i basis points as %s', (bp, text) => {
    expect(formatBasisPoints(bp)).toBe(text);
  });
});
