import { routeAccess } from '#infra/resources.ts';
import { projectAdapters } from '#shared/adapters/project-adapters.ts';
import { byRoute, withHttp, zodBody } from '#shared/middleware/with-http.ts';
import { ProjectSettingsSchema } from '#shared/schemas/project-settings.ts';
import { CalendarBodySchema, RatingsBodySchema } from '#shared/schemas/projects.ts';
import {
  getCalendar,
  getProjectSettings,
  type ProjectAdminDeps,
  publishProjectSettings,
  setCalendar,
  setRatings,
} from '#shared/use-cases/projects/project-admin.ts';

/** What the admin maintains for projects: settings, the working-day calendar, the ranking's ratings. */
export function createHandler(deps: ProjectAdminDeps) {
  const year = (p: Readonly<Record<string, string>>) => Number(p.year);
  const routes = {
    'GET /calendar/{year}': withHttp({ access: routeAccess }, async ({ pathParameters }) => ({
      statusCode: 200,
      body: await getCalendar(deps, year(pathParameters)),
    })),
    'PUT /calendar/{year}': withHttp(
      { access: routeAccess, body: zodBody(CalendarBodySchema) },
      async ({ principal, pathParameters, body }) => {
        const { calendar, replayed } = await setCalendar(deps, {
          principal,
          year: year(pathParameters),
          body,
        });
        return { statusCode: replayed ? 200 : 201, body: calendar };
      },
    ),
    'GET /project-settings': withHttp({ access: routeAccess }, async () => ({
      statusCode: 200,
      body: await getProjectSettings(deps),
    })),
    'PUT /project-settings': withHttp(
      { access: routeAccess, body: zodBody(ProjectSettingsSchema) },
      async ({ principal, body }) => ({
        statusCode: 201,
        body: await publishProjectSettings(deps, { principal, settings: body }),
      }),
    ),
    'PUT /reports/ranking/{year}/{half}/ratings': withHttp(
      { access: routeAccess, body: zodBody(RatingsBodySchema) },
      async ({ principal, pathParameters, body }) => {
        const { ratings, replayed } = await setRatings(deps, {
          principal,
          year: year(pathParameters),
          half: Number(pathParameters.half),
          body,
        });
        return { statusCode: replayed ? 200 : 201, body: ratings };
      },
    ),
  };
  return byRoute(routes, routeAccess);
}

export const handler = createHandler(projectAdapters());
