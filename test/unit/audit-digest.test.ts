import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '#shared/domain/audit-chain.ts';
import { digestBreakOf, headsMoved, rootOfHeads, sealDigest } from '#shared/domain/audit-digest.ts';
import { chainForSubject, chainsOf, shardOf } from '#shared/domain/audit-shards.ts';
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

  it('keeps one subject in one chain, the single chain with one shard', () => {
    expect(chainForSubject('main', 1, 'lead-1')).toBe('main');
    expect(chainForSubject('main', 16, 'lead-1')).toBe(chainForSubject('main', 16, 'lead-1'));
    expect(chainForSubject('main', 16, 'lead-1')).toBe(`main.${shardOf('lead-1', 16)}`);
  });

  it('spreads subjects over every shard, none with more than twice its share', () => {
    const counts = new Array<number>(16).fill(0);
    for (let n = 0; n < 16_000; n += 1) {
      const shard = shardOf(`LEAD-${n}`, 16);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    expect(Math.min(...counts)).toBeGreaterThan(500);
    expect(Math.max(...counts)).toBeLessThan(2000);
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
