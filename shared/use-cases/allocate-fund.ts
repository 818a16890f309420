/**
 * The conversion fund's allocation (consumer of the allocation queue) and the serving of its waitlist.
 * The rules are the pure transitions of `shared/domain/allocation.ts`; this file reads, calls one
 * transition, writes what it decided in one transaction, and reads again when the fund moved meanwhile.
 *
 * - redelivery: the allocation record holds the revision it reflects; a message at or below it changes
 *   nothing, and every write is conditional on the record as read, so concurrent deliveries give one
 *   reservation;
 * - a new lead is allocated only after the waitlist is served, so nobody jumps the queue;
 * - a lead whose new revision names another fund (a back-dated policy version) first gives back what it
 *   holds in the fund it used before: a claim is never left in a fund the lead no longer uses.
 */
import {
  type AllocationOutcome,
  type AllocationStep,
  adjust,
  claim,
  isFinal,
  release,
  serve,
} from '#shared/domain/allocation.ts';
import { FundInvariantError } from '#shared/domain/fund.ts';
import { isDuplicateProject } from '#shared/domain/lead-outcome.ts';
import { ConflictError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { FundChange, FundMetrics, FundStore } from '#shared/ports/funds.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { PendingWorkStore } from '#shared/ports/pending-work.ts';
import type { LeadTransition } from '#shared/ports/reviews.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { FundBalanceRecord } from '#shared/schemas/fund.ts';
import type { DecisionFundAsk } from '#shared/schemas/lead-record.ts';
import type { AllocateFundMessage } from '#shared/schemas/messages.ts';

export interface FundDeps {
  readonly funds: FundStore;
  readonly clock: Clock;
  readonly fundMetrics: FundMetrics;
}

export interface AllocateFundDeps extends FundDeps {
  readonly leads: Pick<LeadStore, 'fundAsks' | 'allocationSettled'> & Pick<PendingWorkStore, 'duePending'>;
}

export class DecisionNotFoundError extends Error {
  override readonly name = 'DecisionNotFoundError';
}

/** A decision names a fund nobody has opened: the admin must open it (409, and the queue retries). */
export class FundNotOpenError extends ConflictError {
  override readonly name = 'FundNotOpenError';
  constructor(fundId: string) {
    super('fund_not_open', {
      zh: `基金 ${fundId} 尚未设立，须由政策管理员先行设立。`,
      en: `Fund ${fundId} is not open; the policy admin must open it first.`,
    });
  }
}

export type AllocateFundOutcome = AllocationOutcome | 'already_applied' | 'final' | 'not_eligible';

const MAX_ATTEMPTS = 50;
const SYSTEM = { userId: 'pipeline', role: 'system' } as const;

/**
 * Reserves, waitlists or adjusts the fund for one decision revision of a lead. Idempotent per (lead,
 * revision). Whatever the outcome, the revision's allocation is then applied or final, so its pending mark
 * goes (issue 13); a throw leaves the mark for the reconciler to send it again.
 */
export async function allocateFund(
  deps: AllocateFundDeps,
  message: AllocateFundMessage,
): Promise<AllocateFundOutcome> {
  const outcome = await applyAllocation(deps, message, { olderFirst: true });
  await deps.leads.allocationSettled(message.leadId, message.revision);
  return outcome;
}

/** How many earlier decisions a new claim applies first, at most (the reconciler takes the rest). */
const OLDER_FIRST_LIMIT = 50;

async function applyAllocation(
  deps: AllocateFundDeps,
  message: AllocateFundMessage,
  options: {
    readonly olderFirst: boolean;
    /**
     * Serve the waitlist around the claim (default). Off when `serveWaitlist` itself applies an earlier
     * decision: the claim then only takes its place, and the serving that called it goes on in order.
     */
    readonly serve?: boolean;
  },
): Promise<AllocateFundOutcome> {
  const decisions = await deps.leads.fundAsks(message.leadId);
  const decision = decisions.find((d) => d.revision === message.revision);
  if (decision === undefined) {
    throw new DecisionNotFoundError(`Lead ${message.leadId} has no decision revision ${message.revision}.`);
  }
  await releaseClaimsInOtherFunds(deps, decision, decisions);
  const ask = askOf(decision);
  const { fundId, leadId } = ask;
  let olderDone = !options.olderFirst;

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    // The lead's allocation and the fund's balance in one request. The balance is used while nothing was
    // written since: the claim below is made on it, and its write's conditions refuse the claim if the
    // balance moved meanwhile (the next attempt reads again).
    const read = await deps.funds.allocationAndBalance(fundId, leadId);
    const current = read.allocation;
    let balance = read.balance;
    if (current !== undefined && current.revision >= ask.revision) return 'already_applied';
    if (current !== undefined && isFinal(current)) return 'final';
    if (current === undefined) {
      if (ask.duplicate || ask.capFen === 0) return 'not_eligible';
      // Those decided earlier come first: their allocations (a lost or late message) and the waitlist.
      // Only while the fund has money to take: a claim on an empty fund joins the waitlist at its place in
      // evaluation order, and so do the earlier ones whenever they come; before money goes to the waitlist
      // again, `serveWaitlist` applies the earlier ones still missing. Applying them here on an empty fund
      // made every consumer apply every allocation in flight (issue 18: 2.1 cancelled transactions per
      // lead with five consumers per queue).
      if (!olderDone && (balance?.availableFen ?? 0) > 0) {
        await allocateOlderDecisionsFirst(deps, ask);
        olderDone = true;
        balance = undefined;
      }
      // With the earlier ones applied just now, those before the first lead waiting are too.
      if (options.serve !== false) {
        const serving = await serveWaitlistFrom(deps, fundId, {
          olderFirst: options.olderFirst && !olderDone,
          balance,
        });
        if (serving.wrote) balance = undefined;
      }
    }
    const at = deps.clock.now().toISOString();
    const fund = balance === undefined ? await openFund(deps, fundId) : snapshotOf(balance);
    // Money came back after the look above: the earlier decisions first, then this claim again.
    if (current === undefined && !olderDone && fund.availableFen > 0) continue;
    const step = unlessStale(() =>
      current === undefined ? claim(ask, fund, at) : adjust(current, ask, fund, at),
    );
    if (step === STALE) continue;
    if (step === undefined) return current === undefined ? 'not_eligible' : 'already_applied';
    const action = current === undefined ? actionOf(step) : 'fund.adjusted';
    const result = await deps.funds.apply(
      changeOf(step, at),
      systemAudit(at, action, leadId, {
        fundId,
        revision: ask.revision,
        fromRevision: current?.revision ?? null,
        capFen: ask.capFen,
        ...stepDetails(step),
      }),
    );
    if (!result.applied) continue; // the balance or the record moved under us: read again
    if (options.serve !== false && (step.move?.kind === 'release' || step.waitlist?.kind === 'leave')) {
      await serveWaitlist(deps, fundId, options);
    }
    // Availability changes only when money moves (a waitlist join moves none): the mover reports it.
    if ((step.move?.amountFen ?? 0) > 0) await reportAvailability(deps, fundId);
    return step.outcome;
  }
  throw new Error(`Lead ${leadId}: fund ${fundId} changed under every one of ${MAX_ATTEMPTS} attempts`);
}

