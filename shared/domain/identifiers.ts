/**
 * Chinese identifiers with check characters:
 * - 统一社会信用代码 (unified social credit code, USCC), GB 32100-2015: 18 characters from a 31-character
 *   alphabet (no I, O, S, V, Z), the last one a check character over the first 17 (mod 31).
 * - 居民身份证号码 (resident ID), GB 11643-1999: 17 digits (6 region, 8 birth date, 3 sequence) and a
 *   check character 0-9 or X (ISO 7064 MOD 11-2).
 * A resident ID is personal data: never log it or put it in an error message whole; use
 * {@link maskResidentId}. A USCC is public (printed on every business licence), so it needs no mask.
 */

/** The USCC alphabet; a character's value is its index. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_BODY = /^[0-9A-HJ-NPQRTUWXY]{17}$/;
const USCC_FULL = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The check character of a USCC's first 17 characters, or null when they are not 17 alphabet characters. */
export function usccCheckChar(first17: string): string | null {
  if (!USCC_BODY.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += USCC_ALPHABET.indexOf(first17.charAt(i)) * (USCC_WEIGHTS[i] ?? 0);
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET.charAt(check);
}

/** True for an 18-character USCC (upper case) whose check character matches. */
export function isValidUscc(value: string): boolean {
  if (!USCC_FULL.test(value)) return false;
  return usccCheckChar(value.slice(0, 17)) === value.charAt(17);
}

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_CHECK = '10X98765432';
const RESIDENT_BODY = /^\d{17}$/;
const RESIDENT_FULL = /^\d{17}[\dX]$/;

/** The check character (0-9 or X) of a resident ID's first 17 digits, or null when they are not 17 digits. */
export function residentIdCheckChar(first17: string): string | null {
  if (!RESIDENT_BODY.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += Number(first17.charAt(i)) * (RESIDENT_WEIGHTS[i] ?? 0);
  }
  return RESIDENT_CHECK.charAt(sum % 11);
}

/** True when yyyymmdd is a real calendar date between 1900-01-01 and 2099-12-31. */
export function isRealBirthDate(yyyymmdd: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * True for an 18-character resident ID (upper-case X) whose region does not start with 0, whose birth date
 * (characters 7-14) is a real date, and whose check character matches. No clock is read, so a birth date in
 * the future is not refused here.
 */
export function isValidResidentId(value: string): boolean {
  if (!RESIDENT_FULL.test(value)) return false;
  if (value.startsWith('0')) return false;
  if (!isRealBirthDate(value.slice(6, 14))) return false;
  return residentIdCheckChar(value.slice(0, 17)) === value.charAt(17);
}

/**
 * Masks a resident ID for logs, errors and displays: keeps the 6-digit region code and the last 2
 * characters, masks the birth date and the rest of the sequence entirely:
 * "370102198001011234" → "370102**********34". Anything that is not exactly 18 characters is masked
 * completely (one "*" per character, at most 18), since a malformed value may still be most of an ID.
 */
export function maskResidentId(value: string): string {
  if (value.length !== 18) return '*'.repeat(Math.min(value.length, 18));
  return `${value.slice(0, 6)}${'*'.repeat(10)}${value.slice(16)}`;
}
