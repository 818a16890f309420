import type { AuditDigestRecord } from '#shared/domain/audit-digest.ts';
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

/**
 * The append-only trail of hash chains (one, or several shards chosen by each entry's subject; issue 18).
 * Entries are never changed or removed by the application. Methods that take a `chain` default to the
 * first chain (the only one without shards, the one written before sharding with them).
 */
export interface AuditTrail {
  append(draft: AuditEntryDraft): Promise<AuditEntry>;
  head(chain?: string): Promise<ChainHead>;
  /** Newest first, across every chain. */
  query(query: AuditQuery): Promise<AuditPage>;
  /** Every entry of a chain in sequence order, page by page, as stored (unparsed fields are reported as broken). */
  walk(chain?: string): AsyncIterable<StoredAuditEntry>;
  entryAt(seq: number, chain?: string): Promise<AuditEntry | undefined>;
}

/** The chains of a trail and its chain of global digests (shared/domain/audit-digest.ts). */
export interface AuditChains {
  /** Every chain, the one written before sharding first. */
  readonly chains: readonly string[];
  readonly digestChain: string;
  /** The chain whose head an auditor keeps by default: the digest chain with shards, else the one chain. */
  readonly keptChain: string;
  storedHead(chain?: string): Promise<ChainHead | undefined>;
  storedDigestHead(): Promise<{ seq: number; hash: string } | undefined>;
  digestAt(seq: number): Promise<AuditDigestRecord | undefined>;
  walkDigests(): AsyncIterable<AuditDigestRecord>;
  /** Appends the digest after the stored head; throws when another run took its sequence number. */
  appendDigest(record: AuditDigestRecord): Promise<void>;
}

/**
 * Where each global digest is also kept outside the table: in the cloud an S3 bucket with Object Lock
 * in compliance mode (nobody, not even the account's administrators, can change or delete it before its
 * retention ends); locally a file under the data dir.
 */
export interface DigestArchive {
  has(seq: number): Promise<boolean>;
  put(record: AuditDigestRecord): Promise<void>;
}
