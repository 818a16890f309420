import * as z from 'zod';
import {
  type ChainVerification,
  ChainVerifier,
  emptyHead,
  GENESIS_HASH,
} from '#shared/domain/audit-chain.ts';
import { type AuditDigestRecord, digestBreakOf } from '#shared/domain/audit-digest.ts';
import { ValidationError } from '#shared/errors.ts';
import type { AuditChains, AuditTrail } from '#shared/ports/audit-trail.ts';
import type { Clock } from '#shared/ports/clock.ts';
import { type ChainHead, ChainHeadSchema } from '#shared/schemas/audit-entry.ts';
import { zodMessage } from '#shared/schemas/zod-text.ts';

/** What verification needs of the trail: every chain's entries in order, heads as stored, and the digests. */
export type VerifiableAuditTrail = Pick<AuditTrail, 'walk' | 'head' | 'entryAt'> &
  Pick<
    AuditChains,
    'chains' | 'digestChain' | 'keptChain' | 'storedHead' | 'storedDigestHead' | 'walkDigests' | 'digestAt'
  >;

export interface VerifyAuditTrailDeps {
  readonly audit: VerifiableAuditTrail;
}

/** `GET /audit/verify` query: optionally a digest the auditor kept outside the system. */
export const VerifyQuerySchema = z
  .object({
    digestSeq: z
      .string()
      .regex(/^[1-9]\d{0,15}$/, zodMessage({ zh: '必须是正整数', en: 'must be a positive whole number' }))
      .transform(Number)
      .optional(),
    digestHash: z
      .string()
      .regex(
        /^[0-9a-f]{64}$/,
        zodMessage({
          zh: '必须是 64 位小写十六进制字符（SHA-256）',
          en: 'must be 64 lower-case hex characters (SHA-256)',
        }),
      )
      .optional(),
    /**
     * Which chain the kept digest is the head of: by default the one GET /audit/digest hands out (the
     * digest chain; a trail of one chain, that chain). `main` checks a head kept before sharding.
     */
    digestChain: z.string().min(1).max(200).optional(),
  })
  .strict();
export type VerifyQuery = z.output<typeof VerifyQuerySchema>;

const ChainCheckedSchema = z.object({ chain: z.string(), checked: z.number().int(), head: ChainHeadSchema });

export const VerificationSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    checked: z.number().int(),
    /** What to keep: the newest global digest (with shards), or the one chain's head. */
    head: ChainHeadSchema,
    /** Each chain, and the digest chain (its `checked` counts digests). */
    chains: z.array(ChainCheckedSchema).optional(),
  }),
  z.object({
    ok: z.literal(false),
    checked: z.number().int(),
    /** The chain the break is in (a shard, the chain written before sharding, or the digest chain). */
    chain: z.string().optional(),
    firstBrokenSeq: z.number().int(),
    reason: z.enum([
      'gap',
      'hash_mismatch',
      'prev_hash_mismatch',
      'index_mismatch',
      'head_mismatch',
      'digest_mismatch',
      'root_mismatch',
    ]),
    detail: z.string(),
    /** With `index_mismatch`: the stored attributes (e.g. `actorId`) that disagree with the hashed entry. */
    attributes: z.array(z.string()).optional(),
  }),
]);
export type TrailVerification = z.infer<typeof VerificationSchema>;

/** Reads `?digestSeq=&digestHash=` (both or neither). */
export function keptDigestOf(query: VerifyQuery): KeptDigest | undefined {
  if (query.digestSeq === undefined && query.digestHash === undefined) {
    if (query.digestChain === undefined) return undefined;
    throw new ValidationError([
      {
        field: 'digestSeq',
        message: {
          zh: '必填：digestChain 须与 digestSeq、digestHash 同时提供',
          en: 'is required with digestChain',
        },
      },
    ]);
  }
  if (query.digestSeq === undefined || query.digestHash === undefined) {
    const missing = query.digestSeq === undefined ? 'digestSeq' : 'digestHash';
    throw new ValidationError([
      {
        field: missing,
        message: {
          zh: '必填：digestSeq 与 digestHash 须同时提供',
          en: 'is required with the other digest parameter',
        },
      },
    ]);
  }
  return {
    seq: query.digestSeq,
    hash: query.digestHash,
    ...(query.digestChain === undefined ? {} : { chain: query.digestChain }),
  };
}

/** A head an auditor kept outside the system: of the digest chain, or (`chain`) of one chain. */
export interface KeptDigest {
  readonly seq: number;
  readonly hash: string;
  readonly chain?: string;
}

type Broken = Extract<TrailVerification, { ok: false }>;

