import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { NoticeRecord, ObjectionRecord, ResolutionRecord } from '#shared/schemas/notice.ts';

/**
 * Public notices (issue 17, part 4). A notice is written by the approval's own transaction (see
 * `LeadTransition.notice`); objections and resolutions are entries, never edits, each with its audit entry
 * and the notice's counters in one transaction, which the pay transition checks (`LeadTransition.noticeClear`).
 */
export interface NoticeStore {
  /** The lead's referral-reward notice, or with `rewardId` the notice of that discretionary reward (issue 20). */
  notice(leadId: string, rewardId?: string): Promise<NoticeRecord | undefined>;
  /** The objections and resolutions of the lead's notices (of the one `noticeId` names), in the order recorded. */
  objections(
    leadId: string,
    noticeId?: string,
  ): Promise<{ objections: ObjectionRecord[]; resolutions: ResolutionRecord[] }>;
  /**
   * Records an objection: only while the reward is approved and not yet paid. `exists`: an objection with
   * this id is on record already (a retry); `closed`: the reward is paid (or the notice is gone).
   */
  recordObjection(record: ObjectionRecord, audit: AuditEntryDraft): Promise<'recorded' | 'exists' | 'closed'>;
  /** Records the one resolution of an objection; `exists`: it was resolved already. */
  resolveObjection(record: ResolutionRecord, audit: AuditEntryDraft): Promise<'resolved' | 'exists'>;
  /** Notices newest first, `limit` at a time (the public list). */
  page(query: { readonly limit: number; readonly cursor?: string | undefined }): Promise<{
    notices: NoticeRecord[];
    nextCursor: string | null;
  }>;
}