/**
 * A decision whose allocation message was lost or is late must not lose its place in the fund to a lead
 * decided after it: before a new claim, the tables' pending allocations of the same fund evaluated earlier
 * are applied, oldest first. One that fails is left to the reconciler (its mark stays), and never blocks
 * this claim.
 */
async function allocateOlderDecisionsFirst(
  deps: AllocateFundDeps,
  ask: Pick<ReturnType<typeof askOf>, 'fundId' | 'leadId' | 'evaluatedAt'>,
  serve = true,
): Promise<void> {
  const older = await deps.leads.duePending('allocation', {
    waitingSinceBefore: ask.evaluatedAt,
    at: deps.clock.now().toISOString(),
    limit: OLDER_FIRST_LIMIT,
    ignoreBackoff: true,
  });
  for (const work of older) {
    if (work.fundId !== ask.fundId || work.leadId === ask.leadId) continue;
    // Most are in flight and applied by their own message meanwhile: one read tells.
    const applied = await deps.funds.allocation(ask.fundId, work.leadId);
    if (applied !== undefined && applied.revision >= work.revision) continue;
    const message = {
      schemaVersion: 1,
      leadId: work.leadId,
      revision: work.revision,
      fundId: ask.fundId,
    } as const;
    try {
      await applyAllocation(deps, message, { olderFirst: false, serve });
      await deps.leads.allocationSettled(work.leadId, work.revision);
    } catch {
      // Its own message or the reconciler will retry it, and report it if it keeps failing.
    }
  }
}

