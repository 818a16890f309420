import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { leadAdapters } from '#shared/adapters/lead-adapters.ts';
import { logger } from '#shared/observability.ts';
import { resendStaleLeads, type SweepDeps } from '#shared/use-cases/sweep-stale-leads.ts';

/** Scheduled: no accepted lead is lost, even when its first send failed and nobody retried. */
export function createHandler(deps: SweepDeps, staleAfterSeconds: number) {
  return middy<ScheduledEvent, { resent: number }, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async () => {
      const resent = await resendStaleLeads(deps, staleAfterSeconds * 1000);
      if (resent > 0) logger.warn('stale leads sent to evaluation again', { resent });
      return { resent };
    });
}

const adapters = leadAdapters();
export const handler = createHandler(adapters, adapters.config.STALE_LEAD_SECONDS);
