/**
 * Working days as the State Council's yearly holiday notice sets them: Monday to Friday by default (a
 * setting), minus the year's holidays, plus its 调休 working days (a Saturday or Sunday worked in exchange).
 * The admin enters each year (`PUT /calendar/{year}`); a year nobody entered has the default weekdays only.
 */
import { addDays, isoWeekdayOf, yearOf } from './shanghai-time.ts';

export interface YearCalendar {
  readonly year: number;
  /** Days off that would otherwise be working days (weekend days may be listed too; they change nothing). */
  readonly holidays: readonly string[];
  /** 调休: days worked that would otherwise be off. */
  readonly workdays: readonly string[];
}

export interface WorkingCalendar {
  /** ISO weekdays worked by default (1 = Monday … 7 = Sunday). */
  readonly weekdays: readonly number[];
  readonly years: ReadonlyMap<number, YearCalendar>;
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  const year = calendar.years.get(yearOf(date));
  if (year?.workdays.includes(date) === true) return true;
  if (year?.holidays.includes(date) === true) return false;
  return calendar.weekdays.includes(isoWeekdayOf(date));
}

/** A calendar with no working day at all would never reach a deadline: refused where settings are read. */
const MAX_STEPS = 3_660;

/**
 * The `count`-th working day after `date` (not counting `date` itself): 5 working days after Friday
 * 2019-05-31, with 端午 on Friday 2019-06-07, is Monday 2019-06-10.
 */
export function addWorkingDays(date: string, count: number, calendar: WorkingCalendar): string {
  let day = date;
  let left = count;
  for (let step = 0; left > 0; step += 1) {
    if (step > MAX_STEPS) throw new RangeError('addWorkingDays: no working day within ten years');
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) left -= 1;
  }
  return day;
}
