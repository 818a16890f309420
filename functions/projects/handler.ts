import { routeAccess } from '#infra/resources.ts';
import { projectAdapters } from '#shared/adapters/project-adapters.ts';
import { optionalIdempotencyKey } from '#shared/middleware/idempotency-key.ts';
import { byRoute, withHttp, zodBody, zodQuery } from '#shared/middleware/with-http.ts';
import {
  CreateProjectBodySchema,
  ListProjectsQuerySchema,
  PlanBodySchema,
  ProgressBodySchema,
  ProjectQuerySchema,
  ResolveBodySchema,
  StageBodySchema,
  SupervisionQuerySchema,
} from '#shared/schemas/projects.ts';
import { getProject, listProjects, recordView } from '#shared/use-cases/projects/project-queries.ts';
import { changeStage, reportProgress, setPlan } from '#shared/use-cases/projects/record-project-changes.ts';
import { registerProject } from '#shared/use-cases/projects/register-project.ts';
import { listSupervision, resolveSupervision } from '#shared/use-cases/projects/supervise-projects.ts';

type Deps = ReturnType<typeof projectAdapters>;

/** Projects after signing and their 督办: one function, a thin chain per route. */
export function createHandler(deps: Deps) {
  const projectId = (p: Readonly<Record<string, string>>) => p.projectId ?? '';
  const routes = {
    'POST /projects': withHttp(
      { access: routeAccess, body: zodBody(CreateProjectBodySchema) },
      async ({ principal, body, rawBody, headers }) => {
        const idempotencyKey = optionalIdempotencyKey(headers);
        const { project, replayed } = await registerProject(deps, {
          principal,
          body,
          rawBody,
          ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        });
        return {
          statusCode: replayed ? 200 : 201,
          headers: {
            location: `/projects/${project.projectId}`,
            ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
          },
          body: recordView(project),
        };
      },
    ),
    'GET /projects': withHttp(
      { access: routeAccess, query: zodQuery(ListProjectsQuerySchema) },
      async ({ principal, query }) => ({
        statusCode: 200,
        body: await listProjects(deps, { principal, query }),
      }),
    ),
    'GET /projects/{projectId}': withHttp(
      { access: routeAccess, query: zodQuery(ProjectQuerySchema) },
      async ({ principal, pathParameters, query }) => ({
        statusCode: 200,
        body: await getProject(deps, {
          principal,
          projectId: projectId(pathParameters),
          ...(query.month === undefined ? {} : { month: query.month }),
        }),
      }),
    ),
    'POST /projects/{projectId}/stage': withHttp(
      { access: routeAccess, body: zodBody(StageBodySchema) },
      async ({ principal, pathParameters, body }) => {
        const { project, event } = await changeStage(deps, {
          principal,
          projectId: projectId(pathParameters),
          body,
        });
        return { statusCode: 200, body: { project: recordView(project), event } };
      },
    ),
    'PUT /projects/{projectId}/plans/{year}': withHttp(
      { access: routeAccess, body: zodBody(PlanBodySchema) },
      async ({ principal, pathParameters, body }) => {
        const { plan, replayed } = await setPlan(deps, {
          principal,
          projectId: projectId(pathParameters),
          year: Number(pathParameters.year),
          body,
        });
        return { statusCode: replayed ? 200 : 201, body: plan };
      },
    ),
    'POST /projects/{projectId}/progress': withHttp(
      { access: routeAccess, body: zodBody(ProgressBodySchema) },
      async ({ principal, pathParameters, body }) => {
        const { entry, replayed } = await reportProgress(deps, {
          principal,
          projectId: projectId(pathParameters),
          body,
        });
        return { statusCode: replayed ? 200 : 201, body: entry };
      },
    ),
    'GET /supervision': withHttp(
      { access: routeAccess, query: zodQuery(SupervisionQuerySchema) },
      async ({ principal, query }) => ({
        statusCode: 200,
        body: await listSupervision(deps, { principal, query }),
      }),
    ),
    'POST /supervision/{supervisionId}/resolve': withHttp(
      { access: routeAccess, body: zodBody(ResolveBodySchema) },
      async ({ principal, pathParameters, body }) => ({
        statusCode: 200,
        body: await resolveSupervision(deps, {
          principal,
          itemId: pathParameters.supervisionId ?? '',
          note: body.note,
        }),
      }),
    ),
  };
  return byRoute(routes, routeAccess);
}

export const handler = createHandler(projectAdapters());
