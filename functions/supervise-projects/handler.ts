import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { projectAdapters } from '#shared/adapters/project-adapters.ts';
import { logger } from '#shared/observability.ts';
import {
  type SuperviseDeps,
  type SupervisionRun,
  superviseProjects,
} from '#shared/use-cases/projects/supervise-projects.ts';

/**
 * Daily at 08:00 Asia/Shanghai: the 督办 run as of the schedule's time (the event's `time`, so a retried
 * invocation supervises the same day; the clock when an event carries none).
 */
export function createHandler(deps: SuperviseDeps) {
  return middy<ScheduledEvent, SupervisionRun, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const at =
        typeof event.time === 'string' && !Number.isNaN(Date.parse(event.time))
          ? new Date(event.time)
          : new Date();
      const run = await superviseProjects(deps, at);
      logger.info('supervision run', { ...run });
      return run;
    });
}

export const handler = createHandler(projectAdapters());
