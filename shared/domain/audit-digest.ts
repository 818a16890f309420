import { canonicalJson, hashCanonical } from '#shared/domain/canonical-json.ts';
import type { ChainHead } from '#shared/schemas/audit-entry.ts';
import { GENESIS_HASH } from './audit-chain.ts';
import { merkleRoot } from './merkle.ts';

/**
 * One global digest (issue 18): the head of every audit chain at one moment, their Merkle root, and a
 * link to the digest before, so the digests form a hash chain of their own. An auditor (or the Object
 * Lock bucket) keeps a digest's `seq` and `hash`; every entry of every chain up to the heads it names is
 * then fixed by it.
 */
export interface AuditDigestRecord {
  readonly seq: number;
  readonly prevHash: string;
  /** When the heads were read (ISO instant). */
  readonly at: string;
  /** Each chain's head, sorted by chain name; a chain without entries is left out. */
  readonly heads: readonly ChainHead[];
  /** RFC 6962 Merkle root over the canonical JSON of each head, in that order. */
  readonly root: string;
  /** SHA-256 over the canonical JSON of every field above. */
  readonly hash: string;
}

/** The Merkle root of chain heads: leaves are `{chain, seq, hash}` in canonical JSON, sorted by chain. */
export function rootOfHeads(heads: readonly ChainHead[]): string {
  const sorted = sortHeads(heads);
  return merkleRoot(sorted.map(({ chain, seq, hash }) => Buffer.from(canonicalJson({ chain, seq, hash }))));
}

export function sortHeads(heads: readonly ChainHead[]): ChainHead[] {
  return heads
    .filter((head) => head.seq > 0)
    .map(({ chain, seq, hash }) => ({ chain, seq, hash }))
    .sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
}

/** The digest after `previous` (undefined for the first) over `heads`. */
export function sealDigest(
  heads: readonly ChainHead[],
  at: string,
  previous: { readonly seq: number; readonly hash: string } | undefined,
): AuditDigestRecord {
  const sorted = sortHeads(heads);
  const unsealed = {
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
    at,
    heads: sorted,
    root: rootOfHeads(sorted),
  };
  return { ...unsealed, hash: hashCanonical(unsealed) };
}

/** Whether a new digest would say anything the previous one does not (the same heads: no). */
export function headsMoved(previous: AuditDigestRecord | undefined, heads: readonly ChainHead[]): boolean {
  return previous === undefined ? sortHeads(heads).length > 0 : previous.root !== rootOfHeads(heads);
}

export type DigestBreak = 'gap' | 'hash_mismatch' | 'prev_hash_mismatch' | 'root_mismatch' | 'head_mismatch';

/**
 * Checks one digest record against the one before it: its sequence, its link, its root over the heads it
 * names, its own hash, and that no chain's head went back. Returns what is wrong, or undefined.
 */
export function digestBreakOf(
  record: AuditDigestRecord,
  previous: AuditDigestRecord | undefined,
): { reason: DigestBreak; detail: string } | undefined {
  const expectedSeq = (previous?.seq ?? 0) + 1;
  if (record.seq !== expectedSeq) {
    return { reason: 'gap', detail: `expected digest ${expectedSeq}, found ${record.seq}` };
  }
  const { hash, ...unsealed } = record;
  let ownHash: string | undefined;
  try {
    ownHash = hashCanonical(unsealed);
  } catch {
    ownHash = undefined;
  }
  if (ownHash !== hash) return { reason: 'hash_mismatch', detail: 'the digest does not match its own hash' };
  if (record.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
    return { reason: 'prev_hash_mismatch', detail: 'the digest does not link to the digest before it' };
  }
  if (!Array.isArray(record.heads) || rootOfHeads(record.heads) !== record.root) {
    return { reason: 'root_mismatch', detail: 'the Merkle root does not match the heads the digest names' };
  }
  const now = new Map(record.heads.map((head) => [head.chain, head.seq]));
  for (const head of previous?.heads ?? []) {
    if ((now.get(head.chain) ?? 0) < head.seq) {
      return { reason: 'head_mismatch', detail: `chain ${head.chain} went back from a digest to the next` };
    }
  }
  return undefined;
}
