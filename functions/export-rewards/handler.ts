import { routeAccess } from '#infra/resources.ts';
import { exportAdapters } from '#shared/adapters/export-adapters.ts';
import { exportAnswer } from '#shared/middleware/export-answer.ts';
import { withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import type { ExportDelivery } from '#shared/ports/export-delivery.ts';
import {
  exportPaymentList,
  type PaymentListDeps,
  RewardsExportQuerySchema,
} from '#shared/use-cases/exports/payment-list-export.ts';

/** GET /rewards/export (finance): the 奖励支付清单 as .xlsx or .csv, inline or through a pre-signed link. */
export function createHandler(deps: PaymentListDeps & { readonly delivery: ExportDelivery }) {
  return withHttp({ access: routeAccess, query: zodQuery(RewardsExportQuerySchema) }, async ({ query }) =>
    exportAnswer(await deps.delivery.deliver(await exportPaymentList(deps, query))),
  );
}

export const handler = createHandler(exportAdapters());
