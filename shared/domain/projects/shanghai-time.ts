/**
 * Calendar dates and months as the zone counts them: in Asia/Shanghai (UTC+8 all year; China has kept no
 * daylight saving since 1991). Dates are `YYYY-MM-DD`, months `YYYY-MM`; everything here is string and
 * integer arithmetic on those, never a local-time `Date` method, so the host's time zone cannot leak in.
 */

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDateOf(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** True for a real calendar date written `YYYY-MM-DD` (no 2019-02-30). */
export function isRealDate(date: string): boolean {
  if (!DATE_PATTERN.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

export function monthOfDate(date: string): string {
  return date.slice(0, 7);
}

export function yearOf(dateOrMonth: string): number {
  return Number(dateOrMonth.slice(0, 4));
}

/** 1 to 12. */
export function monthNumberOf(month: string): number {
  return Number(month.slice(5, 7));
}

export function monthOf(year: number, monthNumber: number): string {
  return `${String(year).padStart(4, '0')}-${String(monthNumber).padStart(2, '0')}`;
}

/** Months from `from` to `to` (negative when `to` is earlier): 2019-03 → 2019-06 is 3. */
export function monthsBetween(from: string, to: string): number {
  return yearOf(to) * 12 + monthNumberOf(to) - (yearOf(from) * 12 + monthNumberOf(from));
}

export function addMonths(month: string, count: number): string {
  const index = yearOf(month) * 12 + monthNumberOf(month) - 1 + count;
  return monthOf(Math.floor(index / 12), (index % 12) + 1);
}

export function lastDateOfMonth(month: string): string {
  const next = addMonths(month, 1);
  const firstOfNext = Date.UTC(yearOf(next), monthNumberOf(next) - 1, 1);
  return new Date(firstOfNext - DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, count: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + count * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The day a month's report is due: `dueDay` of that month, or its last day in a shorter month. */
export function dueDateOf(month: string, dueDay: number): string {
  const last = lastDateOfMonth(month);
  return Number(last.slice(8, 10)) < dueDay ? last : `${month}-${String(dueDay).padStart(2, '0')}`;
}

/**
 * The newest month whose report is due on or before `today`: the current month from its due day on,
 * the month before until then. What the daily 督办 and the default ledger look at.
 */
export function latestDueMonth(today: string, dueDay: number): string {
  const current = monthOfDate(today);
  return today >= dueDateOf(current, dueDay) ? current : addMonths(current, -1);
}
