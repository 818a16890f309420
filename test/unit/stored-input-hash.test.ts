import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '#shared/domain/canonical-json.ts';
import { parseIdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead, evaluateLeadWithInputHash } from '#shared/policy/evaluate-lead.ts';
import { isCurrentForm, LEGACY_INPUT_HASHING, leadHash } from '#shared/policy/input-hash.ts';
import { parseLead } from '#shared/schemas/lead.ts';
import { TEST_HASHING, TEST_KEYRING, TEST_KEYRING_TEXT } from '#test/fixtures/identifier-keys.ts';

/**
 * Issue 18 part 3: evaluation takes the input hash stored with the lead revision instead of hashing the
 * lead again. Given the hash intake stored, the decision must be byte for byte the one that hashes the lead
 * itself (the golden decisions pin the latter), in both forms.
 */
const EXAMPLES = ['lead-referral', 'lead-natural-person', 'lead-major-project', 'lead-intermediary'];

function example(name: string) {
  const parsed = parseLead(JSON.parse(readFileSync(`docs/examples/${name}.json`, 'utf8')));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.problems)}`);
  return parsed.lead;
}

describe('a decision given the stored input hash', () => {
  for (const name of EXAMPLES) {
    it(`is byte-identical to the one that hashes docs/examples/${name}.json itself, in form 2 and form 1`, () => {
      const lead = example(name);
      const stored = { inputHash: leadHash(lead, TEST_HASHING), inputHashForm: TEST_HASHING.form };
      expect(canonicalJson(evaluateLeadWithInputHash(lead, DEFAULT_POLICY, stored))).toBe(
        canonicalJson(evaluateLead(lead, DEFAULT_POLICY, TEST_HASHING)),
      );
      const legacy = { inputHash: leadHash(lead, LEGACY_INPUT_HASHING) };
      expect(canonicalJson(evaluateLeadWithInputHash(lead, DEFAULT_POLICY, legacy))).toBe(
        canonicalJson(evaluateLead(lead, DEFAULT_POLICY, LEGACY_INPUT_HASHING)),
      );
    });
  }

  it('records the hash it is given, without hashing the lead again (replay is what checks it)', () => {
    const lead = example('lead-referral');
    const given = { inputHash: 'a'.repeat(64), inputHashForm: TEST_HASHING.form };
    expect(evaluateLeadWithInputHash(lead, DEFAULT_POLICY, given).inputHash).toBe('a'.repeat(64));
  });
});

describe('isCurrentForm', () => {
  const hash = '0'.repeat(64);
  it('takes a form-2 hash under the current key', () => {
    expect(isCurrentForm({ inputHash: hash, inputHashForm: TEST_HASHING.form }, TEST_KEYRING)).toBe(true);
  });
  it('refuses a form-1 hash and one under a key rotated out of current', () => {
    expect(isCurrentForm({ inputHash: hash }, TEST_KEYRING)).toBe(false);
    const rotated = parseIdentifierKeyring(
      JSON.stringify({
        ...JSON.parse(TEST_KEYRING_TEXT),
        current: 'test-2',
        'test-2': 'kfq-test-key-two-0002-not-a-secret',
      }),
    );
    expect(isCurrentForm({ inputHash: hash, inputHashForm: TEST_HASHING.form }, rotated)).toBe(false);
  });
});
