import { keyedHashingAdapters } from '#shared/adapters/hashing-adapters.ts';
import { leadImportStores } from '#shared/adapters/lead-import-adapters.ts';
import { withSqsBatch } from '#shared/middleware/with-sqs-batch.ts';
import { logger } from '#shared/observability.ts';
import type { LeadImportQueue } from '#shared/ports/lead-imports.ts';
import { CreateImportedLeadsMessageSchema } from '#shared/schemas/lead-import.ts';
import {
  type CreateImportedLeadsDeps,
  createImportedLeads,
} from '#shared/use-cases/create-imported-leads.ts';

/** Stop between rows this long before the function's timeout, and hand the rest to the next hint. */
const PAUSE_BEFORE_TIMEOUT_MS = 20_000;

/** Consumer of the LeadImport queue: the rows of one import become leads, as POST /leads makes them. */
export function createHandler(
  deps: CreateImportedLeadsDeps & { readonly importQueue: LeadImportQueue },
  pauseBeforeTimeoutMs = PAUSE_BEFORE_TIMEOUT_MS,
) {
  return withSqsBatch(
    CreateImportedLeadsMessageSchema,
    async ({ body, messageId, receiveCount, remainingTimeMs }) => {
      const keys = { importId: body.importId, messageId, receiveCount };
      const outcome = await createImportedLeads(deps, body.importId, {
        shouldPause: () => remainingTimeMs() < pauseBeforeTimeoutMs,
      });
      if (outcome === 'paused') await deps.importQueue.send({ schemaVersion: 1, importId: body.importId });
      logger.info('import rows processed', { ...keys, outcome });
    },
  );
}

const adapters = keyedHashingAdapters();
export const handler = createHandler({ ...adapters, ...leadImportStores(adapters.config) });
