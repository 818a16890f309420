import type { FundBalance, FundMove } from '#shared/domain/fund.ts';
import type { Policy } from '#shared/policy/policy-schema.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type {
  Allocation,
  CaseOutcomeRecord,
  FundBalanceRecord,
  ReviewRecord,
  WaitlistEntry,
} from '#shared/schemas/fund.ts';
import type { LeadStatus } from '#shared/schemas/lead-record.ts';

/**
 * A lead's move under finance review, written in the same transaction as the fund change it goes with:
 * the lead's status (only from `fromStatus`, only at `revision`, only when no re-evaluation is pending),
 * its review record (created, or moved on from `before`), and optionally its case outcome (created once).
 */
export interface LeadTransition {
  readonly leadId: string;
  readonly revision: number;
  readonly fromStatus: LeadStatus;
  readonly toStatus: LeadStatus;
  readonly at: string;
  readonly review?: { readonly before: ReviewRecord | undefined; readonly after: ReviewRecord };
  readonly caseOutcome?: CaseOutcomeRecord;
}

/**
 * One all-or-nothing change to a fund and what goes with it. Each part carries its own condition:
 * - `move`: the balance update, under `available >= amount` (reserve) or `reserved >= amount`
 *   (release, commit), or the fund existing (top-up);
 * - `requireNothingAvailable`: the balance must have available = 0 (waitlisting: if money appeared in
 *   the meantime the lead must be served instead);
 * - `allocation`: the allocation record, created only if absent (`before` undefined) or moved on only from
 *   exactly the record read (`before`: same revision, state and amounts);
 * - `waitlist`: an entry added (absent before) or removed;
 * - `lead`: see {@link LeadTransition}.
 */
export interface FundChange {
  readonly fundId: string;
  readonly at: string;
  readonly move?: FundMove;
  readonly requireNothingAvailable?: boolean;
  readonly allocation?: { readonly before: Allocation | undefined; readonly after: Allocation };
  readonly waitlist?: { readonly add?: WaitlistEntry; readonly removeKey?: string };
  readonly lead?: LeadTransition;
}

export type FundChangePart = 'balance' | 'allocation' | 'waitlist' | 'lead' | 'review' | 'case_outcome';

export type FundChangeOutcome =
  | { readonly applied: true }
  | { readonly applied: false; readonly failed: readonly FundChangePart[] };

export interface FundStore {
  balance(fundId: string): Promise<FundBalanceRecord | undefined>;
  allocation(fundId: string, leadId: string): Promise<Allocation | undefined>;
  /** In order of evaluation (oldest first). */
  waitlist(fundId: string, limit: number): Promise<WaitlistEntry[]>;
  /** Opens a fund with all of its total available; `exists` if a fund with this id is open already. */
  open(
    fund: { fundId: string; totalFen: number; at: string },
    audit: AuditEntryDraft,
  ): Promise<'opened' | 'exists'>;
  apply(change: FundChange, audit: AuditEntryDraft): Promise<FundChangeOutcome>;
}

/** Finance's records about a lead, besides its decisions. */
export interface ReviewStore {
  review(leadId: string): Promise<ReviewRecord | undefined>;
  caseOutcome(leadId: string): Promise<CaseOutcomeRecord | undefined>;
  /** A lead move that touches no fund (marking a reward paid). */
  transition(transition: LeadTransition, audit: AuditEntryDraft): Promise<'applied' | 'conflict'>;
}

/** Publishes a policy version together with its audit entry; an existing version is never touched. */
export interface PolicyPublisher {
  publishAudited(policy: Policy, audit: AuditEntryDraft): Promise<'published' | 'version_exists'>;
}

/** Where the fund availability metric goes (the alarm watches it). */
export interface FundMetrics {
  availability(balance: FundBalance): void;
}

export const noFundMetrics: FundMetrics = { availability: () => undefined };

/** Sort key of a waitlist entry: oldest evaluation first, the lead id breaking ties. */
export function waitKeyOf(entry: Pick<WaitlistEntry, 'evaluatedAt' | 'leadId'>): string {
  return `WAIT#${entry.evaluatedAt}#${entry.leadId}`;
}