/** What a decision revision asks of its fund. */
export function askOf(decision: DecisionFundAsk) {
  const fund = decision.decision.fund;
  return {
    fundId: fund.fundId,
    leadId: decision.leadId,
    revision: decision.revision,
    capFen: fund.eligible === true ? fund.capFen : 0,
    evaluatedAt: decision.evaluatedAt,
    duplicate: isDuplicateProject(decision),
  };
}

/**
 * Gives available money to the waitlist, oldest evaluation first: each lead gets min(what it waits for,
 * what is available), and serving stops when the fund is empty. Safe to run concurrently and again:
 * every grant is conditional on the allocation still being the waitlisted one read.
 */
export async function serveWaitlist(
  deps: FundDeps,
  fundId: string,
  options: { readonly olderFirst: boolean } = { olderFirst: true },
): Promise<number> {
  return (await serveWaitlistFrom(deps, fundId, options)).served;
}

/**
 * `serveWaitlist`, from a balance the caller has just read (`balance`, used for the first look only), and
 * whether it wrote anything (after a write the caller's balance is out of date).
 */
async function serveWaitlistFrom(
  deps: FundDeps,
  fundId: string,
  options: { readonly olderFirst: boolean; readonly balance?: FundBalanceRecord | undefined },
): Promise<{ served: number; wrote: boolean }> {
  let served = 0;
  let wrote = false;
  let known = options.balance;
  // Where the deps carry the pending work (every production caller's do), decisions made before the first
  // lead waiting whose allocation has not arrived take their place first: a claim on an empty fund joined
  // the waitlist without applying them (applyAllocation).
  let olderPending = options.olderFirst ? withPendingWork(deps) : undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const balance = known ?? (await deps.funds.balance(fundId));
    known = undefined;
    if (balance === undefined || balance.availableFen <= 0) return { served, wrote };
    const [entry] = await deps.funds.waitlist(fundId, 1);
    if (entry === undefined) return { served, wrote };
    wrote = true; // from here on each pass may write (an earlier decision applied, a grant, a drop)
    if (olderPending !== undefined) {
      await allocateOlderDecisionsFirst(
        olderPending,
        { fundId, leadId: entry.leadId, evaluatedAt: entry.evaluatedAt },
        false,
      );
      olderPending = undefined;
      continue;
    }
    const at = deps.clock.now().toISOString();
    const current = await deps.funds.allocation(fundId, entry.leadId);
    const step =
      current?.waitingSince === entry.evaluatedAt
        ? unlessStale(() => serve(current, snapshotOf(balance), at))
        : undefined;
    if (step === STALE) continue;
    if (step === undefined) {
      // An entry without its waitlisted allocation cannot be served: drop it (audited).
      await deps.funds.apply(
        { fundId, at, waitlist: { kind: 'leave', entry } },
        systemAudit(at, 'fund.waitlist_dropped', entry.leadId, { fundId, revision: entry.revision }),
      );
      continue;
    }
    const result = await deps.funds.apply(
      changeOf(step, at),
      systemAudit(at, 'fund.waitlist_served', entry.leadId, {
        fundId,
        revision: step.after.revision,
        wantFen: current?.wantFen ?? 0,
        ...stepDetails(step),
      }),
    );
    if (result.applied) served += 1;
  }
  return { served, wrote };
}

