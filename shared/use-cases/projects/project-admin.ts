/**
 * What the admin (管委会) maintains for project tracking, each a new audited revision, never an edit:
 * the working-day calendar of a year (the State Council's holiday notice: holidays and 调休 working days),
 * the settings document (a new version; the newest applies), and the two ratings of the half-year ranking.
 * Sending the same calendar or ratings again answers what is stored.
 */
import * as z from 'zod';
import type { Principal } from '#shared/auth/principal.ts';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { isoWeekdayOf, yearOf } from '#shared/domain/projects/shanghai-time.ts';
import { isSectorCode } from '#shared/domain/sectors.ts';
import { ConflictError, type FieldProblem, ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ProjectReference, StoredCalendar } from '#shared/ports/projects.ts';
import type { AuditActor } from '#shared/schemas/audit-entry.ts';
import {
  DEFAULT_PROJECT_SETTINGS,
  type ProjectSettings,
  ProjectSettingsSchema,
} from '#shared/schemas/project-settings.ts';
import {
  type CalendarBodySchema,
  type RatingsBodySchema,
  type RatingsRecord,
  YearCalendarSchema,
} from '#shared/schemas/projects.ts';
import { settingsOf } from './project-context.ts';

export interface ProjectAdminDeps {
  readonly reference: ProjectReference;
  readonly clock: Clock;
}

const ADMIN = (principal: Principal): AuditActor => ({ userId: principal.userId, role: 'admin' });

export const CalendarViewSchema = YearCalendarSchema.extend({
  weekdays: z.array(z.number().int()),
});

export async function getCalendar(
  deps: Pick<ProjectAdminDeps, 'reference'>,
  year: number,
): Promise<z.infer<typeof CalendarViewSchema>> {
  const settings = await settingsOf(deps.reference);
  const stored = await deps.reference.calendar(year);
  return {
    year,
    holidays: [...(stored?.holidays ?? [])],
    workdays: [...(stored?.workdays ?? [])],
    revision: stored?.revision ?? 0,
    at: stored?.at ?? null,
    weekdays: [...settings.calendar.weekdays],
  };
}

/** `PUT /calendar/{year}`: the year's holidays and 调休 working days, every date inside that year. */
export async function setCalendar(
  deps: ProjectAdminDeps,
  command: { principal: Principal; year: number; body: z.output<typeof CalendarBodySchema> },
): Promise<{ calendar: z.infer<typeof CalendarViewSchema>; replayed: boolean }> {
  const { year, body } = command;
  const problems: FieldProblem[] = [];
  const check = (field: 'holidays' | 'workdays', dates: readonly string[]) =>
    dates.forEach((date, index) => {
      if (yearOf(date) !== year) {
        problems.push({
          field: `${field}.${index}`,
          message: { zh: `须为${year}年的日期`, en: `must be a date in ${year}` },
        });
      }
    });
  check('holidays', body.holidays);
  check('workdays', body.workdays);
  body.workdays.forEach((date, index) => {
    if (body.holidays.includes(date)) {
      problems.push({
        field: `workdays.${index}`,
        message: { zh: '不能同时是假日和调休工作日', en: 'is also listed as a holiday' },
      });
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);
  const holidays = [...new Set(body.holidays)].sort();
  const workdays = [...new Set(body.workdays)].sort();

  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await deps.reference.calendar(year);
    if (
      current !== undefined &&
      sameDates(current.holidays, holidays) &&
      sameDates(current.workdays, workdays)
    ) {
      return { calendar: await getCalendar(deps, year), replayed: true };
    }
    const at = deps.clock.now().toISOString();
    const calendar: StoredCalendar = { year, holidays, workdays, revision: (current?.revision ?? 0) + 1, at };
    const outcome = await deps.reference.setCalendar(calendar, {
      at,
      actor: ADMIN(command.principal),
      action: 'calendar.set',
      subject: `calendar:${year}`,
      inputHash: hashCanonical({ year, holidays, workdays }),
      policyVersion: null,
      details: {
        year,
        revision: calendar.revision,
        holidays: holidays.length,
        workdays: workdays.length,
        weekdayHolidays: holidays.filter((date) => isoWeekdayOf(date) <= 5).length,
      },
    });
    if (outcome === 'set') return { calendar: await getCalendar(deps, year), replayed: false };
  }
  throw new ConflictError('concurrent_change', {
    zh: '日历正被他人同时修改，请稍后重试。',
    en: 'The calendar is being changed by someone else at the same moment; try again.',
  });
}

function sameDates(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((date, index) => date === b[index]);
}

export const SettingsViewSchema = z.object({
  /** 0: nothing published, the built-in defaults apply. */
  revision: z.number().int().nonnegative(),
  settings: ProjectSettingsSchema,
});

export async function getProjectSettings(
  deps: Pick<ProjectAdminDeps, 'reference'>,
): Promise<z.infer<typeof SettingsViewSchema>> {
  const stored = await deps.reference.settings();
  return stored ?? { revision: 0, settings: DEFAULT_PROJECT_SETTINGS };
}

/** `PUT /project-settings`: a new version of the settings document; a version is published once. */
export async function publishProjectSettings(
  deps: ProjectAdminDeps,
  command: { principal: Principal; settings: ProjectSettings },
): Promise<z.infer<typeof SettingsViewSchema>> {
  const { settings } = command;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await deps.reference.settings();
    const revision = (current?.revision ?? 0) + 1;
    const at = deps.clock.now().toISOString();
    const outcome = await deps.reference.publishSettings(settings, revision, {
      at,
      actor: ADMIN(command.principal),
      action: 'project_settings.published',
      subject: `project-settings:${settings.version}`,
      inputHash: hashCanonical(settings),
      policyVersion: settings.version,
      details: { version: settings.version, revision, replaces: current?.settings.version ?? null },
    });
    if (outcome === 'published') return { revision, settings };
    if (outcome === 'version_exists') {
      throw new ConflictError('version_exists', {
        zh: `设置版本 ${settings.version} 已发布；请使用新的版本号。`,
        en: `Settings version ${settings.version} is published already; publish a new version.`,
      });
    }
  }
  throw new ConflictError('concurrent_change', {
    zh: '设置正被他人同时发布，请稍后重试。',
    en: 'Settings are being published by someone else at the same moment; try again.',
  });
}

