import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashCanonical } from '#shared/domain/canonical-json.ts';
import { IdentifierKeyringError, parseIdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import {
  currentInputHashing,
  hashedFormOf,
  keyedInputHashing,
  LEGACY_INPUT_HASHING,
  leadHash,
  recordedInputHashing,
} from '#shared/policy/input-hash.ts';
import { DecisionSchema } from '#shared/schemas/decision.ts';
import type { DecisionRecord } from '#shared/schemas/lead-record.ts';
import { replayDecision } from '#shared/use-cases/replay-decision.ts';
import { TEST_HASHING, TEST_KEYRING } from '#test/fixtures/identifier-keys.ts';
import { makeValidResidentId } from '#test/fixtures/identifiers.ts';
import { makeLead, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';

const KEY_1 = 'first-identifier-key-for-unit-tests-0001';
const KEY_2 = 'second-identifier-key-for-unit-tests-002';
/** After a rotation: k2 is current, k1 stays for what was recorded under it. */
const ROTATED = parseIdentifierKeyring(JSON.stringify({ current: 'k2', k1: KEY_1, k2: KEY_2 }));
const BEFORE_ROTATION = parseIdentifierKeyring(JSON.stringify({ current: 'k1', k1: KEY_1 }));

const personLead = makeLead({
  introducer: { type: 'natural_person', name: '李明', residentId: PERSON_RESIDENT_ID },
  responsibleOfficer: { name: '赵强', phone: '+86 635 8123456' },
});

describe('the identifier keyring', () => {
  it('reads the current key and every other key by id', () => {
    expect(ROTATED.current.keyId).toBe('k2');
    expect(ROTATED.byKeyId('k1')?.mac('x')).toBe(BEFORE_ROTATION.current.mac('x'));
    expect(ROTATED.byKeyId('k3')).toBeUndefined();
  });

  it('computes HMAC-SHA-256 over the UTF-8 bytes, keyed with the UTF-8 bytes of the key', () => {
    const expected = createHmac('sha256', Buffer.from(KEY_1, 'utf8'))
      .update('371502197803152611')
      .digest('hex');
    expect(BEFORE_ROTATION.current.mac('371502197803152611')).toBe(expected);
    expect(BEFORE_ROTATION.current.mac('a')).not.toBe(BEFORE_ROTATION.current.mac('b'));
  });

  it.for([
    ['not JSON', 'k1:abc', /not JSON/],
    ['an array', '[]', /JSON object/],
    ['no current key id', JSON.stringify({ k1: KEY_1 }), /names no "current"/],
    ['a current id that is not a key', JSON.stringify({ current: 'k9', k1: KEY_1 }), /not a key/],
    ['a short key', JSON.stringify({ current: 'k1', k1: 'short-key' }), /shorter than 32/],
    ['a key that is not text', JSON.stringify({ current: 'k1', k1: 42 }), /not a string/],
    ['a bad key id', JSON.stringify({ current: 'k 1', 'k 1': KEY_1 }), /key id/],
  ] as const)('refuses %s', ([, text, message]) => {
    expect(() => parseIdentifierKeyring(text)).toThrow(IdentifierKeyringError);
    expect(() => parseIdentifierKeyring(text)).toThrow(message);
  });

  it('never repeats key material in an error', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 31 }), (key) => {
        fc.pre(!['current', 'k1', 'key'].some((word) => key.includes(word)));
        for (const text of [
          JSON.stringify({ current: 'k1', k1: key }),
          JSON.stringify({ current: key, k1: KEY_1 }),
        ]) {
          try {
            parseIdentifierKeyring(text);
          } catch (error) {
            expect((error as Error).message).not.toContain(key);
          }
        }
      }),
    );
  });
});

