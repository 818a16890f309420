import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { ClawbackRecord, OpenOffset, RecoveryTotals } from '#shared/schemas/clawback.ts';

/** A record moved on only from exactly the one read (its state and what it has received). */
export interface ClawbackMove {
  readonly before: ClawbackRecord;
  readonly after: ClawbackRecord;
}

/** The lead's totals moved on only from the version read (undefined: none yet). */
export interface TotalsMove {
  readonly before: RecoveryTotals | undefined;
  readonly after: RecoveryTotals;
}

/**
 * One offset deducted from a payment: the introducer's open offset moved down from what was read, its
 * clawback's received amount moved up, and the money back in the fund, all in the payment's transaction.
 */
export interface OffsetSettlement {
  readonly introducerKey: string;
  readonly offset: OpenOffset;
  readonly amountFen: number;
  readonly clawback: ClawbackMove;
}

/** The clawbacks of rewards paid (issue 17, part 6), beside their lead. */
export interface ClawbackStore {
  clawbacks(leadId: string): Promise<ClawbackRecord[]>;
  /** The lead's referral reward's totals, or a reward by decision's (issue 20). */
  totals(leadId: string, rewardId?: string): Promise<RecoveryTotals | undefined>;
  /** Many leads' totals at once (the payment list); at most 100 leads per call. */
  totalsOf(leadIds: readonly string[]): Promise<ReadonlyMap<string, RecoveryTotals>>;
  /** `conflict`: the totals moved meanwhile (another proposal or decision): read again. */
  propose(
    record: ClawbackRecord,
    totals: TotalsMove,
    audit: AuditEntryDraft,
  ): Promise<'proposed' | 'conflict'>;
  /**
   * An approval or rejection; an approved offset also opens under `offsetFor` (the introducer's keyed
   * pseudonym). `conflict`: decided meanwhile.
   */
  decide(
    move: ClawbackMove,
    totals: TotalsMove,
    offsetFor: { readonly introducerKey: string; readonly offset: OpenOffset } | undefined,
    audit: AuditEntryDraft,
  ): Promise<'decided' | 'conflict'>;
  /** A refund received: the record recovered and the money a top-up of its fund. `conflict`: meanwhile. */
  receiveRefund(move: ClawbackMove, audit: AuditEntryDraft): Promise<'received' | 'conflict'>;
  /** The introducer's offsets still to deduct. */
  openOffsets(introducerKey: string): Promise<OpenOffset[]>;
}
