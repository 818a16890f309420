/**
 * A lead's claim on a fund and every way it changes, as pure functions: each takes the allocation as read,
 * the fund as read and the time, and returns the allocation after, the fund move, the waitlist change and
 * the guard the store must re-check atomically (the balance may have moved since it was read). The use
 * cases only orchestrate (read, call one transition, write what it decided); the DynamoDB adapter turns a
 * step into one transaction.
 *
 * The rules, in one place:
 * - a first claim takes min(cap, available) when nobody waits; the partial grant stands for that revision.
 *   With nothing available, or others waiting, it joins the waitlist (no overtaking);
 * - a new revision moves the claim to its new cap: a lower cap releases the difference; a higher one takes
 *   more only when nobody waits, otherwise it waits for the difference (holding what it has). A waiting
 *   claim keeps its place while its cap changes; driven to 0, waiting or not, it keeps its record (state
 *   `reserved`, 0 held) and can grow again with a later revision;
 * - serving gives the head of the waitlist min(want, available), oldest first;
 * - a negotiated (one-case-one-policy) amount replaces the cap for good;
 * - approval commits what is held; rejection (or a move to another fund) releases it; both are final;
 * - a duplicate project never holds money.
 */
import type { LocalText } from '#shared/errors.ts';
import type { Allocation, WaitlistEntry } from '#shared/schemas/fund.ts';
import { applyMove, type FundBalance, type FundMove } from './fund.ts';
import { formatFen } from './money.ts';

/** The fund as a transition needs it: the balance and how many leads wait. */
export interface FundSnapshot extends FundBalance {
  readonly waitingCount: number;
}

/** What a decision revision asks of the fund. */
export interface AllocationAsk {
  readonly fundId: string;
  readonly leadId: string;
  readonly revision: number;
  /** The decision's fund cap; 0 when not fund-eligible. */
  readonly capFen: number;
  /** When the decision was made: the place in the waitlist if it has to wait. */
  readonly evaluatedAt: string;
  /** A duplicate project (撞单) never holds money, whatever its cap. */
  readonly duplicate: boolean;
}

/** A change to the waitlist: join (a new place), move (same place, new want or revision), leave. */
export type WaitlistChange =
  | { readonly kind: 'join'; readonly entry: WaitlistEntry }
  | { readonly kind: 'update'; readonly entry: WaitlistEntry }
  | { readonly kind: 'leave'; readonly entry: Pick<WaitlistEntry, 'leadId' | 'evaluatedAt'> };

/**
 * What the store re-checks on the balance in the same transaction:
 * - `take_if_waiting_at_most`: money is taken from available only while at most `waiting` leads wait (0,
 *   or 1 when the taker itself is the one waiting and leaves the waitlist in the same step);
 * - `join_if_nothing_to_take`: a lead joins the waitlist only while nothing is available or others wait
 *   (money that appeared in the meantime must be taken instead).
 */
export type FundGuard =
  | { readonly kind: 'take_if_waiting_at_most'; readonly waiting: number }
  | { readonly kind: 'join_if_nothing_to_take' };

export type AllocationOutcome =
  | 'reserved'
  | 'partially_reserved'
  | 'waitlisted'
  | 'adjusted'
  | 'served'
  | 'negotiated'
  | 'committed'
  | 'released';

export interface AllocationStep {
  readonly outcome: AllocationOutcome;
  readonly before: Allocation | undefined;
  readonly after: Allocation;
  readonly move: FundMove | undefined;
  readonly waitlist: WaitlistChange | undefined;
  readonly guard: FundGuard | undefined;
}

/** Why a requested change cannot be made; the use case turns it into a problem for the caller. */
export interface AllocationRefusal {
  readonly refused: 'duplicate_project' | 'allocation_final' | 'fund_insufficient';
  readonly message: LocalText;
}

export function isFinal(allocation: Allocation): boolean {
  return allocation.state === 'committed' || allocation.state === 'released';
}

/** What the lead holds of the fund: reserved for it or committed to it. */
export function heldFen(allocation: Allocation | undefined): number {
  return allocation === undefined ? 0 : allocation.reservedFen + allocation.committedFen;
}

/** The first claim of a lead on a fund; undefined when it asks for nothing. */
export function claim(ask: AllocationAsk, fund: FundSnapshot, at: string): AllocationStep | undefined {
  const capFen = ask.duplicate ? 0 : ask.capFen;
  if (capFen === 0) return undefined;
  const fresh = emptyClaim(ask, 'reserved', capFen, at);
  if (mayTake(fund, 0)) {
    const amount = Math.min(capFen, fund.availableFen);
    return step(amount === capFen ? 'reserved' : 'partially_reserved', undefined, fund, {
      after: { ...fresh, reservedFen: amount },
      move: { kind: 'reserve', amountFen: amount },
      guard: { kind: 'take_if_waiting_at_most', waiting: 0 },
    });
  }
  return joinWaitlist('waitlisted', undefined, fresh, capFen, ask.evaluatedAt, fund);
}

