import type { Principal } from '#shared/auth/principal.ts';
import { ConflictError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { ProjectReference, ProjectStore, SupervisionStore } from '#shared/ports/projects.ts';
import {
  CalendarBodySchema,
  CreateProjectBodySchema,
  PlanBodySchema,
  ProgressBodySchema,
  StageBodySchema,
} from '#shared/schemas/projects.ts';
import { setCalendar } from '#shared/use-cases/projects/project-admin.ts';
import { changeStage, reportProgress, setPlan } from '#shared/use-cases/projects/record-project-changes.ts';
import { registerProject } from '#shared/use-cases/projects/register-project.ts';
import { resolveSupervision, superviseProjects } from '#shared/use-cases/projects/supervise-projects.ts';
import { CALENDAR_2019, type DemoProject, demoProjects } from './demo-projects.ts';
import type { Seeder } from './seeding.ts';

export interface DemoProjectDeps {
  readonly projects: ProjectStore;
  readonly supervision: SupervisionStore;
  readonly reference: ProjectReference;
  readonly leads: Pick<LeadStore, 'get'>;
}

const clockAt = (instant: string): Clock => ({ now: () => new Date(instant) });
const teamOf = (sector: string): Principal => ({
  userId: `demo-officer-${sector}`,
  roles: [`sector:${sector}`],
});
const ADMIN: Principal = { userId: 'demo-admin', roles: ['admin'] };

/**
 * Runs the demo's 2019 through the use cases, each step at the instant it happened in the demo (so a
 * report after the 25th is late, and the 督办 opens and escalates as it would have). Idempotent: a
 * registration with the same key answers the stored project, the same plan or report again changes
 * nothing, and a stage move that is done already is skipped.
 */
export async function applyDemoProjects(
  deps: DemoProjectDeps,
  projects: readonly DemoProject[] = demoProjects,
): Promise<Map<string, string>> {
  // The settings cannot change while the seeder runs: read them once, not at every step.
  const settings = deps.reference.settings();
  const reference: ProjectReference = { ...bound(deps.reference), settings: () => settings };
  const seeding = { ...deps, reference };
  await setCalendar(
    { reference, clock: clockAt('2018-12-10T10:00:00+08:00') },
    { principal: ADMIN, year: 2019, body: CalendarBodySchema.parse(CALENDAR_2019) },
  );
  const ids = new Map<string, string>();
  // A few teams at a time, as the office works; each project's steps in their order.
  const queue = [...projects];
  await Promise.all(
    Array.from({ length: CONCURRENT_TEAMS }, async () => {
      for (let project = queue.shift(); project !== undefined; project = queue.shift()) {
        ids.set(project.key, await applyProject(seeding, project));
      }
    }),
  );
  return ids;
}

const CONCURRENT_TEAMS = 4;

/** The store's methods bound to it, so they can be spread into another object. */
function bound(reference: ProjectReference): ProjectReference {
  return {
    settings: () => reference.settings(),
    publishSettings: (...args) => reference.publishSettings(...args),
    calendar: (year) => reference.calendar(year),
    setCalendar: (...args) => reference.setCalendar(...args),
    ratings: (year, half) => reference.ratings(year, half),
    setRatings: (...args) => reference.setRatings(...args),
  };
}

async function applyProject(deps: DemoProjectDeps, project: DemoProject): Promise<string> {
  const principal = teamOf(project.sector);
  let projectId = '';
  for (const step of project.steps) {
    const stepDeps = { ...deps, clock: clockAt(step.at) };
    const { action } = step;
    if (action.kind === 'register') {
      const body = CreateProjectBodySchema.parse(action.body);
      const result = await registerProject(stepDeps, {
        principal,
        body,
        rawBody: action.body,
        idempotencyKey: project.key,
      });
      projectId = result.project.projectId;
    } else if (action.kind === 'plan') {
      await setPlan(stepDeps, {
        principal,
        projectId,
        year: action.year,
        body: PlanBodySchema.parse(action.body),
      });
    } else if (action.kind === 'progress') {
      await reportProgress(stepDeps, { principal, projectId, body: ProgressBodySchema.parse(action.body) });
    } else {
      try {
        await changeStage(stepDeps, { principal, projectId, body: StageBodySchema.parse(action.body) });
      } catch (error) {
        // Done on an earlier start (same stage, 复工 recorded already).
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }
  return projectId;
}

/** The 督办 of July 2019: opened on the 10th, escalated as the deadlines pass, two items resolved. */
export async function superviseDemoJuly(deps: DemoProjectDeps): Promise<void> {
  for (const day of ['2019-07-10', '2019-07-18', '2019-07-24']) {
    await superviseProjects(deps, new Date(`${day}T08:00:00+08:00`));
    if (day === '2019-07-10') {
      const open = await deps.supervision.list('open');
      for (const item of open.slice(0, 2)) {
        try {
          await resolveSupervision(
            { ...deps, clock: clockAt('2019-07-11T15:00:00+08:00') },
            { principal: teamOf(item.sector), itemId: item.itemId, note: '已约谈企业，制定赶工计划' },
          );
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
    }
  }
}

/**
 * Demo projects (`npm start`): the source's first half of 2019, project by project, with the 2019
 * working-day calendar and the 督办 of July 2019. Left alone on a restart over a data dir (every step
 * is idempotent).
 */
export const demoProjectSeeder: Seeder = {
  name: 'demo-projects',
  demoOnly: true,
  run: async ({ log }) => {
    // Imported here: the handlers' environment is set by the time seeders run (seeding.ts).
    const { projectAdapters } = await import('#shared/adapters/project-adapters.ts');
    const deps = projectAdapters();
    const ids = await applyDemoProjects(deps);
    await superviseDemoJuly(deps);
    log('info', 'demo projects seeded', { projects: ids.size });
  },
};
