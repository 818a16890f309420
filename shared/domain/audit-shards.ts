import { createHash } from 'node:crypto';

/**
 * How the audit trail is split into hash chains (issue 18). With one shard the trail is the single chain
 * `<base>` (the design before sharding). With more, entry writers append to `<base>.<i>`, the shard its
 * subject hashes to, so one lead's (one fund's, one project's) entries stay in order in one chain while
 * writers for other subjects move other heads; `<base>` itself stays as the chain written before
 * sharding, read and verified like the others and never appended to again.
 */
export function chainForSubject(base: string, shards: number, subject: string): string {
  if (shards <= 1) return base;
  return `${base}.${shardOf(subject, shards)}`;
}

/** The shard a subject's entries go to: the first 32 bits of SHA-256 of the subject, modulo the count. */
export function shardOf(subject: string, shards: number): number {
  return createHash('sha256').update(subject, 'utf8').digest().readUInt32BE(0) % shards;
}

/** Every chain of the trail: `<base>` first, then the shards in order (none with one shard). */
export function chainsOf(base: string, shards: number): string[] {
  if (shards <= 1) return [base];
  return [base, ...Array.from({ length: shards }, (_, index) => `${base}.${index}`)];
}

/** The name of the chain of global digests over every chain's head. */
export function digestChainOf(base: string): string {
  return `${base}:digests`;
}
