import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { GENESIS_HASH } from '#shared/domain/audit-chain.ts';
import { type AuditDigestRecord, headsMoved, sealDigest } from '#shared/domain/audit-digest.ts';
import type { AuditChains, DigestArchive } from '#shared/ports/audit-trail.ts';
import type { Clock } from '#shared/ports/clock.ts';
import { ChainHeadSchema } from '#shared/schemas/audit-entry.ts';

export interface TakeAuditDigestDeps {
  readonly audit: Pick<
    AuditChains,
    'chains' | 'storedHead' | 'storedDigestHead' | 'digestAt' | 'appendDigest'
  >;
  readonly archive: DigestArchive;
  readonly clock: Clock;
}

export interface TakenDigest {
  readonly digest: AuditDigestRecord | undefined;
  /** False when no chain moved since the newest digest (nothing new is written). */
  readonly written: boolean;
}

const MAX_ATTEMPTS = 5;

/**
 * The digest step (issue 18), every minute and on demand: reads every chain's head, and when any moved
 * since the newest digest, appends a new digest (their Merkle root, linked to the digest before) and
 * puts it in the archive outside the table. A digest the archive missed (a failed put) is put first.
 * Two runs at once: one appends, the other reads again and finds the heads unchanged or appends after.
 */
export async function takeAuditDigest(deps: TakeAuditDigestDeps): Promise<TakenDigest> {
  for (let attempt = 1; ; attempt += 1) {
    const head = await deps.audit.storedDigestHead();
    const newest = head === undefined ? undefined : await deps.audit.digestAt(head.seq);
    if (newest !== undefined && !(await deps.archive.has(newest.seq))) await deps.archive.put(newest);
    const heads = (await Promise.all(deps.audit.chains.map((chain) => deps.audit.storedHead(chain)))).filter(
      (chainHead) => chainHead !== undefined,
    );
    if (!headsMoved(newest, heads)) return { digest: newest, written: false };
    const digest = sealDigest(heads, deps.clock.now().toISOString(), newest);
    try {
      await deps.audit.appendDigest(digest);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      await sleep(20 * attempt);
      continue;
    }
    await deps.archive.put(digest);
    return { digest, written: true };
  }
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** What POST /audit/digests answers: the digest to keep (`seq`, `hash`), its root and the heads it names. */
export const TakenDigestSchema = z.object({
  chain: z.string(),
  /** False when no chain moved since the newest digest: that one is answered. */
  written: z.boolean(),
  seq: z.number().int().nonnegative(),
  hash: sha256Hex,
  at: z.iso.datetime({ offset: true }).nullable(),
  root: sha256Hex.nullable(),
  heads: z.array(ChainHeadSchema),
});
export type TakenDigestView = z.infer<typeof TakenDigestSchema>;

export function takenDigestView(taken: TakenDigest, digestChain: string): TakenDigestView {
  const { digest, written } = taken;
  return {
    chain: digestChain,
    written,
    seq: digest?.seq ?? 0,
    hash: digest?.hash ?? GENESIS_HASH,
    at: digest?.at ?? null,
    root: digest?.root ?? null,
    heads: digest === undefined ? [] : [...digest.heads],
  };
}
