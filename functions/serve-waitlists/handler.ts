import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { fundAdapters } from '#shared/adapters/composition.ts';
import { logger } from '#shared/observability.ts';
import { type ServeWaitlistsDeps, serveAllWaitlists } from '#shared/use-cases/serve-waitlists.ts';

/** Scheduled: money available in a fund reaches the leads waiting for it, whatever happened before. */
export function createHandler(deps: ServeWaitlistsDeps) {
  return middy<ScheduledEvent, { served: Record<string, number> }, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async () => {
      const served = await serveAllWaitlists(deps);
      if (Object.values(served).some((count) => count > 0)) logger.info('waitlists served', { served });
      return { served };
    });
}

export const handler = createHandler(fundAdapters());
