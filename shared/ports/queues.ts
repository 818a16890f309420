import type { AllocateFundMessage, EvaluateLeadMessage } from '#shared/schemas/messages.ts';

export interface EvaluationQueue {
  send(message: EvaluateLeadMessage): Promise<void>;
}

export interface AllocationQueue {
  send(message: AllocateFundMessage): Promise<void>;
}
