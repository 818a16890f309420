/**
 * Money is exact: an amount is an integer number of fen (分, 0.01 yuan) held in a JS number that is a
 * safe integer. Nothing here multiplies binary floats: decimal inputs are parsed digit by digit as strings,
 * products are taken in BigInt, and rounding (half up, 四舍五入) happens once, at the end.
 */
import * as z from 'zod';
import { requiredOr, zodMessage } from '#shared/schemas/zod-text.ts';
import { FEN_PER_WAN, FEN_PER_YI, MAX_FEN } from './money-format.ts';

// Formatting needs no zod: it lives apart so that a page showing amounts does not load the parsers.
export {
  FEN_PER_WAN,
  FEN_PER_YI,
  FEN_PER_YUAN,
  formatBasisPoints,
  formatFen,
  MAX_FEN,
} from './money-format.ts';

/** A bad amount, naming the field it came from. The message never needs the raw value to be useful. */
export class MoneyFormatError extends Error {
  readonly field: string;
  /** The reason without the field name (English), e.g. for a zod issue whose path already names it. */
  readonly reason: string;
  readonly reasonZh: string;

  constructor(field: string, reason: string, reasonZh: string) {
    super(`${field}: ${reason}`);
    this.name = 'MoneyFormatError';
    this.field = field;
    this.reason = reason;
    this.reasonZh = reasonZh;
  }
}

const UNIT_FEN = {
  万亿: BigInt(FEN_PER_YI) * 10_000n,
  亿: BigInt(FEN_PER_YI),
  万: BigInt(FEN_PER_WAN),
  '': 100n,
} as const;
type Unit = keyof typeof UNIT_FEN;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
/** Up to four parts, each a decimal, in the order 万亿, 亿, 万, plain yuan; then an optional 元. */
const CHINESE = /^(?:(\d+(?:\.\d+)?)万亿)?(?:(\d+(?:\.\d+)?)亿)?(?:(\d+(?:\.\d+)?)万)?(\d+(?:\.\d+)?)?元?$/;

function fail(field: string, reason: string, reasonZh: string): never {
  throw new MoneyFormatError(field, reason, reasonZh);
}

/** Exact value in fen of a decimal string scaled by a unit; rejects fractions of a fen. */
function decimalToFen(text: string, unit: Unit, field: string): bigint {
  const match = DECIMAL.exec(text);
  if (match === null) fail(field, 'is not a decimal number', '不是十进制数字');
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const scaled = BigInt(whole + fraction) * UNIT_FEN[unit];
  const divisor = 10n ** BigInt(fraction.length);
  if (scaled % divisor !== 0n) {
    fail(field, 'has more than two decimals (fractions of a fen)', '小数超过两位（不足一分）');
  }
  return scaled / divisor;
}

function parseMoneyString(raw: string, field: string): bigint {
  const text = raw.trim();
  if (text === '') fail(field, 'is empty', '不能为空');
  if (text.startsWith('-')) fail(field, 'must not be negative', '不能为负数');
  if (DECIMAL.test(text) || (text.endsWith('元') && DECIMAL.test(text.slice(0, -1)))) {
    return decimalToFen(text.endsWith('元') ? text.slice(0, -1) : text, '', field);
  }
  const match = CHINESE.exec(text);
  if (match === null || text === '元') {
    fail(
      field,
      'is not an amount: use a decimal in yuan ("120000000.00") or Chinese units ("1.2亿", "6000万", "1亿2000万元")',
      '不是金额：请使用以元为单位的十进制数（如 "120000000.00"）或中文单位（如 "1.2亿"、"6000万"、"1亿2000万元"）',
    );
  }
  const [, wanYi, yi, wan, yuan] = match;
  // A higher unit followed by a lower one must be whole, and the lower one must stay below the higher unit:
  // "1亿2000万" is fine, "1.5亿2000万" and "1亿20000万" are ambiguous and refused.
  if (wanYi !== undefined && (yi ?? wan ?? yuan) !== undefined && wanYi.includes('.')) {
    fail(field, 'mixes a decimal 万亿 with lower units', '带小数的“万亿”后不能再跟较小单位');
  }
  if (yi !== undefined && (wan !== undefined || yuan !== undefined) && yi.includes('.')) {
    fail(field, 'mixes a decimal 亿 with lower units', '带小数的“亿”后不能再跟较小单位');
  }
  if (wan !== undefined && yuan !== undefined && wan.includes('.')) {
    fail(field, 'mixes a decimal 万 with lower units', '带小数的“万”后不能再跟较小单位');
  }
  let total = 0n;
  if (wanYi !== undefined) total += decimalToFen(wanYi, '万亿', field);
  if (yi !== undefined) {
    const yiFen = decimalToFen(yi, '亿', field);
    if (wanYi !== undefined && yiFen >= UNIT_FEN.万亿) {
      fail(field, 'has 10000亿 or more after 万亿', '“万亿”后的“亿”部分不能达到一万');
    }
    total += yiFen;
  }
  if (wan !== undefined) {
    const wanFen = decimalToFen(wan, '万', field);
    if ((wanYi !== undefined || yi !== undefined) && wanFen >= BigInt(FEN_PER_YI)) {
      fail(field, 'has 10000万 or more after 亿 or 万亿', '“亿/万亿”后的“万”部分不能达到一万');
    }
    total += wanFen;
  }
  if (yuan !== undefined) {
    const yuanFen = decimalToFen(yuan, '', field);
    if ((wanYi !== undefined || yi !== undefined || wan !== undefined) && yuanFen >= BigInt(FEN_PER_WAN)) {
      fail(field, 'has 10000 yuan or more after 万/亿', '“万/亿”后的元部分不能达到一万');
    }
    total += yuanFen;
  }
  return total;
}

