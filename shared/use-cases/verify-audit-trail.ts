import * as z from 'zod';
import { type ChainVerification, ChainVerifier } from '#shared/domain/audit-chain.ts';
import { ValidationError } from '#shared/errors.ts';
import type { AuditTrail } from '#shared/ports/audit-trail.ts';
import type { Clock } from '#shared/ports/clock.ts';
import { type ChainHead, ChainHeadSchema } from '#shared/schemas/audit-entry.ts';
import { zodMessage } from '#shared/schemas/zod-text.ts';

/** What verification needs of the trail: its entries in order and the head record as stored. */
export interface VerifiableAuditTrail extends Pick<AuditTrail, 'walk' | 'head' | 'entryAt'> {
  /** The head record as stored, undefined when there is none. */
  storedHead(): Promise<ChainHead | undefined>;
}

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
  })
  .strict();
export type VerifyQuery = z.output<typeof VerifyQuerySchema>;

export const VerificationSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), checked: z.number().int(), head: ChainHeadSchema }),
  z.object({
    ok: z.literal(false),
    checked: z.number().int(),
    firstBrokenSeq: z.number().int(),
    reason: z.enum([
      'gap',
      'hash_mismatch',
      'prev_hash_mismatch',
      'index_mismatch',
      'head_mismatch',
      'digest_mismatch',
    ]),
    detail: z.string(),
    /** With `index_mismatch`: the stored attributes (e.g. `actorId`) that disagree with the hashed entry. */
    attributes: z.array(z.string()).optional(),
  }),
]);

/** Reads `?digestSeq=&digestHash=` (both or neither). */
export function keptDigestOf(query: VerifyQuery): { seq: number; hash: string } | undefined {
  if (query.digestSeq === undefined && query.digestHash === undefined) return undefined;
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
  return { seq: query.digestSeq, hash: query.digestHash };
}

/**
 * Walks the chain from entry 1 and names the first broken link: a changed entry (its own hash), a
 * removed one (a gap), a reordered one (its link), an entry whose indexed attributes were rewritten
 * (a copy such as `actorId` that no longer says what the hashed entry says), entries cut from the end (the head record, written
 * in the same transaction as each entry) and, when the auditor kept a digest, anything that no longer
 * matches it. The head is read first and the walk stops there, so entries appended while the walk runs
 * are not mistaken for tampering.
 */
export async function verifyAuditTrail(
  deps: VerifyAuditTrailDeps,
  keptDigest?: { readonly seq: number; readonly hash: string },
): Promise<ChainVerification> {
  const storedHead = await deps.audit.storedHead();
  const chain = storedHead?.chain ?? (await deps.audit.head()).chain;
  const verifier = new ChainVerifier(chain);
  // Without a head record (never written, or deleted) every entry found must be accounted for.
  const until = storedHead?.seq ?? Number.POSITIVE_INFINITY;
  let hashAtDigestSeq: string | undefined;
  for await (const { entry, mismatchedAttributes } of deps.audit.walk()) {
    if (entry.seq > until) break;
    if (!verifier.accept(entry, mismatchedAttributes)) break;
    if (entry.seq === keptDigest?.seq) hashAtDigestSeq = entry.hash;
  }
  return verifier.finish(
    storedHead,
    keptDigest === undefined ? undefined : { chain, ...keptDigest },
    hashAtDigestSeq,
  );
}

export const DigestSchema = ChainHeadSchema.extend({
  /** When the head entry was written (null for an empty chain). */
  at: z.iso.datetime({ offset: true }).nullable(),
  /** When this digest was read. */
  takenAt: z.iso.datetime({ offset: true }),
});
export type Digest = z.infer<typeof DigestSchema>;

/** `GET /audit/digest`: the chain head, for an auditor to keep outside the system. */
export async function auditDigest(deps: {
  readonly audit: Pick<AuditTrail, 'head' | 'entryAt'>;
  readonly clock: Clock;
}): Promise<Digest> {
  const takenAt = deps.clock.now().toISOString();
  const head = await deps.audit.head();
  const entry = head.seq === 0 ? undefined : await deps.audit.entryAt(head.seq);
  return { ...head, at: entry?.at ?? null, takenAt };
}