describe('the hashed form of a lead (input hash form 2)', () => {
  it('replaces the resident ID and the officer’s phone by their HMAC, and nothing else', () => {
    const hashed = hashedFormOf(personLead, TEST_KEYRING.current);
    expect(hashed.introducer).toEqual({
      type: 'natural_person',
      name: '李明',
      residentId: TEST_KEYRING.current.mac(PERSON_RESIDENT_ID),
    });
    expect(hashed.responsibleOfficer).toEqual({
      name: '赵强',
      phone: TEST_KEYRING.current.mac('+86 635 8123456'),
    });
    const { introducer: _a, responsibleOfficer: _b, ...rest } = hashed;
    const { introducer: _c, responsibleOfficer: _d, ...original } = personLead;
    expect(rest).toEqual(original);
    expect(canonicalJson(hashed)).not.toContain(PERSON_RESIDENT_ID);
  });

  it('replaces the resident ID of an intermediary or professional team that is a person', () => {
    for (const type of ['intermediary', 'professional_team'] as const) {
      const lead = makeLead({ introducer: { type, name: '某人', residentId: PERSON_RESIDENT_ID } });
      expect(canonicalJson(hashedFormOf(lead, TEST_KEYRING.current))).not.toContain(PERSON_RESIDENT_ID);
    }
  });

  it('leaves a lead without personal identifiers as it is', () => {
    const lead = makeLead();
    expect(hashedFormOf(lead, TEST_KEYRING.current)).toBe(lead);
    expect(leadHash(lead, TEST_HASHING)).toBe(hashCanonical(lead));
  });

  it('hashes form 1 as the plain SHA-256 of the lead, and form 2 otherwise, per key', () => {
    expect(leadHash(personLead, LEGACY_INPUT_HASHING)).toBe(hashCanonical(personLead));
    const underK1 = leadHash(personLead, currentInputHashing(BEFORE_ROTATION));
    const underK2 = leadHash(personLead, currentInputHashing(ROTATED));
    expect(new Set([hashCanonical(personLead), underK1, underK2]).size).toBe(3);
    expect(leadHash(personLead, keyedInputHashing(ROTATED.byKeyId('k1') ?? ROTATED.current))).toBe(underK1);
  });

  it('tells two resident IDs apart (a keyed hash is still a hash of the input)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 998 }), (sequence) => {
        const other = makeValidResidentId('371502', '19780315', String(sequence).padStart(3, '0'));
        fc.pre(other !== PERSON_RESIDENT_ID);
        const changed = { ...personLead, introducer: { ...personLead.introducer, residentId: other } };
        expect(leadHash(changed, TEST_HASHING)).not.toBe(leadHash(personLead, TEST_HASHING));
      }),
    );
  });
});

describe('decisions and the input hash form', () => {
  it('records the form and key on a form-2 decision, and nothing on a form-1 one', () => {
    const keyed = evaluateLead(personLead, DEFAULT_POLICY, TEST_HASHING);
    expect(keyed.inputHashForm).toEqual({ version: 2, keyId: 'test-1' });
    expect(keyed.inputHash).toBe(leadHash(personLead, TEST_HASHING));
    const legacy = evaluateLead(personLead, DEFAULT_POLICY, LEGACY_INPUT_HASHING);
    expect('inputHashForm' in legacy).toBe(false);
    expect(DecisionSchema.parse(keyed)).toEqual(keyed);
    expect(DecisionSchema.parse(legacy)).toEqual(legacy);
  });

  it('finds the hashing a decision was recorded with: form 1, a key still in the ring, or none', () => {
    expect(recordedInputHashing(undefined, ROTATED)).toBe(LEGACY_INPUT_HASHING);
    const k1 = recordedInputHashing({ version: 2, keyId: 'k1' }, ROTATED);
    expect(k1?.version === 2 && k1.key.keyId).toBe('k1');
    expect(recordedInputHashing({ version: 2, keyId: 'gone' }, ROTATED)).toBeUndefined();
  });
});

describe('replay across hash forms and key rotation', () => {
  const recorded = (hashingRing: 'legacy' | typeof BEFORE_ROTATION): DecisionRecord => {
    const hashing = hashingRing === 'legacy' ? LEGACY_INPUT_HASHING : currentInputHashing(hashingRing);
    const decision = evaluateLead(personLead, DEFAULT_POLICY, hashing);
    return {
      leadId: 'ld_test',
      revision: 1,
      evaluatedAt: '2026-01-05T08:00:00.000Z',
      lead: personLead,
      policyVersion: DEFAULT_POLICY.version,
      decision,
      adjustments: [],
      payableRewardFen: 0,
      status: 'PENDING_FINANCE',
    };
  };
  // Plain objects standing in for the stores: the use case's own logic is what is tested here; the
  // same replay over HTTP on DynamoDB Local is in test/integration/audit/replay-legacy-input-hash.test.ts.
  const replay = (record: DecisionRecord) =>
    replayDecision(
      {
        leads: { decisions: async () => [record] },
        policies: { all: async () => [DEFAULT_POLICY] },
        identifierKeys: { keyring: async () => ROTATED },
      },
      { leadId: record.leadId, revision: 1 },
    );

  it('replays a form-1 decision byte for byte with form 1', async () => {
    expect(await replay(recorded('legacy'))).toMatchObject({ identical: true, inputHashMatches: true });
  });

  it('replays a decision recorded under a key that is no longer current, with that key', async () => {
    expect(await replay(recorded(BEFORE_ROTATION))).toMatchObject({
      identical: true,
      inputHashMatches: true,
    });
  });

  it('refuses to replay when the recorded key has left the ring (a deployment fault, never a quiet mismatch)', async () => {
    const record = recorded(BEFORE_ROTATION);
    const orphan = {
      ...record,
      decision: { ...record.decision, inputHashForm: { version: 2 as const, keyId: 'gone' } },
    };
    await expect(replay(orphan)).rejects.toThrow(/gone is no longer in the keyring/);
  });
});
