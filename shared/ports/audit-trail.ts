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

/**
 * An entry read back as stored: its hashed content, and the names of the attributes the store keeps
 * beside it for its keys, indexes and query filters (the actor behind `GET /audit?actor=`, say) that
 * do not say what the hashed content says. The hash cannot vouch for those copies; verification does.
 */
export interface StoredAuditEntry {
  readonly entry: AuditEntry;
  /** Empty when every stored copy agrees with the hashed content. */
  readonly mismatchedAttributes: readonly string[];
}

/** The append-only, hash-chained trail. Entries are never changed or removed by the application. */
export interface AuditTrail {
  append(draft: AuditEntryDraft): Promise<AuditEntry>;
  head(): Promise<ChainHead>;
  /** Newest first. */
  query(query: AuditQuery): Promise<AuditPage>;
  /** Every entry in sequence order, page by page, as stored (unparsed fields are reported as broken). */
  walk(): AsyncIterable<StoredAuditEntry>;
  entryAt(seq: number): Promise<AuditEntry | undefined>;
}