/**
 * Verifies every chain and the chain of global digests, and names the first broken link.
 *
 * Each chain is walked from entry 1: a changed entry (its own hash), a removed one (a gap), a reordered
 * one (its link), an entry whose indexed attributes were rewritten (a copy such as `actorId` that no
 * longer says what the hashed entry says) and entries cut from the end (the head record, written in the
 * same transaction as each entry). The digests are walked the same way, each one's Merkle root checked
 * against the heads it names; the newest digest's heads, and those of the digest the auditor kept, must
 * then be entries of their chains with those very hashes: someone who rewrote a chain and its head (hashes
 * recomputed) still cannot make it match a digest kept outside the table.
 *
 * Heads are read before the walks (the digest head first, then each chain's: a digest names heads read
 * before it was written), and each walk stops at its head, so what is appended meanwhile is not
 * mistaken for tampering.
 */
export async function verifyAuditTrail(
  deps: VerifyAuditTrailDeps,
  kept?: KeptDigest,
): Promise<TrailVerification> {
  const { audit } = deps;
  const keptChain = kept?.chain ?? audit.keptChain;
  if (kept !== undefined && keptChain !== audit.digestChain && !audit.chains.includes(keptChain)) {
    throw new ValidationError([
      {
        field: 'digestChain',
        message: { zh: '不是本审计链的名称', en: 'is not a chain of this audit trail' },
      },
    ]);
  }
  const digestHead = await audit.storedDigestHead();
  const storedHeads = await Promise.all(audit.chains.map((chain) => audit.storedHead(chain)));

  // The digest chain: links, roots, its head, and the digest kept (if it is one of these).
  const digests = await verifyDigests(audit, digestHead);
  if (!digests.ok) return digests.broken;
  /** Per chain, hashes that entries must have: from the newest digest and from the kept digest. */
  const expected = new Map<string, Map<number, { hash: string; why: string }>>();
  const expect = (head: ChainHead, why: string) => {
    const byChain = expected.get(head.chain) ?? new Map<number, { hash: string; why: string }>();
    byChain.set(head.seq, { hash: head.hash, why });
    expected.set(head.chain, byChain);
  };
  for (const head of digests.newest?.heads ?? []) expect(head, 'the newest digest');
  if (kept !== undefined && keptChain === audit.digestChain) {
    const last = digests.newest?.seq ?? 0;
    if (kept.seq > last) {
      return broken(
        audit.digestChain,
        digests.checked,
        last + 1,
        'digest_mismatch',
        `the kept digest is at ${kept.seq}, the digests end at ${last}`,
      );
    }
    const record = kept.seq === last ? digests.newest : await audit.digestAt(kept.seq);
    if (record?.hash !== kept.hash) {
      return broken(
        audit.digestChain,
        digests.checked,
        kept.seq,
        'digest_mismatch',
        'the digest at the kept one has another hash',
      );
    }
    for (const head of record.heads) expect(head, 'the kept digest');
  } else if (kept !== undefined) {
    expect({ chain: keptChain, seq: kept.seq, hash: kept.hash }, 'the kept digest');
  }

  const chains: { chain: string; checked: number; head: ChainHead }[] = [];
  let checked = 0;
  for (const [index, chain] of audit.chains.entries()) {
    const result = await verifyChain(audit, chain, storedHeads[index], expected.get(chain));
    if (!result.ok) {
      const { attributes, ...rest } = result;
      return {
        ...rest,
        checked: checked + result.checked,
        chain,
        ...(attributes === undefined ? {} : { attributes: [...attributes] }),
      };
    }
    checked += result.checked;
    chains.push({ chain, checked: result.checked, head: result.head });
  }
  // A digest naming a chain the trail no longer has (the shard setting lowered): its heads are unchecked.
  for (const chain of expected.keys()) {
    if (!audit.chains.includes(chain)) {
      return broken(
        chain,
        checked,
        1,
        'digest_mismatch',
        `a digest names chain ${chain}, which this trail does not read (was AUDIT_SHARDS lowered?)`,
      );
    }
  }
  const digestChainHead: ChainHead = {
    chain: audit.digestChain,
    seq: digests.newest?.seq ?? 0,
    hash: digests.newest?.hash ?? GENESIS_HASH,
  };
  chains.push({ chain: audit.digestChain, checked: digests.checked, head: digestChainHead });
  const head =
    audit.keptChain === audit.digestChain
      ? digestChainHead
      : (chains.find((candidate) => candidate.chain === audit.keptChain)?.head ?? emptyHead(audit.keptChain));
  return { ok: true, checked, head, chains };
}

function broken(
  chain: string,
  checked: number,
  firstBrokenSeq: number,
  reason: Broken['reason'],
  detail: string,
): Broken {
  return { ok: false, chain, checked, firstBrokenSeq, reason, detail };
}

