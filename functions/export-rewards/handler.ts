import { routeAccess } from '#infra/resources.ts';
import { exportAdapters } from '#shared/adapters/export-adapters.ts';
import { exportAnswer } from '#shared/middleware/export-answer.ts';
import { byRoute, withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import type { ExportDelivery } from '#shared/ports/export-delivery.ts';
import {
  type DiscretionaryExportDeps,
  DiscretionaryExportQuerySchema,
  exportDiscretionaryRewards,
} from '#shared/use-cases/exports/discretionary-export.ts';
import {
  exportPaymentList,
  type PaymentListDeps,
  RewardsExportQuerySchema,
} from '#shared/use-cases/exports/payment-list-export.ts';

/**
 * GET /rewards/export (finance): the 奖励支付清单 as .xlsx or .csv; GET /discretionary-rewards/export (finance,
 * auditors): a year's rewards by decision apart from it (issue 20). Inline or through a pre-signed link.
 */
export function createHandler(
  deps: PaymentListDeps & DiscretionaryExportDeps & { readonly delivery: ExportDelivery },
) {
  return byRoute(
    {
      'GET /rewards/export': withHttp(
        { access: routeAccess, query: zodQuery(RewardsExportQuerySchema) },
        async ({ query }) => exportAnswer(await deps.delivery.deliver(await exportPaymentList(deps, query))),
      ),
      'GET /discretionary-rewards/export': withHttp(
        { access: routeAccess, query: zodQuery(DiscretionaryExportQuerySchema) },
        async ({ query }) =>
          exportAnswer(await deps.delivery.deliver(await exportDiscretionaryRewards(deps, query))),
      ),
    },
    routeAccess,
  );
}

export const handler = createHandler(exportAdapters());
