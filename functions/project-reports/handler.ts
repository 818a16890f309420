import { routeAccess } from '#infra/resources.ts';
import { projectAdapters } from '#shared/adapters/project-adapters.ts';
import { byRoute, withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import {
  HalfYearQuerySchema,
  MonthlyReportQuerySchema,
  RankingQuerySchema,
} from '#shared/schemas/projects.ts';
import {
  halfYearReport,
  monthlyReport,
  type ReportDeps,
  teamRanking,
} from '#shared/use-cases/projects/project-reports.ts';

/** Read-only reports: the monthly ledger, the half-year review, the team ranking. */
export function createHandler(deps: ReportDeps) {
  const routes = {
    'GET /reports/monthly': withHttp(
      { access: routeAccess, query: zodQuery(MonthlyReportQuerySchema) },
      async ({ principal, query }) => ({
        statusCode: 200,
        body: await monthlyReport(deps, { principal, query }),
      }),
    ),
    'GET /reports/half-year': withHttp(
      { access: routeAccess, query: zodQuery(HalfYearQuerySchema) },
      async ({ principal, query }) => ({
        statusCode: 200,
        body: await halfYearReport(deps, { principal, year: query.year, half: query.half }),
      }),
    ),
    'GET /reports/ranking': withHttp(
      { access: routeAccess, query: zodQuery(RankingQuerySchema) },
      async ({ principal, query }) => ({
        statusCode: 200,
        body: await teamRanking(deps, { principal, year: query.year, half: query.half }),
      }),
    ),
  };
  return byRoute(routes, routeAccess);
}

export const handler = createHandler(projectAdapters());
