import { routeAccess } from '#infra/resources.ts';
import { exportAdapters } from '#shared/adapters/export-adapters.ts';
import { exportAnswer } from '#shared/middleware/export-answer.ts';
import { withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import type { ExportDelivery } from '#shared/ports/export-delivery.ts';
import {
  AuditExportQuerySchema,
  type AuditExtractDeps,
  exportAuditExtract,
} from '#shared/use-cases/exports/audit-extract-export.ts';

/**
 * GET /audit/export (auditors): the 审计摘录 as .xlsx or .csv with the chain's verification and digest
 * (above the table, and in the headers `audit-verification` / `audit-digest`).
 */
export function createHandler(deps: AuditExtractDeps & { readonly delivery: ExportDelivery }) {
  return withHttp({ access: routeAccess, query: zodQuery(AuditExportQuerySchema) }, async ({ query }) => {
    const { file, headers } = await exportAuditExtract(deps, query);
    return exportAnswer(await deps.delivery.deliver(file), headers);
  });
}

export const handler = createHandler(exportAdapters());
