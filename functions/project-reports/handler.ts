import { routeAccess } from '#infra/resources.ts';
import { exportDeliveryOf } from '#shared/adapters/export-adapters.ts';
import { projectAdapters } from '#shared/adapters/project-adapters.ts';
import { exportAnswer } from '#shared/middleware/export-answer.ts';
import { byRoute, withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import type { ExportDelivery } from '#shared/ports/export-delivery.ts';
import { HalfYearQuerySchema, RankingQuerySchema } from '#shared/schemas/projects.ts';
import {
  exportMonthlyLedger,
  MonthlyReportExportQuerySchema,
} from '#shared/use-cases/exports/monthly-ledger-export.ts';
import {
  halfYearReport,
  monthlyReport,
  type ReportDeps,
  teamRanking,
} from '#shared/use-cases/projects/project-reports.ts';

/** Read-only reports: the monthly ledger, the half-year review, the team ranking. */
export function createHandler(
  deps: ReportDeps & { readonly zoneUnit: string; readonly delivery: ExportDelivery },
) {
  const routes = {
    // ?format=xlsx|csv: the same ledger as a sheet or a CSV (issue 16); json stays the default.
    'GET /reports/monthly': withHttp(
      { access: routeAccess, query: zodQuery(MonthlyReportExportQuerySchema) },
      async ({ principal, query }) => {
        const { format, ...ledgerQuery } = query;
        if (format === 'json') {
          return { statusCode: 200, body: await monthlyReport(deps, { principal, query: ledgerQuery }) };
        }
        const file = await exportMonthlyLedger(deps, { principal, query, format });
        return exportAnswer(await deps.delivery.deliver(file));
      },
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

const adapters = projectAdapters();
export const handler = createHandler({
  ...adapters,
  zoneUnit: adapters.config.EXPORT_UNIT,
  delivery: exportDeliveryOf(adapters.config, adapters.clock),
});