/** `PUT /reports/ranking/{year}/{half}/ratings`: the parks' and the field teams' ratings of each team. */
export async function setRatings(
  deps: ProjectAdminDeps,
  command: { principal: Principal; year: number; half: number; body: z.output<typeof RatingsBodySchema> },
): Promise<{ ratings: RatingsRecord; replayed: boolean }> {
  const { year, half, body } = command;
  const settings = await settingsOf(deps.reference);
  const scale = settings.ranking.ratingScale;
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  body.ratings.forEach((rating, index) => {
    if (!isSectorCode(rating.sector)) {
      problems.push({
        field: `ratings.${index}.sector`,
        message: { zh: '不是已配置的招商专班', en: 'is not a configured sector team' },
      });
    }
    if (seen.has(rating.sector)) {
      problems.push({ field: `ratings.${index}.sector`, message: { zh: '专班重复', en: 'is listed twice' } });
    }
    seen.add(rating.sector);
    for (const key of ['park', 'field'] as const) {
      const value = rating[key];
      if (value > scale || Math.round(value * 100) !== value * 100) {
        problems.push({
          field: `ratings.${index}.${key}`,
          message: {
            zh: `须为 0–${scale} 分，至多两位小数`,
            en: `must be 0 to ${scale} with at most two decimals`,
          },
        });
      }
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);
  const ratings = body.ratings
    .map((rating) => ({
      sector: rating.sector,
      park: rating.park,
      field: rating.field,
      note: rating.note ?? null,
    }))
    .sort((a, b) => a.sector.localeCompare(b.sector));

  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await deps.reference.ratings(year, half);
    if (current !== undefined && hashCanonical(current.ratings) === hashCanonical(ratings)) {
      return { ratings: current, replayed: true };
    }
    const at = deps.clock.now().toISOString();
    const record: RatingsRecord = {
      year,
      half,
      revision: (current?.revision ?? 0) + 1,
      ratings,
      at,
      by: ADMIN(command.principal),
    };
    const outcome = await deps.reference.setRatings(record, {
      at,
      actor: record.by,
      action: 'ranking.ratings_set',
      subject: `ranking:${year}-H${half}`,
      inputHash: hashCanonical(record),
      policyVersion: settings.version,
      details: { year, half, revision: record.revision, teams: ratings.length },
    });
    if (outcome === 'set') return { ratings: record, replayed: false };
  }
  throw new ConflictError('concurrent_change', {
    zh: '评议分正被他人同时录入，请稍后重试。',
    en: 'Ratings are being entered by someone else at the same moment; try again.',
  });
}
