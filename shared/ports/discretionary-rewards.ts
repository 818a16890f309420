import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { DiscretionaryRewardRecord, DiscretionaryTotals } from '#shared/schemas/discretionary-reward.ts';
import type { NoticeRecord } from '#shared/schemas/notice.ts';
import type { OffsetSettlement } from './clawbacks.ts';

/** A counter moved on only from the version read (undefined: none yet). */
export interface CounterMove {
  readonly before: DiscretionaryTotals | undefined;
  readonly after: DiscretionaryTotals;
}

/** A record moved on only from the version read. */
export interface DiscretionaryMove {
  readonly before: DiscretionaryRewardRecord;
  readonly after: DiscretionaryRewardRecord;
}

/** Rewards by decision (issue 20) beside their lead, with the lead's and the year's counters. */
export interface DiscretionaryRewardStore {
  rewards(leadId: string): Promise<DiscretionaryRewardRecord[]>;
  leadTotals(leadId: string): Promise<DiscretionaryTotals | undefined>;
  yearTotals(year: number): Promise<DiscretionaryTotals | undefined>;
  /** Every reward proposed in a year, oldest first. */
  ofYear(year: number): Promise<DiscretionaryRewardRecord[]>;
  /** `conflict`: a counter moved meanwhile, or the id exists (a retry). */
  propose(
    record: DiscretionaryRewardRecord,
    counters: { readonly lead: CounterMove; readonly year: CounterMove },
    audit: AuditEntryDraft,
  ): Promise<'proposed' | 'conflict'>;
  /** A sign-off; the last one approves and opens the notice (and spends from the fund when asked). */
  signOff(
    move: DiscretionaryMove,
    with_: {
      readonly notice?: NoticeRecord;
      readonly spend?: { readonly fundId: string; readonly amountFen: number };
    },
    audit: AuditEntryDraft,
  ): Promise<'signed' | 'conflict'>;
  /** A rejection gives the amount back to both counters. */
  reject(
    move: DiscretionaryMove,
    counters: { readonly lead: CounterMove; readonly year: CounterMove },
    audit: AuditEntryDraft,
  ): Promise<'rejected' | 'conflict'>;
  /** The payment: once, only after the notice ended clean when there is one (checked in the transaction). */
  pay(
    move: DiscretionaryMove,
    with_: { readonly noticeClear: boolean; readonly offsets: readonly OffsetSettlement[] },
    audit: AuditEntryDraft,
  ): Promise<'paid' | 'conflict'>;
}
