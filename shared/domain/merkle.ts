import { createHash } from 'node:crypto';

/**
 * The Merkle tree hash of RFC 6962 §2.1 (Certificate Transparency), SHA-256: a leaf is hashed with a
 * 0x00 prefix and an inner node with 0x01, so a leaf can never pass for a node; a tree of n > 1 leaves
 * splits at the largest power of two below n. The empty tree hashes to SHA-256 of nothing. Returns hex.
 */
export function merkleRoot(leaves: readonly Uint8Array[]): string {
  return treeHash(leaves, 0, leaves.length).toString('hex');
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

function treeHash(leaves: readonly Uint8Array[], from: number, to: number): Buffer {
  const count = to - from;
  if (count === 0) return createHash('sha256').digest();
  if (count === 1) {
    return createHash('sha256')
      .update(LEAF_PREFIX)
      .update(leaves[from] as Uint8Array)
      .digest();
  }
  const split = largestPowerOfTwoBelow(count);
  return createHash('sha256')
    .update(NODE_PREFIX)
    .update(treeHash(leaves, from, from + split))
    .update(treeHash(leaves, from + split, to))
    .digest();
}

function largestPowerOfTwoBelow(count: number): number {
  let power = 1;
  while (power * 2 < count) power *= 2;
  return power;
}
