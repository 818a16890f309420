/**
 * The conversion fund's allocation (consumer of the allocation queue) and the waitlist.
 *
 * Decisions where the brief left room:
 * - a lead gets min(its decision's cap, what is available); when that is less than its cap but more
 *   than 0 the partial grant stands for that revision and the remainder is NOT waitlisted (the policy
 *   reads "min(…, what is left)"); a later revision with a higher cap asks again for the difference;
 * - only a lead that gets nothing is waitlisted (one entry, keyed by the evaluation time of the decision
 *   that asked: served oldest first). Waitlisting is conditional on available = 0, so money released at
 *   the same moment is never missed. Serving takes min(want, available) and stops at the first lead it
 *   cannot serve in full (no overtaking);
 * - a new lead is allocated only after the waitlist is served, so nobody jumps the queue;
 * - redelivery: the allocation record holds the revision it reflects; a message at or below it changes
 *   nothing, and every write is conditional on the record as read, so concurrent deliveries give one
 *   reservation;
 * - a negotiated (one-case-one-policy) amount is final: later revisions only move the revision on;
 * - committed or released allocations are final: later messages change nothing.
 */
import { type FundMove, reservationChange } from '#shared/domain/fund.ts';
import { isDuplicateProject } from '#shared/domain/lead-outcome.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { FundChange, FundMetrics, FundStore } from '#shared/ports/funds.ts';
import { waitKeyOf } from '#shared/ports/funds.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { Allocation } from '#shared/schemas/fund.ts';
import type { AllocateFundMessage } from '#shared/schemas/messages.ts';

export interface FundDeps {
  readonly funds: FundStore;
  readonly clock: Clock;
  readonly fundMetrics: FundMetrics;
}

export interface AllocateFundDeps extends FundDeps {
  readonly leads: Pick<LeadStore, 'decisions'>;
}

export class DecisionNotFoundError extends Error {
  override readonly name = 'DecisionNotFoundError';
}

export class FundNotOpenError extends Error {
  override readonly name = 'FundNotOpenError';
}

export type AllocationOutcome =
  | 'reserved'
  | 'partially_reserved'
  | 'waitlisted'
  | 'adjusted'
  | 'already_applied'
  | 'final'
  | 'not_eligible';

const MAX_ATTEMPTS = 50;
const SYSTEM = { userId: 'pipeline', role: 'system' } as const;

function draft(
  at: string,
  action: string,
  subject: string,
  details: AuditEntryDraft['details'],
  actor: AuditEntryDraft['actor'] = SYSTEM,
): AuditEntryDraft {
  return { at, actor, action, subject, inputHash: null, policyVersion: null, details };
}

export function moveDetails(move: FundMove | undefined): AuditEntryDraft['details'] {
  return { move: move?.kind ?? 'none', amountFen: move?.amountFen ?? 0 };
}