/**
 * Parses an amount into integer fen. Accepts a decimal string in yuan (`"120000000.00"`, `"1200"`,
 * optionally ending in 元), a number with at most two decimals (`1200.5`), or Chinese units (`"1.2亿"`,
 * `"6000万"`, `"240万元"`, `"1亿2000万"`, `"1亿2000万元"`, `"1万亿"`). Rejects negatives, fractions of a
 * fen, NaN/Infinity, empty input, other types, and anything above 1万亿 yuan (1万亿 itself is accepted,
 * however it is spelled). Throws {@link MoneyFormatError}.
 */
export function parseMoney(input: unknown, field: string): number {
  let fen: bigint;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) fail(field, 'must be a finite number', '必须是有限数值');
    if (input < 0) fail(field, 'must not be negative', '不能为负数');
    // String(n) is the shortest decimal that reads back as n: 0.1 → "0.1", 1e21 → "1e+21", 1e-7 → "1e-7".
    const text = String(input);
    if (/e/i.test(text)) {
      if (input >= 1) fail(field, 'exceeds 1万亿 yuan', '超过1万亿元');
      fail(field, 'has more than two decimals (fractions of a fen)', '小数超过两位（不足一分）');
    }
    fen = decimalToFen(text, '', field);
  } else if (typeof input === 'string') {
    if (input.length > 40)
      fail(field, 'is too long for an amount (40 characters at most)', '金额文本过长（最多 40 个字符）');
    fen = parseMoneyString(input, field);
  } else {
    fail(field, 'must be a string or a number', '必须是字符串或数字');
  }
  if (fen > BigInt(MAX_FEN)) fail(field, 'exceeds 1万亿 yuan', '超过1万亿元');
  return Number(fen);
}

/**
 * zod schema of an amount: a string or number in, integer fen out. Issues name the path through zod and
 * carry the reason in both languages. Use it inside object schemas: `plannedInvestment: moneySchema`.
 */
export const moneySchema = z
  .union([z.string(), z.number()], {
    error: requiredOr(
      zodMessage({
        zh: '必须是金额：以元为单位的数字或十进制字符串，或带中文单位，如 "1.2亿"',
        en: 'must be an amount: a decimal string in yuan, a number, or Chinese units such as "1.2亿"',
      }),
    ),
  })
  .transform((value, ctx) => {
    try {
      return parseMoney(value, 'amount');
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      ctx.addIssue({ code: 'custom', message: zodMessage({ zh: error.reasonZh, en: error.reason }) });
      return z.NEVER;
    }
  });

/** Integer fen schema for outputs and policy settings (already in fen): a safe, non-negative integer ≤ 1万亿 yuan. */
const WHOLE_FEN = zodMessage({ zh: '必须是整数（单位：分）', en: 'must be a whole number of fen' });
export const fenSchema = z
  .number({ error: requiredOr(WHOLE_FEN) })
  .int(WHOLE_FEN)
  .min(0, zodMessage({ zh: '不能为负数', en: 'must not be negative' }))
  .max(MAX_FEN, zodMessage({ zh: '不能超过1万亿元', en: 'must not exceed 1万亿 yuan' }));

/**
 * Rounds numerator / denominator to the nearest integer, halves rounded up (away from zero for negative
 * numerators, i.e. commercial 四舍五入). Use it once, at the end of a computation, e.g.
 * `roundHalfUp(BigInt(baseFen) * BigInt(basisPoints), 10_000n)`.
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('roundHalfUp: denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** basisPoints / 10000 of an amount in fen, rounded half up to the fen (once). */
export function applyBasisPoints(fen: number, basisPoints: number): number {
  const inSplitRange =
    Number.isSafeInteger(fen) &&
    fen >= 0 &&
    Number.isInteger(basisPoints) &&
    basisPoints >= 0 &&
    basisPoints <= 10_000;
  if (!inSplitRange) return Number(roundHalfUp(BigInt(fen) * BigInt(basisPoints), 10_000n));
  // Exact without BigInt (every rule evaluation passes here): fen = high × 10^4 + low, so the result is
  // high × basisPoints (a safe integer) plus low × basisPoints / 10^4 (below 10^4) rounded half up.
  const high = Math.floor(fen / 10_000);
  const low = fen - high * 10_000;
  return high * basisPoints + Math.floor((2 * low * basisPoints + 10_000) / 20_000);
}
