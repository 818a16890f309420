/**
 * Work that waits in the tables until it is done: the queues only carry hints that it exists. Each kind is
 * written in the same transaction as the change that creates it and removed by the one that completes it,
 * so a lost message, a failed send or a killed process leaves the work findable, never lost.
 * - `evaluation`: revision N of a lead waits for its decision (a new lead: revision 1; a reported actual
 *   investment: `latestRevision + 1`). Cleared when decision N is recorded.
 * - `allocation`: decision revision N asks the fund for something and the allocation has not applied it.
 *   Cleared when the allocation of N (or a later revision) is applied or found final.
 */
export const PENDING_WORK_KINDS = ['evaluation', 'allocation'] as const;
export type PendingWorkKind = (typeof PENDING_WORK_KINDS)[number];

export interface PendingWork {
  readonly kind: PendingWorkKind;
  readonly leadId: string;
  /** The revision to evaluate, or the decision revision whose allocation is waiting. */
  readonly revision: number;
  /** Allocation only: the fund the decision asks. */
  readonly fundId?: string | undefined;
  /** When it began waiting (the submission, the report, the decision). */
  readonly since: string;
  /** How many times the reconciler has sent it again. */
  readonly resent: number;
  /** After being sent again: not sent again before this instant. */
  readonly retryAfter?: string | undefined;
}

/** What the reconciler reads and marks; the lead store keeps the work beside the leads. */
export interface PendingWorkStore {
  /** The longest-waiting item of a kind, whatever its backoff (for the age metric). */
  oldestPending(kind: PendingWorkKind): Promise<PendingWork | undefined>;
  /**
   * Items of a kind waiting since before `waitingSinceBefore` whose backoff has passed at `at` (ignored
   * when `ignoreBackoff`), oldest first, at most `limit`. A query on a sparse index, never a scan.
   */
  duePending(
    kind: PendingWorkKind,
    query: {
      readonly waitingSinceBefore: string;
      readonly at: string;
      readonly limit: number;
      readonly ignoreBackoff?: boolean;
    },
  ): Promise<PendingWork[]>;
  /**
   * Records that `work` was sent again: `resent` + 1 and no new send before `retryAfter`. Only while the
   * same work is still pending (done or replaced by a later revision meanwhile: nothing changes).
   */
  markResent(work: PendingWork, retryAfter: string): Promise<void>;
}
