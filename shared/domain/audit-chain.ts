import { hashCanonical } from '#shared/domain/canonical-json.ts';
import type { AuditEntry, AuditEntryDraft, ChainHead } from '#shared/schemas/audit-entry.ts';

/** The link before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export function emptyHead(chain: string): ChainHead {
  return { chain, seq: 0, hash: GENESIS_HASH };
}

/** SHA-256 over the canonical JSON of every field but the hash itself. */
export function hashOfEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return hashCanonical(entry);
}

/** The next entry after `head`: its sequence number, its link to the head and its own hash. */
export function sealEntry(draft: AuditEntryDraft, head: ChainHead): AuditEntry {
  const unsealed = { ...draft, chain: head.chain, seq: head.seq + 1, prevHash: head.hash };
  return { ...unsealed, hash: hashOfEntry(unsealed) };
}

export type ChainBreak =
  | 'gap'
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'index_mismatch'
  | 'head_mismatch'
  | 'digest_mismatch'
  /** A global digest whose Merkle root does not match the chain heads it names. */
  | 'root_mismatch';

export type ChainVerification =
  | { readonly ok: true; readonly checked: number; readonly head: ChainHead }
  | {
      readonly ok: false;
      readonly checked: number;
      readonly firstBrokenSeq: number;
      readonly reason: ChainBreak;
      readonly detail: string;
      /** For `index_mismatch`: the stored attributes that disagree with the entry's hashed content. */
      readonly attributes?: readonly string[];
    };

/**
 * Walks entries in sequence order, checking each one's own hash, its link to the one before and the
 * store's copies of its fields (what indexes and queries select on), and then the head record (which
 * catches entries removed from the end). Stateful so it can be fed page by page without holding the
 * whole trail in memory.
 */
export class ChainVerifier {
  readonly #chain: string;
  #previous: ChainHead;
  #checked = 0;
  #broken: Extract<ChainVerification, { ok: false }> | undefined;

  constructor(chain: string) {
    this.#chain = chain;
    this.#previous = emptyHead(chain);
  }

  /**
   * Feeds the next entry; returns false once the chain is known to be broken. `mismatchedAttributes`
   * names the attributes the store keeps beside the hashed content (for its indexes and queries) that
   * do not say what the hashed content says: the hash cannot cover them, so they are checked here.
   */
  accept(entry: AuditEntry, mismatchedAttributes: readonly string[] = []): boolean {
    if (this.#broken !== undefined) return false;
    const expectedSeq = this.#previous.seq + 1;
    const { hash, ...unsealed } = entry;
    if (entry.seq !== expectedSeq) {
      return this.#fail(expectedSeq, 'gap', `expected entry ${expectedSeq}, found ${entry.seq}`);
    }
    if (hashOfEntry(unsealed) !== hash) {
      return this.#fail(entry.seq, 'hash_mismatch', 'the entry does not match its own hash');
    }
    if (entry.prevHash !== this.#previous.hash) {
      return this.#fail(entry.seq, 'prev_hash_mismatch', 'the entry does not link to the entry before it');
    }
    if (mismatchedAttributes.length > 0) {
      const names = mismatchedAttributes.join(', ');
      const detail = `the stored ${names}, which indexes and queries select on, differs from the entry's hashed content`;
      return this.#fail(entry.seq, 'index_mismatch', detail, mismatchedAttributes);
    }
    this.#previous = { chain: this.#chain, seq: entry.seq, hash };
    this.#checked += 1;
    return true;
  }

  /** Closes the walk against the stored head and, when an auditor kept one, a digest from outside. */
  finish(
    storedHead: ChainHead | undefined,
    keptDigest?: ChainHead,
    hashAtDigestSeq?: string,
  ): ChainVerification {
    const head = storedHead ?? emptyHead(this.#chain);
    if (
      this.#broken === undefined &&
      (head.seq !== this.#previous.seq || head.hash !== this.#previous.hash)
    ) {
      // Entries removed from the end leave the head pointing past the last entry found.
      const detail = `the head record says ${head.seq} entries, the trail holds ${this.#previous.seq}`;
      this.#fail(this.#previous.seq + 1, 'head_mismatch', detail);
    }
    if (this.#broken === undefined && keptDigest !== undefined) {
      if (keptDigest.seq > head.seq) {
        const detail = `the kept digest is at ${keptDigest.seq}, the trail ends at ${head.seq}`;
        this.#fail(head.seq + 1, 'digest_mismatch', detail);
      } else if (hashAtDigestSeq !== keptDigest.hash) {
        this.#fail(keptDigest.seq, 'digest_mismatch', 'the entry at the kept digest has another hash');
      }
    }
    return this.#broken ?? { ok: true, checked: this.#checked, head };
  }

  #fail(seq: number, reason: ChainBreak, detail: string, attributes?: readonly string[]): false {
    this.#broken = {
      ok: false,
      checked: this.#checked,
      firstBrokenSeq: seq,
      reason,
      detail,
      ...(attributes === undefined ? {} : { attributes: [...attributes] }),
    };
    return false;
  }
}
