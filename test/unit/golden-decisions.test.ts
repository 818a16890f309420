import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import { type InputHashing, LEGACY_INPUT_HASHING } from '#shared/policy/input-hash.ts';
import { parseLead } from '#shared/schemas/lead.ts';
import { TEST_HASHING } from '#test/fixtures/identifier-keys.ts';

/**
 * Recorded decisions are replayed years later and must come out byte for byte the same. These hashes of
 * the whole decision (explanations included) for the example leads catch any engine change that would
 * alter a decision under an existing policy version; such a change needs a new policy or decision schema
 * version, not an edit. Both input-hash forms are pinned: form 1 for decisions recorded before form 2
 * (they are replayed with it), form 2 under the fixed test key for every decision since.
 */
const GOLDEN_FORM_1: Record<string, string> = {
  'lead-referral': '2205e02eca26abe21b771d92c30404f958e05f998e633559a9382adb5eeca688',
  'lead-natural-person': '8e5666b3f54598aeb4f9c9a9f961ecdc3243461334403bccd80b670363aeac85',
  'lead-major-project': 'be1a6b7f9f55598054257b36432341b15b47d7651dccc063b7037ee753e12eba',
  'lead-intermediary': '095a5070a629b385471be847a7e922a3b1160320ae8cccd26324136adfd907b6',
};

const GOLDEN_FORM_2: Record<string, string> = {
  'lead-referral': '51484ad7e4ebb2e3762fed104c38f301c95c7012318533df81b4b7184ca63450',
  'lead-natural-person': '46fa010b3dd9d58ce1d8733a7e769b3c05bf8a57e5401fb8a328042ad0d4f12d',
  'lead-major-project': '7b54ffb2ac5e319e198e387628681f139de625d08558c150f36de4109844c6a3',
  'lead-intermediary': 'dd813289d47ca2cac63b6a073aeec31292b2273add5e74415ecc8cae0b8ca0ef',
};

function decisionHash(example: string, hashing: InputHashing): string {
  const parsed = parseLead(JSON.parse(readFileSync(`docs/examples/${example}.json`, 'utf8')));
  if (!parsed.ok) throw new Error(`${example}: ${JSON.stringify(parsed.problems)}`);
  return hashCanonical(evaluateLead(parsed.lead, DEFAULT_POLICY, hashing));
}

describe('decisions under kfq-2019', () => {
  for (const [example, hash] of Object.entries(GOLDEN_FORM_1)) {
    it(`stay byte-identical for docs/examples/${example}.json with the form-1 input hash`, () => {
      expect(decisionHash(example, LEGACY_INPUT_HASHING)).toBe(hash);
    });
  }
  for (const [example, hash] of Object.entries(GOLDEN_FORM_2)) {
    it(`stay byte-identical for docs/examples/${example}.json with the form-2 input hash (test key)`, () => {
      expect(decisionHash(example, TEST_HASHING)).toBe(hash);
    });
  }
});