/**
 * A later decision revision of a lead that already has a claim; undefined when that claim is final or
 * already reflects this revision (a redelivery).
 */
export function adjust(
  current: Allocation,
  ask: AllocationAsk,
  fund: FundSnapshot,
  at: string,
): AllocationStep | undefined {
  if (isFinal(current) || current.revision >= ask.revision) return undefined;
  // A negotiated amount is final: later revisions only move the revision on.
  const capFen = current.negotiated ? current.capFen : ask.duplicate ? 0 : ask.capFen;
  const moved: Allocation = { ...current, revision: ask.revision, capFen, updatedAt: at };
  const held = current.reservedFen;
  if (capFen <= held) {
    return step('adjusted', current, fund, {
      after: { ...moved, state: 'reserved', reservedFen: capFen, wantFen: 0, waitingSince: null },
      move: held > capFen ? { kind: 'release', amountFen: held - capFen } : undefined,
      waitlist: leaving(current),
    });
  }
  const extra = capFen - held;
  if (current.state === 'waitlisted' && current.waitingSince !== null) {
    // Keeps its place; waits for the new difference.
    const after: Allocation = { ...moved, wantFen: extra };
    return step('adjusted', current, fund, {
      after,
      waitlist: { kind: 'update', entry: entryOf(after, current.waitingSince) },
    });
  }
  if (mayTake(fund, 0)) {
    const amount = Math.min(extra, fund.availableFen);
    return step('adjusted', current, fund, {
      after: { ...moved, reservedFen: held + amount },
      move: { kind: 'reserve', amountFen: amount },
      guard: { kind: 'take_if_waiting_at_most', waiting: 0 },
    });
  }
  return joinWaitlist('adjusted', current, moved, extra, ask.evaluatedAt, fund);
}

/** The head of the waitlist gets min(what it waits for, what is available); undefined if it cannot. */
export function serve(current: Allocation, fund: FundSnapshot, at: string): AllocationStep | undefined {
  if (current.state !== 'waitlisted' || current.waitingSince === null || fund.availableFen <= 0) {
    return undefined;
  }
  const amount = Math.min(current.wantFen, fund.availableFen);
  return step('served', current, fund, {
    after: {
      ...current,
      state: 'reserved',
      reservedFen: current.reservedFen + amount,
      wantFen: 0,
      waitingSince: null,
      updatedAt: at,
    },
    move: amount > 0 ? { kind: 'reserve', amountFen: amount } : undefined,
    waitlist: leaving(current),
  });
}

/** Finance approval: what is held becomes committed, and the lead leaves the waitlist. */
export function commit(current: Allocation | undefined, fund: FundSnapshot, at: string) {
  if (current === undefined || isFinal(current)) return undefined;
  const amount = current.reservedFen;
  return step('committed', current, fund, {
    after: {
      ...current,
      state: 'committed',
      reservedFen: 0,
      committedFen: amount,
      wantFen: 0,
      waitingSince: null,
      updatedAt: at,
    },
    move: amount > 0 ? { kind: 'commit', amountFen: amount } : undefined,
    waitlist: leaving(current),
  });
}

/**
 * Rejection, or the lead moving to another fund: everything held goes back and the claim is final. With no
 * claim yet, a released record is made anyway, so an allocation message still in flight reserves nothing.
 */
export function release(
  current: Allocation | undefined,
  lead: { readonly fundId: string; readonly leadId: string; readonly revision: number },
  fund: FundSnapshot,
  at: string,
): AllocationStep | undefined {
  if (current !== undefined && isFinal(current)) return undefined;
  const base = current ?? emptyClaim(lead, 'released', 0, at);
  const amount = current?.reservedFen ?? 0;
  return step('released', current, fund, {
    after: {
      ...base,
      state: 'released',
      revision: Math.max(base.revision, lead.revision),
      reservedFen: 0,
      wantFen: 0,
      waitingSince: null,
      updatedAt: at,
    },
    move: amount > 0 ? { kind: 'release', amountFen: amount } : undefined,
    waitlist: leaving(current),
  });
}

/**
 * A one-case-one-policy outcome fixes the lead's fund amount: the difference is released or taken from
 * what is available (only while nobody else waits), and later revisions no longer change it.
 */