async function verifyChain(
  audit: VerifiableAuditTrail,
  chain: string,
  storedHead: ChainHead | undefined,
  expected: ReadonlyMap<number, { hash: string; why: string }> | undefined,
): Promise<ChainVerification> {
  const verifier = new ChainVerifier(chain);
  // Without a head record (never written, or deleted) every entry found must be accounted for.
  const until = storedHead?.seq ?? Number.POSITIVE_INFINITY;
  const found = new Map<number, string>();
  for await (const { entry, mismatchedAttributes } of audit.walk(chain)) {
    if (entry.seq > until) break;
    if (!verifier.accept(entry, mismatchedAttributes)) break;
    if (expected?.has(entry.seq)) found.set(entry.seq, entry.hash);
  }
  const result = verifier.finish(storedHead);
  if (!result.ok) return result;
  for (const [seq, { hash, why }] of [...(expected ?? new Map())].sort(([a], [b]) => a - b)) {
    if (seq > result.head.seq) {
      const detail = `${why} names entry ${seq} of chain ${chain}, the chain ends at ${result.head.seq}`;
      return {
        ok: false,
        checked: result.checked,
        firstBrokenSeq: result.head.seq + 1,
        reason: 'digest_mismatch',
        detail,
      };
    }
    if (found.get(seq) !== hash) {
      const detail = `the entry ${seq} of chain ${chain} has another hash than ${why} names`;
      return { ok: false, checked: result.checked, firstBrokenSeq: seq, reason: 'digest_mismatch', detail };
    }
  }
  return result;
}

/** Walks the digest chain up to its stored head. */
async function verifyDigests(
  audit: VerifiableAuditTrail,
  digestHead: { seq: number; hash: string } | undefined,
): Promise<
  { ok: true; checked: number; newest: AuditDigestRecord | undefined } | { ok: false; broken: Broken }
> {
  const until = digestHead?.seq ?? Number.POSITIVE_INFINITY;
  let previous: AuditDigestRecord | undefined;
  let checked = 0;
  for await (const record of audit.walkDigests()) {
    if (record.seq > until) break;
    const problem = digestBreakOf(record, previous);
    if (problem !== undefined) {
      const seq = typeof record.seq === 'number' ? record.seq : checked + 1;
      return {
        ok: false,
        broken: broken(audit.digestChain, 0, Math.min(seq, checked + 1), problem.reason, problem.detail),
      };
    }
    previous = record;
    checked += 1;
  }
  const lastSeq = previous?.seq ?? 0;
  const lastHash = previous?.hash ?? GENESIS_HASH;
  if ((digestHead?.seq ?? 0) !== lastSeq || (digestHead?.hash ?? GENESIS_HASH) !== lastHash) {
    const detail = `the digest head record says ${digestHead?.seq ?? 0} digests, the trail holds ${lastSeq}`;
    return { ok: false, broken: broken(audit.digestChain, 0, lastSeq + 1, 'head_mismatch', detail) };
  }
  return { ok: true, checked, newest: previous };
}

export const DigestSchema = ChainHeadSchema.extend({
  /** When the head entry (or the global digest) was written; null for an empty chain. */
  at: z.iso.datetime({ offset: true }).nullable(),
  /** When this digest was read. */
  takenAt: z.iso.datetime({ offset: true }),
  /** A global digest: the Merkle root over every chain's head, and how many chains it names. */
  root: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  chains: z.number().int().nonnegative().optional(),
});
export type Digest = z.infer<typeof DigestSchema>;

/**
 * `GET /audit/digest`: what an auditor keeps outside the system. With shards, the newest global digest
 * (the digest step writes one a minute while the trail moves, and on POST /audit/digests); with one
 * chain, its head.
 */
export async function auditDigest(deps: {
  readonly audit: Pick<AuditTrail, 'head' | 'entryAt'> &
    Pick<AuditChains, 'keptChain' | 'digestChain' | 'storedDigestHead' | 'digestAt'>;
  readonly clock: Clock;
}): Promise<Digest> {
  const takenAt = deps.clock.now().toISOString();
  const { audit } = deps;
  if (audit.keptChain === audit.digestChain) {
    const head = await audit.storedDigestHead();
    const record = head === undefined ? undefined : await audit.digestAt(head.seq);
    if (record === undefined) {
      return { chain: audit.digestChain, seq: 0, hash: GENESIS_HASH, at: null, takenAt, chains: 0 };
    }
    const { seq, hash, at, root, heads } = record;
    return { chain: audit.digestChain, seq, hash, at, takenAt, root, chains: heads.length };
  }
  const head = await audit.head();
  const entry = head.seq === 0 ? undefined : await audit.entryAt(head.seq);
  return { ...head, at: entry?.at ?? null, takenAt };
}
