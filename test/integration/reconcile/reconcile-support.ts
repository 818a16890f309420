import type { PendingWorkKind, PendingWorkStore } from '#shared/ports/pending-work.ts';
import {
  type PendingWorkMetrics,
  type ReconcileDeps,
  type ReconcileReport,
  type ReconcileSettings,
  reconcile,
} from '#shared/use-cases/reconcile.ts';

/** What a round needs besides its clock: the adapters of the stack (or some of them replaced). */
export type RoundDeps = Omit<ReconcileDeps, 'clock' | 'pendingWork' | 'pendingWorkMetrics'> & {
  readonly leads: PendingWorkStore;
};

/** The defaults of shared/config.ts. */
export const DEFAULT_SETTINGS: ReconcileSettings = { afterSeconds: 60, batch: 500, maxBackoffSeconds: 3600 };

/** What the reconciler reported to its metrics port, run after run. */
export function recordedMetrics() {
  const found: { kind: PendingWorkKind; due: number; oldestAgeSeconds: number }[] = [];
  const metrics: PendingWorkMetrics = { found: (kind, values) => void found.push({ kind, ...values }) };
  return { found, metrics };
}

/**
 * One reconciler round on the local engines with the clock stopped at `at`. Tests write the work they
 * leave waiting with clocks in 2019 (the default policy is in force from 2019-01-01), earlier than
 * anything else in the shared stack, so a round at a 2019 instant finds theirs and not what other test
 * files left behind.
 */
export function reconcileAt(
  adapters: RoundDeps,
  at: string,
  settings: Partial<ReconcileSettings> = {},
  options: { resendAll?: boolean; metrics?: PendingWorkMetrics } = {},
): Promise<ReconcileReport> {
  return reconcile(
    {
      ...adapters,
      clock: { now: () => new Date(at) },
      pendingWork: adapters.leads,
      pendingWorkMetrics: options.metrics ?? recordedMetrics().metrics,
    },
    { ...DEFAULT_SETTINGS, ...settings },
    { resendAll: options.resendAll === true },
  );
}

/** An instant `seconds` after `iso`. */
export function plus(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}
