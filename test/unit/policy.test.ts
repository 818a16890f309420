import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CanonicalJsonError,
  canonicalJson,
  hashCanonical,
  sha256Hex,
} from '#shared/domain/canonical-json.ts';
import { DEFAULT_SECTORS, isSectorCode, SectorListSchema } from '#shared/domain/sectors.ts';
import { DEFAULT_POLICY, KFQ_2019_POLICY } from '#shared/policy/default-policy.ts';
import { policyHash } from '#shared/policy/evaluate-lead.ts';
import { type Policy, PolicySchema, ruleOf } from '#shared/policy/policy-schema.ts';
import { PolicySelectionError, selectPolicy } from '#shared/policy/select-policy.ts';

/** A copy of kfq-2019 under another version and effective date. */
function version(name: string, effectiveFrom: string): Policy {
  return PolicySchema.parse({ ...structuredClone(KFQ_2019_POLICY), version: name, effectiveFrom });
}

describe('canonicalJson', () => {
  it('sorts keys recursively and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it.each<[unknown, string]>([
    [undefined, 'undefined'],
    [{ a: undefined }, 'undefined property'],
    [[1, () => 1], 'function'],
    [Number.NaN, 'NaN'],
    [{ a: Number.POSITIVE_INFINITY }, 'Infinity'],
    [10n, 'bigint'],
    [new Date(0), 'Date'],
    [new Map(), 'Map'],
  ])('refuses %s (%s)', (value, _label) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
  });

  it('refuses cycles but accepts a shared object twice', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(CanonicalJsonError);
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('names the path of what it refuses', () => {
    expect(() => canonicalJson({ a: [1, { b: Number.NaN }] })).toThrow('$.a[1].b: non-finite number');
    const cyclic: Record<string, unknown> = { list: [] };
    (cyclic.list as unknown[]).push({ back: cyclic });
    expect(() => canonicalJson(cyclic)).toThrow('$.list[0].back: cycle');
  });

  it('serializes values nested deeper than its quick walk goes', () => {
    let nested: unknown = 'bottom';
    for (let depth = 0; depth < 250; depth += 1) nested = depth % 2 === 0 ? [nested] : { z: 1, a: nested };
    expect(JSON.parse(canonicalJson(nested))).toEqual(nested);
  });

  it('writes strings and numbers exactly as JSON.stringify does', () => {
    const strings = [
      'plain',
      '张伟',
      'quote " and \\ back',
      'tab\tnew\nline\u0000',
      '\ud83d\ude00',
      'lone \ud800',
      '\u2028',
    ];
    for (const text of strings) expect(canonicalJson(text)).toBe(JSON.stringify(text));
    fc.assert(
      fc.property(
        fc.oneof(fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()),
        (value) => {
          expect(canonicalJson([value])).toBe(JSON.stringify([value]));
        },
      ),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(canonicalJson({ [text]: text })).toBe(JSON.stringify({ [text]: text }));
      }),
    );
  });

  it('gives the same text whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
        expect(JSON.parse(canonicalJson(record))).toEqual(JSON.parse(JSON.stringify(record)));
      }),
    );
  });

  it('hashes with SHA-256 in lower-case hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashCanonical({ b: 1, a: 2 })).toBe(sha256Hex('{"a":2,"b":1}'));
  });
});

describe('the default policy kfq-2019', () => {
  it('holds every number of the brief as a setting', () => {
    expect(DEFAULT_POLICY).toBe(KFQ_2019_POLICY);
    expect(KFQ_2019_POLICY.version).toBe('kfq-2019');
    expect(KFQ_2019_POLICY.effectiveFrom).toBe('2019-01-01T00:00:00+08:00');
    expect(KFQ_2019_POLICY.rounding).toBe('half_up');
    const referral = ruleOf(KFQ_2019_POLICY, 'referral_reward');
    expect(referral).toMatchObject({
      basisPoints: 200,
      thresholdFen: 10_000_000_000,
      thresholdInclusive: true,
      eligibleIntroducers: ['leading_enterprise', 'natural_person'],
      onePerProject: true,
      capFen: null,
    });
    expect(ruleOf(KFQ_2019_POLICY, 'one_case_one_policy')).toMatchObject({
      plannedInvestmentThresholdFen: 50_000_000_000,
      thresholdInclusive: true,
      municipalMajorProject: true,
      bespokeTermsRequested: true,
    });
    expect(ruleOf(KFQ_2019_POLICY, 'conversion_fund')).toMatchObject({
      fundId: 'conversion-2019',
      totalFen: 6_000_000_000,
      eligibleCategories: ['new_productive_force', 'old_capacity_upgrade'],
      investmentShareBasisPoints: 1000,
      perProjectCapFen: 1_000_000_000,
    });
  });

  it('cites the named document on every rule', () => {
    for (const rule of KFQ_2019_POLICY.rules) {
      expect(rule.legalBasis.document).toContain(
        '关于加快推进新旧动能转换促进提质增效实现高质量发展的政策扶持意见',
      );
      expect(rule.legalBasis.clauses.length).toBeGreaterThan(0);
    }
  });

  it('has a pinned hash, so an accidental change to the default policy is caught', () => {
    expect(policyHash(KFQ_2019_POLICY)).toBe(
      'a1c3b7bfa550d26483c40d667e89cd02256ec8eb57d14e3d26e4d351437ca604',
    );
  });

  it('hashes the same after a JSON round trip', () => {
    expect(policyHash(PolicySchema.parse(JSON.parse(JSON.stringify(KFQ_2019_POLICY))))).toBe(
      policyHash(KFQ_2019_POLICY),
    );
  });
});

