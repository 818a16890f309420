import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { ReviewRecord } from '#shared/schemas/fund.ts';
import type { StageRecord } from '#shared/schemas/stage.ts';
import type { OffsetSettlement } from './clawbacks.ts';
import type { LeadTransition } from './reviews.ts';

/** The payment of one stage, written in one transaction with its audit entry (issue 17, part 5). */
export interface StagePayment {
  /** The stage moved from APPROVED to PAID (only if still APPROVED: never paid twice). */
  readonly paid: StageRecord;
  /** The stage before it, which must be PAID already (undefined for the first). */
  readonly previousStage?: number;
  /** The notice's end and objections are checked inside the transaction (the approval opened one). */
  readonly noticeClear: boolean;
  /** Not the last stage: the review's paid-so-far moves from `before` to `after` (only while APPROVED). */
  readonly paidSoFar?: { readonly review: ReviewRecord; readonly before: number; readonly after: number };
  /** The last stage: the lead and its review move to PAID. */
  readonly final?: LeadTransition;
  /** Not the last stage: offsets deducted from this stage's payment (the last carries them in `final`). */
  readonly offsets?: readonly OffsetSettlement[];
}

/** The stage records of a staged payment, beside the lead. */
export interface StageStore {
  /** Every stage record of a lead, by stage number. */
  stages(leadId: string): Promise<StageRecord[]>;
  /** `exists`: the stage was approved already; `closed`: the reward is no longer approved (paid). */
  approveStage(record: StageRecord, audit: AuditEntryDraft): Promise<'approved' | 'exists' | 'closed'>;
  /** `conflict`: the stage was paid meanwhile, the previous one is unpaid, or the notice holds it. */
  payStage(payment: StagePayment, audit: AuditEntryDraft): Promise<'paid' | 'conflict'>;
}
