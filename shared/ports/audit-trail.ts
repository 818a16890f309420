import type { AuditEntry, AuditEntryDraft, ChainHead } from '#shared/schemas/audit-entry.ts';

export interface AuditQuery {
  readonly subject?: string;
  readonly actor?: string;
  readonly action?: string;
  /** ISO instants, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly cursor?: string;
  readonly limit: number;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly nextCursor: string | null;
}

/** The append-only, hash-chained trail. Entries are never changed or removed by the application. */
export interface AuditTrail {
  append(draft: AuditEntryDraft): Promise<AuditEntry>;
  head(): Promise<ChainHead>;
  /** Newest first. */
  query(query: AuditQuery): Promise<AuditPage>;
  /** Every entry in sequence order, page by page, as stored (unparsed fields are reported as broken). */
  walk(): AsyncIterable<AuditEntry>;
  entryAt(seq: number): Promise<AuditEntry | undefined>;
}