describe('PolicySchema', () => {
  it('refuses a policy without a required rule or with an unknown field', () => {
    const withoutFund = {
      ...KFQ_2019_POLICY,
      rules: KFQ_2019_POLICY.rules.filter((r) => r.type !== 'conversion_fund'),
    };
    expect(PolicySchema.safeParse(withoutFund).success).toBe(false);
    expect(PolicySchema.safeParse({ ...KFQ_2019_POLICY, extra: 1 }).success).toBe(false);
  });

  it('refuses duplicate rule ids, a basis point share above 100% and a bad effective date', () => {
    const duplicated = { ...KFQ_2019_POLICY, rules: [...KFQ_2019_POLICY.rules, KFQ_2019_POLICY.rules[0]] };
    expect(PolicySchema.safeParse(duplicated).success).toBe(false);
    const rules = KFQ_2019_POLICY.rules.map((rule) =>
      rule.type === 'referral_reward' ? { ...rule, basisPoints: 10_001 } : rule,
    );
    expect(PolicySchema.safeParse({ ...KFQ_2019_POLICY, rules }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...KFQ_2019_POLICY, effectiveFrom: '2019-01-01T00:00:00' }).success).toBe(
      false,
    );
  });

  it('accepts a date-only effective date', () => {
    expect(PolicySchema.safeParse({ ...KFQ_2019_POLICY, effectiveFrom: '2019-01-01' }).success).toBe(true);
  });
});

describe('selectPolicy', () => {
  const policies = [version('kfq-2019', '2019-01-01'), version('kfq-2024', '2024-08-01T00:00:00+08:00')];

  it.each([
    ['2018-12-31T16:00:00Z', 'kfq-2019', '00:00 on 1 January 2019 in Shanghai'],
    ['2019-06-30T12:00:00+08:00', 'kfq-2019', 'mid-2019'],
    ['2024-07-31T15:59:59.999Z', 'kfq-2019', 'the last millisecond before kfq-2024'],
    ['2024-07-31T16:00:00Z', 'kfq-2024', 'the first instant of kfq-2024'],
    ['2030-01-01', 'kfq-2024', 'a date-only instant'],
  ])('at %s picks %s (%s)', (instant, expected) => {
    expect(selectPolicy(policies, instant).version).toBe(expected);
  });

  it('finds no policy one millisecond before 2019 starts in Shanghai', () => {
    expect(() => selectPolicy(policies, '2018-12-31T15:59:59.999Z')).toThrow(PolicySelectionError);
    expect(() => selectPolicy(policies, new Date('2018-12-31T15:59:59.999Z'))).toThrow(PolicySelectionError);
  });

  it('refuses two versions that take effect at the same instant and an instant without an offset', () => {
    const clash = [version('a-1', '2019-01-01'), version('a-2', '2019-01-01T00:00:00+08:00')];
    expect(() => selectPolicy(clash, '2020-01-01T00:00:00Z')).toThrow(PolicySelectionError);
    expect(() => selectPolicy(policies, '2020-01-01T00:00:00')).toThrow(PolicySelectionError);
  });
});

describe('sectors', () => {
  it('configures the ten default sector teams', () => {
    expect(DEFAULT_SECTORS).toHaveLength(10);
    expect(isSectorCode('optoelectronics')).toBe(true);
    expect(isSectorCode('mining')).toBe(false);
    expect(isSectorCode('mining', [{ code: 'mining', zh: '矿业', en: 'Mining' }])).toBe(true);
  });

  it('refuses a sector list with duplicate codes', () => {
    const list = [...DEFAULT_SECTORS, DEFAULT_SECTORS[0]];
    expect(SectorListSchema.safeParse(list).success).toBe(false);
  });
});
