import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { leadImportStores } from '#shared/adapters/lead-import-adapters.ts';
import { powertoolsPendingWorkMetrics } from '#shared/adapters/pending-work-metrics.ts';
import { logger } from '#shared/observability.ts';
import {
  type ReconcileDeps,
  type ReconcileReport,
  type ReconcileSettings,
  reconcile,
} from '#shared/use-cases/reconcile.ts';

/** EventBridge sends `detail: {}`; the local cloud, as it starts, `{ "resendAll": true }`. */
const DetailSchema = z.object({ resendAll: z.boolean().optional() });

export class ReconcileIncompleteError extends Error {
  override readonly name = 'ReconcileIncompleteError';
}

/**
 * Scheduled every minute: work the tables show waiting too long is sent again, waitlists are served.
 * A run whose sends failed finishes the rest, then fails, so the function's error alarm sees it.
 */
export function createHandler(deps: ReconcileDeps, settings: ReconcileSettings) {
  return middy<ScheduledEvent, Omit<ReconcileReport, 'resent'>, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const { resendAll } = DetailSchema.parse(event.detail ?? {});
      const { work, served, resent, imports } = await reconcile(deps, settings, {
        resendAll: resendAll === true,
      });
      if (resent.length > 0) {
        // Lead ids and revisions only; the first few are enough to follow one in the other functions' logs.
        logger.warn('pending work sent again', { work, served, resendAll, first: resent.slice(0, 20) });
      } else if (Object.values(served).some((count) => count > 0)) {
        logger.info('waitlists served', { served });
      }
      if ((imports?.resent ?? 0) > 0) logger.warn('lead imports sent again', { imports });
      const failed = work.evaluation.failed + work.allocation.failed + (imports?.failed ?? 0);
      if (failed > 0) throw new ReconcileIncompleteError(`${failed} item(s) could not be sent again`);
      return { work, served, ...(imports === undefined ? {} : { imports }) };
    });
}

const adapters = productionAdapters();
export const handler = createHandler(
  {
    ...adapters,
    pendingWork: adapters.leads,
    pendingWorkMetrics: powertoolsPendingWorkMetrics,
    pendingImports: leadImportStores(adapters.config),
  },
  {
    afterSeconds: adapters.config.RECONCILE_AFTER_SECONDS,
    batch: adapters.config.RECONCILE_BATCH,
    maxBackoffSeconds: adapters.config.RECONCILE_MAX_BACKOFF_SECONDS,
  },
);
