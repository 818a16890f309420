import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import { parseLead } from '#shared/schemas/lead.ts';

/**
 * Recorded decisions are replayed years later and must come out byte for byte the same. These hashes of
 * the whole decision (explanations included) for the example leads catch any engine change that would
 * alter a decision under an existing policy version; such a change needs a new policy or decision schema
 * version, not an edit.
 */
const GOLDEN: Record<string, string> = {
  'lead-referral': '2205e02eca26abe21b771d92c30404f958e05f998e633559a9382adb5eeca688',
  'lead-natural-person': '8e5666b3f54598aeb4f9c9a9f961ecdc3243461334403bccd80b670363aeac85',
  'lead-major-project': 'be1a6b7f9f55598054257b36432341b15b47d7651dccc063b7037ee753e12eba',
  'lead-intermediary': '095a5070a629b385471be847a7e922a3b1160320ae8cccd26324136adfd907b6',
};

describe('decisions under kfq-2019', () => {
  for (const [example, hash] of Object.entries(GOLDEN)) {
    it(`stay byte-identical for docs/examples/${example}.json`, () => {
      const parsed = parseLead(JSON.parse(readFileSync(`docs/examples/${example}.json`, 'utf8')));
      if (!parsed.ok) throw new Error(`${example}: ${JSON.stringify(parsed.problems)}`);
      expect(hashCanonical(evaluateLead(parsed.lead, DEFAULT_POLICY))).toBe(hash);
    });
  }
});