/** Reserves (or adjusts) the fund for one decision revision of a lead. Idempotent per (lead, revision). */
export async function allocateFund(
  deps: AllocateFundDeps,
  message: AllocateFundMessage,
): Promise<AllocationOutcome> {
  const decision = (await deps.leads.decisions(message.leadId)).find((d) => d.revision === message.revision);
  if (decision === undefined) {
    throw new DecisionNotFoundError(`Lead ${message.leadId} has no decision revision ${message.revision}.`);
  }
  const fund = decision.decision.fund;
  // The first lead of a project holds its allocation; a duplicate never gets a second one.
  const capFen = fund.eligible === true && !isDuplicateProject(decision) ? fund.capFen : 0;
  const { fundId, leadId, revision } = message;

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const at = deps.clock.now().toISOString();
    const allocation = await deps.funds.allocation(fundId, leadId);
    if (allocation !== undefined && allocation.revision >= revision) return 'already_applied';
    if (allocation !== undefined && (allocation.state === 'committed' || allocation.state === 'released')) {
      return 'final';
    }
    if (allocation === undefined && capFen === 0) return 'not_eligible';

    if (allocation === undefined) {
      // Those already waiting come first.
      await serveWaitlist(deps, fundId);
      const balance = await deps.funds.balance(fundId);
      if (balance === undefined) throw new FundNotOpenError(`Fund ${fundId} is not open.`);
      const amount = Math.min(capFen, balance.availableFen);
      const base = {
        fundId,
        leadId,
        revision,
        capFen,
        committedFen: 0,
        negotiated: false,
        updatedAt: at,
      };
      let change: FundChange;
      let outcome: AllocationOutcome;
      if (amount > 0) {
        const after: Allocation = {
          ...base,
          state: 'reserved',
          reservedFen: amount,
          wantFen: 0,
          waitKey: null,
        };
        change = {
          fundId,
          at,
          move: { kind: 'reserve', amountFen: amount },
          allocation: { before: undefined, after },
        };
        outcome = amount === capFen ? 'reserved' : 'partially_reserved';
      } else {
        const entry = { leadId, revision, wantFen: capFen, evaluatedAt: decision.evaluatedAt };
        const after: Allocation = {
          ...base,
          state: 'waitlisted',
          reservedFen: 0,
          wantFen: capFen,
          waitKey: waitKeyOf(entry),
        };
        change = {
          fundId,
          at,
          requireNothingAvailable: true,
          allocation: { before: undefined, after },
          waitlist: { add: entry },
        };
        outcome = 'waitlisted';
      }
      const result = await deps.funds.apply(
        change,
        draft(at, outcome === 'waitlisted' ? 'fund.waitlisted' : 'fund.reserved', leadId, {
          fundId,
          revision,
          capFen,
          ...moveDetails(change.move),
        }),
      );
      if (result.applied) {
        await reportAvailability(deps, fundId);
        return outcome;
      }
      continue; // the balance or the record moved under us: read again
    }

    // A new revision of a lead already holding (or waiting for) money.
    const balance = await deps.funds.balance(fundId);
    if (balance === undefined) throw new FundNotOpenError(`Fund ${fundId} is not open.`);
    let change: FundChange;
    if (allocation.state === 'reserved') {
      const target = allocation.negotiated ? allocation.reservedFen : capFen;
      const { move, reservedAfterFen } = reservationChange(
        allocation.reservedFen,
        target,
        balance.availableFen,
      );
      change = {
        fundId,
        at,
        move,
        allocation: {
          before: allocation,
          after: { ...allocation, revision, capFen, reservedFen: reservedAfterFen, updatedAt: at },
        },
      };
    } else {
      // Waitlisted: keep its place, wait for the new cap.
      const key = allocation.waitKey ?? '';
      const evaluatedAt = key.split('#')[1] ?? decision.evaluatedAt;
      const entry = { leadId, revision, wantFen: capFen, evaluatedAt };
      change =
        capFen > 0
          ? {
              fundId,
              at,
              allocation: {
                before: allocation,
                after: { ...allocation, revision, capFen, wantFen: capFen, updatedAt: at },
              },
              waitlist: { add: entry },
            }
          : {
              fundId,
              at,
              allocation: {
                before: allocation,
                after: {
                  ...allocation,
                  state: 'released',
                  revision,
                  capFen: 0,
                  wantFen: 0,
                  waitKey: null,
                  updatedAt: at,
                },
              },
              waitlist: { removeKey: key },
            };
    }
    const result = await deps.funds.apply(
      change,
      draft(at, 'fund.adjusted', leadId, {
        fundId,
        revision,
        fromRevision: allocation.revision,
        capFen,
        ...moveDetails(change.move),
      }),
    );
    if (!result.applied) continue;
    if (change.move?.kind === 'release' || allocation.state === 'waitlisted')
      await serveWaitlist(deps, fundId);
    await reportAvailability(deps, fundId);
    return 'adjusted';
  }
  throw new Error(`Lead ${leadId}: fund ${fundId} changed under every one of ${MAX_ATTEMPTS} attempts`);
}

/**
 * Gives released money to the waitlist, oldest evaluation first: each lead gets min(what it waits for,
 * what is available), and serving stops when the fund is empty. Safe to run concurrently and again:
 * every grant is conditional on the allocation still being the waitlisted one read.
 */
export async function serveWaitlist(deps: FundDeps, fundId: string): Promise<number> {
  let served = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const balance = await deps.funds.balance(fundId);
    if (balance === undefined || balance.availableFen <= 0) return served;
    const [entry] = await deps.funds.waitlist(fundId, 1);
    if (entry === undefined) return served;
    const at = deps.clock.now().toISOString();
    const allocation = await deps.funds.allocation(fundId, entry.leadId);
    const key = waitKeyOf(entry);
    if (allocation === undefined || allocation.state !== 'waitlisted' || allocation.waitKey !== key) {
      // An entry without its waitlisted allocation cannot be served: drop it (audited).
      await deps.funds.apply(
        { fundId, at, waitlist: { removeKey: key } },
        draft(at, 'fund.waitlist_dropped', entry.leadId, { fundId, revision: entry.revision }),
      );
      continue;
    }
    const amount = Math.min(allocation.wantFen, balance.availableFen);
    const move: FundMove = { kind: 'reserve', amountFen: amount };
    const result = await deps.funds.apply(
      {
        fundId,
        at,
        move,
        allocation: {
          before: allocation,
          after: {
            ...allocation,
            state: 'reserved',
            reservedFen: amount,
            wantFen: 0,
            waitKey: null,
            updatedAt: at,
          },
        },
        waitlist: { removeKey: key },
      },
      draft(at, 'fund.waitlist_served', entry.leadId, {
        fundId,
        revision: allocation.revision,
        wantFen: allocation.wantFen,
        ...moveDetails(move),
      }),
    );
    if (result.applied) served += 1;
  }
  return served;
}

export async function reportAvailability(deps: FundDeps, fundId: string): Promise<void> {
  const balance = await deps.funds.balance(fundId);
  if (balance !== undefined) deps.fundMetrics.availability(balance);
}
