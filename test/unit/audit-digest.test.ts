import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '#shared/domain/audit-chain.ts';
import { digestBreakOf, headsMoved, rootOfHeads, sealDigest } from '#shared/domain/audit-digest.ts';
import { ChainLeases, chainsOf, writableChainsOf } from '#shared/domain/audit-shards.ts';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { merkleRoot } from '#shared/domain/merkle.ts';

const hex = (text: string) => Buffer.from(text, 'hex');

describe('merkleRoot (RFC 6962 §2.1)', () => {
  // The Certificate Transparency reference vectors: the first n of these eight leaves.
  const leaves = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ].map(hex);
  it.each([
    [0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    [1, '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'],
    [2, 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'],
    [3, 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77'],
    [4, 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'],
    [5, '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4'],
    [6, '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef'],
    [7, 'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c'],
    [8, '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
  ])('of the first %i leaves is %s', (count, root) => {
    expect(merkleRoot(leaves.slice(0, count))).toBe(root);
  });
});

describe('audit shards', () => {
  it.each([
    [1, ['main']],
    [3, ['main', 'main.0', 'main.1', 'main.2']],
  ])('%i shard(s): the chains are %j', (shards, chains) => {
    expect(chainsOf('main', shards)).toEqual(chains);
  });

  it.each([
    [1, ['main']],
    [3, ['main.0', 'main.1', 'main.2']],
  ])('%i shard(s): new entries go to %j, never to the chain of before', (shards, chains) => {
    expect(writableChainsOf('main', shards)).toEqual(chains);
  });
});

describe('chain leases: the chains one writer appends to', () => {
  const chains = ['main.0', 'main.1', 'main.2', 'main.3'];
  const head = (chain: string, seq: number) => ({ chain, seq, hash: String(seq).repeat(64).slice(0, 64) });
  /** Picks the free chains in order: the first free one, so the tests know which. */
  const first = () => 0;

  it('hands a writer back the chain it held, with the head it wrote there', () => {
    const leases = new ChainLeases(chains, first);
    const taken = leases.take();
    expect(taken).toEqual({ chain: 'main.0', head: undefined });
    leases.release('main.0', head('main.0', 7));
    expect(leases.take()).toEqual({ chain: 'main.0', head: head('main.0', 7) });
  });

  it('gives appends at once different chains, and reuses the most recently released first', () => {
    const leases = new ChainLeases(chains, first);
    const a = leases.take();
    const b = leases.take();
    const c = leases.take();
    expect(new Set([a.chain, b.chain, c.chain]).size).toBe(3);
    leases.release(b.chain, head(b.chain, 2));
    leases.release(a.chain, head(a.chain, 1));
    expect(leases.take()).toEqual({ chain: a.chain, head: head(a.chain, 1) });
    expect(leases.take()).toEqual({ chain: b.chain, head: head(b.chain, 2) });
  });

  it('moves to another chain after losing one, and forgets the lost head', () => {
    const leases = new ChainLeases(chains, first);
    const lost = leases.take();
    leases.drop(lost.chain);
    const next = leases.take(lost.chain);
    expect(next.chain).not.toBe(lost.chain);
    expect(next.head).toBeUndefined();
    leases.release(next.chain, head(next.chain, 1));
    expect(leases.take(next.chain)).toEqual({ chain: 'main.0', head: undefined });
  });

  it('shares a chain when more appends run at once than there are chains, and keeps to the single chain', () => {
    const leases = new ChainLeases(['a', 'b'], first);
    const taken = [leases.take(), leases.take(), leases.take()].map((lease) => lease.chain);
    expect(taken.slice(0, 2).sort()).toEqual(['a', 'b']);
    expect(['a', 'b']).toContain(taken[2]);
    const single = new ChainLeases(['main'], first);
    single.drop(single.take().chain);
    expect(single.take('main')).toEqual({ chain: 'main', head: undefined });
  });

  it('spreads writers that start at once over the chains at random', () => {
    const used = new Set<string>();
    for (let writer = 0; writer < 200; writer += 1) used.add(new ChainLeases(chains).take().chain);
    expect([...used].sort()).toEqual(chains);
  });
});

describe('global digests', () => {
  const head = (chain: string, seq: number, fill: string) => ({ chain, seq, hash: fill.repeat(64) });
  const heads = [head('main.1', 3, 'b'), head('main.0', 5, 'a'), head('main', 0, '0')];
  const first = sealDigest(heads, '2026-11-30T00:00:00.000Z', undefined);
  const second = sealDigest(
    [head('main.0', 6, 'c'), head('main.1', 3, 'b')],
    '2026-11-30T00:01:00.000Z',
    first,
  );

  it('names the heads sorted by chain, leaves empty chains out, and links to the digest before', () => {
    expect(first.heads.map((h) => h.chain)).toEqual(['main.0', 'main.1']);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, root: rootOfHeads(heads) });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(rootOfHeads([...heads].reverse())).toBe(first.root);
  });

  it('writes nothing new while no head moved', () => {
    expect(headsMoved(undefined, [])).toBe(false);
    expect(headsMoved(undefined, heads)).toBe(true);
    expect(headsMoved(first, heads)).toBe(false);
    expect(headsMoved(first, [head('main.0', 6, 'c'), head('main.1', 3, 'b')])).toBe(true);
  });

  it.each([
    ['an intact digest', second, first, undefined],
    ['a changed root', { ...second, root: 'f'.repeat(64) }, first, 'hash_mismatch'],
    [
      'a changed head with hashes recomputed',
      sealDigest([head('main.0', 6, 'd'), head('main.1', 3, 'b')], second.at, first),
      first,
      undefined,
    ],
    ['a skipped digest', { ...second, seq: 3 }, first, 'gap'],
    [
      'a link to another digest',
      sealDigest(second.heads, second.at, { seq: 1, hash: 'e'.repeat(64) }),
      first,
      'prev_hash_mismatch',
    ],
    [
      'a root that does not match its heads, rehashed',
      (() => {
        const { hash: _h, ...rest } = second;
        const forged = { ...rest, root: 'f'.repeat(64) };
        return { ...forged, hash: hashCanonical(forged) };
      })(),
      first,
      'root_mismatch',
    ],
    [
      'a chain that went back',
      sealDigest([head('main.0', 4, 'c'), head('main.1', 3, 'b')], second.at, first),
      first,
      'head_mismatch',
    ],
    ['a chain dropped', sealDigest([head('main.0', 6, 'c')], second.at, first), first, 'head_mismatch'],
  ])('%s', (_name, record, previous, reason) => {
    expect(digestBreakOf(record, previous)?.reason).toBe(reason);
  });
});
