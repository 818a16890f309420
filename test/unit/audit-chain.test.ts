import { describe, expect, it } from 'vitest';
import { ChainVerifier, emptyHead, GENESIS_HASH, sealEntry } from '#shared/domain/audit-chain.ts';
import type { AuditEntry, AuditEntryDraft } from '#shared/schemas/audit-entry.ts';

function draft(n: number): AuditEntryDraft {
  return {
    at: `2026-01-01T00:00:0${n % 10}.000Z`,
    actor: { userId: 'u', role: 'finance' },
    action: 'test.step',
    subject: `s${n}`,
    inputHash: null,
    policyVersion: null,
    details: { n },
  };
}

function chainOf(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let head = emptyHead('c');
  for (let n = 1; n <= length; n += 1) {
    const entry = sealEntry(draft(n), head);
    entries.push(entry);
    head = { chain: 'c', seq: entry.seq, hash: entry.hash };
  }
  return entries;
}

function verify(entries: readonly AuditEntry[], head = entries.at(-1)) {
  const verifier = new ChainVerifier('c');
  for (const entry of entries) if (!verifier.accept(entry)) break;
  return verifier.finish(head === undefined ? undefined : { chain: 'c', seq: head.seq, hash: head.hash });
}

describe('the audit chain', () => {
  it('links each entry to the one before, from the genesis hash', () => {
    const [first, second] = chainOf(2);
    expect(first?.prevHash).toBe(GENESIS_HASH);
    expect(second?.prevHash).toBe(first?.hash);
    expect(verify(chainOf(5))).toMatchObject({ ok: true, checked: 5 });
  });

  it('names a changed entry by its sequence number', () => {
    const entries = chainOf(5);
    const changed = entries.map((entry) => (entry.seq === 3 ? { ...entry, details: { n: 99 } } : entry));
    expect(verify(changed)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'hash_mismatch' });
  });

  it('names a gap where an entry was removed', () => {
    const entries = chainOf(5).filter((entry) => entry.seq !== 2);
    expect(verify(entries)).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'gap' });
  });

  it('catches an entry rewritten with a fresh hash by its broken link to the next one', () => {
    const entries = chainOf(4);
    const original = entries[1] as AuditEntry;
    const { hash: _old, ...unsealed } = { ...original, details: { n: 42 } };
    const resealed = sealEntry({ ...unsealed }, { chain: 'c', seq: 1, hash: original.prevHash });
    const tampered = entries.map((entry) => (entry.seq === 2 ? resealed : entry));
    expect(verify(tampered)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'prev_hash_mismatch' });
  });

  it('names an entry whose stored index copies disagree with its hashed content, after its hash and link', () => {
    const verifier = new ChainVerifier('c');
    const [first, second, third] = chainOf(3) as [AuditEntry, AuditEntry, AuditEntry];
    expect(verifier.accept(first, [])).toBe(true);
    expect(verifier.accept(second, ['actorId'])).toBe(false);
    expect(verifier.accept(third)).toBe(false);
    expect(verifier.finish({ chain: 'c', seq: 3, hash: third.hash })).toMatchObject({
      ok: false,
      checked: 1,
      firstBrokenSeq: 2,
      reason: 'index_mismatch',
      attributes: ['actorId'],
    });
  });

  it('catches entries cut from the end by the head record', () => {
    const entries = chainOf(5);
    expect(verify(entries.slice(0, 3), entries.at(-1))).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
      reason: 'head_mismatch',
    });
  });
});