export function negotiate(
  current: Allocation | undefined,
  terms: {
    readonly fundId: string;
    readonly leadId: string;
    readonly revision: number;
    readonly fundFen: number;
    readonly duplicate: boolean;
  },
  fund: FundSnapshot,
  at: string,
): AllocationStep | AllocationRefusal {
  if (terms.duplicate && terms.fundFen > 0) {
    return {
      refused: 'duplicate_project',
      message: {
        zh: `线索 ${terms.leadId} 与已登记项目重复（撞单）：不能占用基金的任何金额。`,
        en: `Lead ${terms.leadId} is a duplicate of a project already registered: it can hold nothing of the fund.`,
      },
    };
  }
  if (current !== undefined && isFinal(current)) {
    return {
      refused: 'allocation_final',
      message: {
        zh: `线索 ${terms.leadId} 的基金分配已是最终结果。`,
        en: `The fund allocation of lead ${terms.leadId} is final.`,
      },
    };
  }
  const held = current?.reservedFen ?? 0;
  const extra = terms.fundFen - held;
  const selfWaiting = current?.state === 'waitlisted' ? 1 : 0;
  if (extra > 0 && !mayTake(fund, selfWaiting)) {
    return {
      refused: 'fund_insufficient',
      message: {
        zh: `基金 ${terms.fundId} 可用余额 ${formatFen(fund.availableFen)}，另有 ${fund.waitingCount - selfWaiting} 条线索在排队：本线索最多只能获得其已占用的 ${formatFen(held)}。`,
        en: `Fund ${terms.fundId} has ${fund.availableFen} fen available and ${fund.waitingCount - selfWaiting} other lead(s) waiting: it can give this lead at most the ${held} fen it holds.`,
      },
    };
  }
  if (extra > fund.availableFen) {
    return {
      refused: 'fund_insufficient',
      message: {
        zh: `基金 ${terms.fundId} 最多能给予本线索 ${formatFen(held + fund.availableFen)}（可用 ${formatFen(fund.availableFen)}，已为其占用 ${formatFen(held)}）。`,
        en: `Fund ${terms.fundId} can give this lead at most ${held + fund.availableFen} fen (${fund.availableFen} available, ${held} already held for it).`,
      },
    };
  }
  const after: Allocation = {
    fundId: terms.fundId,
    leadId: terms.leadId,
    state: 'reserved',
    revision: Math.max(current?.revision ?? 0, terms.revision),
    capFen: terms.fundFen,
    reservedFen: terms.fundFen,
    committedFen: 0,
    wantFen: 0,
    waitingSince: null,
    negotiated: true,
    updatedAt: at,
  };
  return step('negotiated', current, fund, {
    after,
    move:
      extra > 0
        ? { kind: 'reserve', amountFen: extra }
        : extra < 0
          ? { kind: 'release', amountFen: -extra }
          : undefined,
    waitlist: leaving(current),
    guard: extra > 0 ? { kind: 'take_if_waiting_at_most', waiting: selfWaiting } : undefined,
  });
}

export function isRefusal(result: AllocationStep | AllocationRefusal): result is AllocationRefusal {
  return 'refused' in result;
}

/** The waitlist entry of a waiting allocation. */
export function entryOf(allocation: Allocation, since: string): WaitlistEntry {
  return {
    leadId: allocation.leadId,
    revision: allocation.revision,
    wantFen: allocation.wantFen,
    evaluatedAt: since,
  };
}

/** A claim holding and wanting nothing yet. */
function emptyClaim(
  lead: { readonly fundId: string; readonly leadId: string; readonly revision: number },
  state: Allocation['state'],
  capFen: number,
  at: string,
): Allocation {
  const { fundId, leadId, revision } = lead;
  return {
    fundId,
    leadId,
    state,
    revision,
    capFen,
    reservedFen: 0,
    committedFen: 0,
    wantFen: 0,
    waitingSince: null,
    negotiated: false,
    updatedAt: at,
  };
}

/** Whether money may be taken from available: some is there and nobody (but `self`) waits for it. */
function mayTake(fund: FundSnapshot, self: number): boolean {
  return fund.availableFen > 0 && fund.waitingCount <= self;
}

function leaving(current: Allocation | undefined): WaitlistChange | undefined {
  return current?.state === 'waitlisted' && current.waitingSince !== null
    ? { kind: 'leave', entry: { leadId: current.leadId, evaluatedAt: current.waitingSince } }
    : undefined;
}

function joinWaitlist(
  outcome: AllocationOutcome,
  before: Allocation | undefined,
  base: Allocation,
  wantFen: number,
  since: string,
  fund: FundSnapshot,
): AllocationStep {
  const after: Allocation = { ...base, state: 'waitlisted', wantFen, waitingSince: since };
  return step(outcome, before, fund, {
    after,
    waitlist: { kind: 'join', entry: entryOf(after, since) },
    guard: { kind: 'join_if_nothing_to_take' },
  });
}

function step(
  outcome: AllocationOutcome,
  before: Allocation | undefined,
  fund: FundSnapshot,
  parts: {
    after: Allocation;
    move?: FundMove | undefined;
    waitlist?: WaitlistChange | undefined;
    guard?: FundGuard | undefined;
  },
): AllocationStep {
  const move = parts.move !== undefined && parts.move.amountFen > 0 ? parts.move : undefined;
  // A step never takes more than the fund read shows; reads that no longer agree throw (the caller reads again).
  if (move !== undefined) applyMove(fund, move);
  return { outcome, before, after: parts.after, move, waitlist: parts.waitlist, guard: parts.guard };
}