/** The deps as the allocation use case needs them, when they carry the lead store's pending work. */
function withPendingWork(deps: FundDeps): AllocateFundDeps | undefined {
  const leads = (deps as { readonly leads?: Partial<AllocateFundDeps['leads']> }).leads;
  return typeof leads?.duePending === 'function' &&
    typeof leads.fundAsks === 'function' &&
    typeof leads.allocationSettled === 'function'
    ? (deps as AllocateFundDeps)
    : undefined;
}

/**
 * A lead's earlier revisions may have used another fund (a policy version published later, effective
 * back to its submission, names a new one): whatever it still holds or waits for there goes back, audited.
 */
async function releaseClaimsInOtherFunds(
  deps: FundDeps,
  decision: DecisionFundAsk,
  decisions: readonly DecisionFundAsk[],
): Promise<void> {
  const fundId = decision.decision.fund.fundId;
  const others = new Set(
    decisions.filter((d) => d.revision < decision.revision).map((d) => d.decision.fund.fundId),
  );
  others.delete(fundId);
  for (const otherFundId of others) {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await deps.funds.allocation(otherFundId, decision.leadId);
      const balance = await deps.funds.balance(otherFundId);
      if (current === undefined || isFinal(current) || balance === undefined) break;
      const at = deps.clock.now().toISOString();
      const step = unlessStale(() => release(current, current, snapshotOf(balance), at));
      if (step === STALE) continue;
      if (step === undefined) break;
      const result = await deps.funds.apply(
        changeOf(step, at),
        systemAudit(at, 'fund.released_for_other_fund', decision.leadId, {
          fundId: otherFundId,
          toFundId: fundId,
          revision: decision.revision,
          ...stepDetails(step),
        }),
      );
      if (!result.applied) continue;
      await serveWaitlist(deps, otherFundId);
      await reportAvailability(deps, otherFundId);
      break;
    }
  }
}

export const STALE = Symbol('stale');

/**
 * A transition on two reads that no longer agree (the claim moved between reading it and reading the
 * balance) would take more than the balance shows and throws; that only means: read again.
 */
export function unlessStale<T>(transition: () => T): T | typeof STALE {
  try {
    return transition();
  } catch (error) {
    if (error instanceof FundInvariantError) return STALE;
    throw error;
  }
}

export async function reportAvailability(deps: FundDeps, fundId: string): Promise<void> {
  const balance = await deps.funds.balance(fundId);
  if (balance !== undefined) deps.fundMetrics.availability(balance);
}

/** The fund as the transitions read it; a fund nobody opened is a conflict, never a 500. */
export async function openFund(deps: Pick<FundDeps, 'funds'>, fundId: string) {
  const balance = await deps.funds.balance(fundId);
  if (balance === undefined) throw new FundNotOpenError(fundId);
  return snapshotOf(balance);
}

export function snapshotOf(balance: FundBalanceRecord) {
  const { fundId, totalFen, availableFen, reservedFen, committedFen, waitingCount } = balance;
  return { fundId, totalFen, availableFen, reservedFen, committedFen, waitingCount };
}

/** The store's change for a transition, with the lead's review move when finance acts. */
export function changeOf(step: AllocationStep, at: string, lead?: LeadTransition): FundChange {
  return {
    fundId: step.after.fundId,
    at,
    move: step.move,
    guard: step.guard,
    allocation: { before: step.before, after: step.after },
    waitlist: step.waitlist,
    lead,
  };
}

/** What every fund audit entry says of the money moved. */
export function stepDetails(step: AllocationStep | undefined): AuditEntryDraft['details'] {
  return {
    move: step?.move?.kind ?? 'none',
    amountFen: step?.move?.amountFen ?? 0,
    allocation: step?.after.state ?? 'none',
    waitlist: step?.waitlist?.kind ?? 'none',
  };
}

function actionOf(step: AllocationStep): string {
  return step.outcome === 'waitlisted' ? 'fund.waitlisted' : 'fund.reserved';
}

function systemAudit(
  at: string,
  action: string,
  subject: string,
  details: AuditEntryDraft['details'],
): AuditEntryDraft {
  return { at, actor: SYSTEM, action, subject, inputHash: null, policyVersion: null, details };
}
