import type { LeadImportQueue, LeadImportStore } from '#shared/ports/lead-imports.ts';
import {
  PENDING_WORK_KINDS,
  type PendingWork,
  type PendingWorkKind,
  type PendingWorkStore,
} from '#shared/ports/pending-work.ts';
import type { AllocationQueue, EvaluationQueue } from '#shared/ports/queues.ts';
import { type ServeWaitlistsDeps, serveAllWaitlists } from './serve-waitlists.ts';

/** The reconciler's settings (shared/config.ts `RECONCILE_*`). */
export interface ReconcileSettings {
  /** Work that has waited longer than this is sent again. */
  readonly afterSeconds: number;
  /** At most this many items of each kind are sent per run, oldest first. */
  readonly batch: number;
  /** Cap on the wait before the same item is sent once more (it doubles from `afterSeconds`). */
  readonly maxBackoffSeconds: number;
}

/** Where the reconciler reports what it found (the CDK alarm watches the oldest age). */
export interface PendingWorkMetrics {
  found(kind: PendingWorkKind, found: { readonly due: number; readonly oldestAgeSeconds: number }): void;
}

export const noPendingWorkMetrics: PendingWorkMetrics = { found: () => undefined };

export interface ReconcileDeps extends ServeWaitlistsDeps {
  readonly pendingWork: PendingWorkStore;
  readonly evaluationQueue: EvaluationQueue;
  readonly allocationQueue: AllocationQueue;
  readonly pendingWorkMetrics: PendingWorkMetrics;
  /** Lead imports left unfinished (issue 16): their hint is sent again like the rest. */
  readonly pendingImports?: {
    readonly imports: Pick<LeadImportStore, 'oldestPendingImport' | 'duePendingImports' | 'markImportResent'>;
    readonly importQueue: LeadImportQueue;
  };
}

export interface PendingWorkReport {
  /** Items found waiting longer than the setting, backoff passed (at most the batch). */
  readonly due: number;
  readonly resent: number;
  /** Sends that failed: the items stay due and are tried again next run. */
  readonly failed: number;
  /** How long the longest-waiting item of this kind has waited (0 when nothing waits). */
  readonly oldestAgeSeconds: number;
}

export interface ReconcileReport {
  readonly work: Readonly<Record<PendingWorkKind, PendingWorkReport>>;
  /** Lead imports waiting for their leads (when the deps name them). */
  readonly imports?: PendingWorkReport;
  /** Leads served from each fund's waitlist. */
  readonly served: Readonly<Record<string, number>>;
  /** What was sent again, in order (lead ids and revisions only). */
  readonly resent: readonly Pick<PendingWork, 'kind' | 'leadId' | 'revision'>[];
}

/**
 * One round of the reconciler. The tables are the truth and the queues only carry hints: whatever the
 * tables show waiting longer than `afterSeconds` (a lead to evaluate, a decision whose allocation is not
 * applied) is sent to its queue again, oldest first, at most `batch` of each kind, and then the money
 * available in each fund goes to the leads waiting for it. Sending twice is harmless: the consumers
 * ignore a revision they have already applied. Each item sent is marked, and is not sent again before
 * its backoff (doubling, capped) has passed, so work that keeps failing neither loops nor blocks the rest.
 *
 * `resendAll` (the local cloud as it starts: its in-memory queues lost what they held) sends every item
 * waiting, whatever its age and backoff.
 */
