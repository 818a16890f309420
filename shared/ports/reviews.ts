import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { CaseOutcomeRecord, ReviewRecord } from '#shared/schemas/fund.ts';
import type { LeadStatus } from '#shared/schemas/lead-record.ts';
import type { NoticeRecord } from '#shared/schemas/notice.ts';
import type { OffsetSettlement } from './clawbacks.ts';

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
  /** The public notice the approval opens (issue 17, part 4), created once. */
  readonly notice?: NoticeRecord;
  /** Marking paid: only if the lead's notice has ended by `at` with no objection open or upheld. */
  readonly noticeClear?: boolean;
  /** Offsets of the introducer's clawbacks deducted from this payment (issue 17, part 6). */
  readonly offsets?: readonly OffsetSettlement[];
}

/** Finance's records about a lead, besides its decisions. */
export interface ReviewStore {
  review(leadId: string): Promise<ReviewRecord | undefined>;
  caseOutcome(leadId: string): Promise<CaseOutcomeRecord | undefined>;
  /** A lead move that touches no fund (marking a reward paid). */
  transition(transition: LeadTransition, audit: AuditEntryDraft): Promise<'applied' | 'conflict'>;
}

/** Many leads' review records at once (the payment list reads a page of leads, then their reviews). */
export interface ReviewBatch {
  /** The review of each lead that has one, by lead id; at most 100 leads per call. */
  reviewsOf(leadIds: readonly string[]): Promise<ReadonlyMap<string, ReviewRecord>>;
}
