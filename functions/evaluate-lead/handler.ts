import { queues } from '#infra/resources.ts';
import { keyedHashingAdapters } from '#shared/adapters/hashing-adapters.ts';
import { withSqsBatch } from '#shared/middleware/with-sqs-batch.ts';
import { logger } from '#shared/observability.ts';
import { EvaluateLeadMessageSchema } from '#shared/schemas/messages.ts';
import {
  type EvaluateLeadDeps,
  evaluateLeadRevision,
  recordEvaluationGaveUp,
} from '#shared/use-cases/evaluate-lead-revision.ts';

const maxReceiveCount = queues.find((queue) => queue.id === 'Evaluation')?.maxReceiveCount ?? 5;

/** Consumer of the evaluation queue: one decision revision per message, failures per record. */
export function createHandler(deps: EvaluateLeadDeps) {
  return withSqsBatch(EvaluateLeadMessageSchema, async ({ body, messageId, receiveCount }) => {
    const keys = { leadId: body.leadId, revision: body.revision, messageId, receiveCount };
    try {
      const outcome = await evaluateLeadRevision(deps, body);
      logger.info('lead evaluated', { ...keys, outcome });
    } catch (error) {
      logger.warn('lead not evaluated', { ...keys, error: error as Error });
      if (receiveCount >= maxReceiveCount) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
        await recordEvaluationGaveUp(deps, body, receiveCount, reason.slice(0, 500)).catch((cause: unknown) =>
          logger.error('could not mark the lead as failed', { ...keys, error: cause as Error }),
        );
      }
      throw error;
    }
  });
}

export const handler = createHandler(keyedHashingAdapters());