export async function reconcile(
  deps: ReconcileDeps,
  settings: ReconcileSettings,
  options: { readonly resendAll?: boolean } = {},
): Promise<ReconcileReport> {
  const now = deps.clock.now();
  const resendAll = options.resendAll === true;
  const waitingSinceBefore = new Date(now.getTime() - (resendAll ? 0 : settings.afterSeconds * 1000));
  const work = {} as Record<PendingWorkKind, PendingWorkReport>;
  const resent: Pick<PendingWork, 'kind' | 'leadId' | 'revision'>[] = [];

  // Every kind's reads at once (one round trip before the first send), then the sends kind by kind.
  const found = await Promise.all(
    PENDING_WORK_KINDS.map((kind) =>
      Promise.all([
        deps.pendingWork.oldestPending(kind),
        deps.pendingWork.duePending(kind, {
          waitingSinceBefore: waitingSinceBefore.toISOString(),
          at: now.toISOString(),
          limit: settings.batch,
          ignoreBackoff: resendAll,
        }),
      ]),
    ),
  );
  // Evaluations first: a decision they record may itself ask for an allocation.
  for (const [index, kind] of PENDING_WORK_KINDS.entries()) {
    const [oldest, due] = found[index] ?? [undefined, []];
    let failed = 0;
    // One after another, oldest first: allocations reach the fund in the order their decisions were made.
    for (const item of due) {
      try {
        await send(deps, item);
      } catch {
        failed += 1;
        continue;
      }
      resent.push({ kind: item.kind, leadId: item.leadId, revision: item.revision });
      await deps.pendingWork.markResent(item, retryAfter(now, item.resent, settings));
    }
    const oldestAgeSeconds =
      oldest === undefined ? 0 : Math.max(0, Math.floor((now.getTime() - Date.parse(oldest.since)) / 1000));
    work[kind] = { due: due.length, resent: due.length - failed, failed, oldestAgeSeconds };
    deps.pendingWorkMetrics.found(kind, { due: due.length, oldestAgeSeconds });
  }

  const imports =
    deps.pendingImports === undefined
      ? undefined
      : await resendPendingImports(deps.pendingImports, settings, now, waitingSinceBefore, resendAll);
  const served = await serveAllWaitlists(deps);
  return { work, served, resent, ...(imports === undefined ? {} : { imports }) };
}

/** The hint of each import waiting too long, sent again with the same backoff as the other work. */
async function resendPendingImports(
  pending: NonNullable<ReconcileDeps['pendingImports']>,
  settings: ReconcileSettings,
  now: Date,
  waitingSinceBefore: Date,
  resendAll: boolean,
): Promise<PendingWorkReport> {
  const [oldest, due] = await Promise.all([
    pending.imports.oldestPendingImport(),
    pending.imports.duePendingImports({
      waitingSinceBefore: waitingSinceBefore.toISOString(),
      at: now.toISOString(),
      limit: settings.batch,
      ignoreBackoff: resendAll,
    }),
  ]);
  let failed = 0;
  for (const item of due) {
    try {
      await pending.importQueue.send({ schemaVersion: 1, importId: item.importId });
    } catch {
      failed += 1;
      continue;
    }
    await pending.imports.markImportResent(item, retryAfter(now, item.resent, settings));
  }
  const oldestAgeSeconds =
    oldest === undefined ? 0 : Math.max(0, Math.floor((now.getTime() - Date.parse(oldest.since)) / 1000));
  return { due: due.length, resent: due.length - failed, failed, oldestAgeSeconds };
}

async function send(deps: ReconcileDeps, item: PendingWork): Promise<void> {
  if (item.kind === 'evaluation') {
    await deps.evaluationQueue.send({ schemaVersion: 1, leadId: item.leadId, revision: item.revision });
    return;
  }
  if (item.fundId === undefined) throw new Error(`Allocation of ${item.leadId} names no fund`);
  await deps.allocationQueue.send({
    schemaVersion: 1,
    leadId: item.leadId,
    revision: item.revision,
    fundId: item.fundId,
  });
}

/** `afterSeconds` × 2^(times sent before), capped: the first resend waits one setting, then twice that… */
export function retryAfter(now: Date, timesSentBefore: number, settings: ReconcileSettings): string {
  const base = Math.max(1, settings.afterSeconds);
  const seconds = Math.min(settings.maxBackoffSeconds, base * 2 ** Math.min(timesSentBefore, 30));
  return new Date(now.getTime() + seconds * 1000).toISOString();
}
