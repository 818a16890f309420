import { productionAdapters } from '#shared/adapters/composition.ts';
import { withSqsBatch } from '#shared/middleware/with-sqs-batch.ts';
import { logger } from '#shared/observability.ts';
import { AllocateFundMessageSchema } from '#shared/schemas/messages.ts';
import { type AllocateFundDeps, allocateFund } from '#shared/use-cases/allocate-fund.ts';

/** Consumer of the allocation queue: one reservation (or waitlisting) per (lead, revision), failures per record. */
export function createHandler(deps: AllocateFundDeps) {
  return withSqsBatch(AllocateFundMessageSchema, async ({ body }) => {
    logger.appendKeys({ leadId: body.leadId, revision: body.revision, fundId: body.fundId });
    try {
      const outcome = await allocateFund(deps, body);
      logger.info('fund allocation', { outcome });
    } finally {
      logger.removeKeys(['leadId', 'revision', 'fundId']);
    }
  });
}

export const handler = createHandler(productionAdapters());
