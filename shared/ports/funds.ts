import type { FundGuard, WaitlistChange } from '#shared/domain/allocation.ts';
import type { FundBalance, FundMove } from '#shared/domain/fund.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { Allocation, FundBalanceRecord, WaitlistEntry } from '#shared/schemas/fund.ts';
import type { LeadTransition } from './reviews.ts';

/**
 * One all-or-nothing change to a fund and what goes with it, as an allocation transition decided it
 * (`shared/domain/allocation.ts`). Each part carries its own condition:
 * - `move`: the balance update, under `available >= amount` (reserve) or `reserved >= amount`
 *   (release, commit), or the fund existing (top-up);
 * - `guard`: what else the balance must show (nobody waiting before money is taken; nothing to take
 *   before a lead joins the waitlist);
 * - `allocation`: the allocation record, created only if absent (`before` undefined) or moved on only from
 *   exactly the record read (`before`: same revision, state and amounts);
 * - `waitlist`: an entry joining (absent before, the waiting count up), updated in place, or leaving (the
 *   count down);
 * - `lead`: see {@link LeadTransition}.
 */
export interface FundChange {
  readonly fundId: string;
  readonly at: string;
  readonly move?: FundMove | undefined;
  readonly guard?: FundGuard | undefined;
  readonly allocation?: { readonly before: Allocation | undefined; readonly after: Allocation } | undefined;
  readonly waitlist?: WaitlistChange | undefined;
  readonly lead?: LeadTransition | undefined;
}

export type FundChangePart = 'balance' | 'allocation' | 'waitlist' | 'lead' | 'review' | 'case_outcome';

export type FundChangeOutcome =
  | { readonly applied: true }
  | { readonly applied: false; readonly failed: readonly FundChangePart[] };

export interface FundStore {
  balance(fundId: string): Promise<FundBalanceRecord | undefined>;
  allocation(fundId: string, leadId: string): Promise<Allocation | undefined>;
  /** Both reads above in one request (read consistently, as each is). */
  allocationAndBalance(
    fundId: string,
    leadId: string,
  ): Promise<{
    readonly allocation: Allocation | undefined;
    readonly balance: FundBalanceRecord | undefined;
  }>;
  /** In order of evaluation (oldest first). */
  waitlist(fundId: string, limit: number): Promise<WaitlistEntry[]>;
  /** Opens a fund with all of its total available; `exists` if a fund with this id is open already. */
  open(
    fund: { fundId: string; totalFen: number; at: string },
    audit: AuditEntryDraft,
  ): Promise<'opened' | 'exists'>;
  apply(change: FundChange, audit: AuditEntryDraft): Promise<FundChangeOutcome>;
}

/** Where the fund availability metric goes (the alarm watches it). */
export interface FundMetrics {
  availability(balance: FundBalance): void;
}

export const noFundMetrics: FundMetrics = { availability: () => undefined };
