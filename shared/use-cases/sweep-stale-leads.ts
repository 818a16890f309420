import type { Clock } from '#shared/ports/clock.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { EvaluationQueue } from '#shared/ports/queues.ts';

export interface SweepDeps {
  readonly leads: Pick<LeadStore, 'receivedBefore'>;
  readonly evaluationQueue: EvaluationQueue;
  readonly clock: Clock;
}

/** Sends again every lead left `RECEIVED` for longer than `staleAfterMs`: no accepted lead is lost. */
export async function resendStaleLeads(deps: SweepDeps, staleAfterMs: number, limit = 100): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - staleAfterMs).toISOString();
  const stale = await deps.leads.receivedBefore(before, limit);
  for (const lead of stale) {
    await deps.evaluationQueue.send({
      schemaVersion: 1,
      leadId: lead.leadId,
      revision: lead.latestRevision + 1,
    });
  }
  return stale.length;
}
