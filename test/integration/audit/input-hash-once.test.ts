import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import { sha256Hex } from '#shared/domain/canonical-json.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { currentInputHashing, LEGACY_INPUT_HASHING, leadHash } from '#shared/policy/input-hash.ts';
import type { LeadRecord } from '#shared/schemas/lead-record.ts';
import { evaluateLeadRevision } from '#shared/use-cases/evaluate-lead-revision.ts';
import { replayDecision } from '#shared/use-cases/replay-decision.ts';
import { receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { leadInFen, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';
import { useLocalCloudEnv } from '#test/support/api.ts';

/**
 * Issue 18 part 3 on DynamoDB Local: evaluation records the input hash stored with the lead revision (it
 * does not hash the lead again), and replay recomputes it and reports a mismatch.
 */

let adapters: Adapters;
beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  adapters = productionAdapters();
});

const policies = { all: async () => [DEFAULT_POLICY], publish: async () => 'published' as const };
// No fund request: these decisions ask nothing of the fund, so nothing is sent to allocation.
// A natural person's resident ID makes the two hash forms differ.
const lead = () =>
  leadInFen({
    plannedFen: 12_000_000_000,
    introducer: { type: 'natural_person', name: '李明', residentId: PERSON_RESIDENT_ID },
  });

async function evaluated(stored: (record: LeadRecord) => Pick<LeadRecord, 'inputHash' | 'inputHashForm'>) {
  const base = receivedLeadRecord(lead(), { projectKey: sha256Hex(`input-hash-once-${randomUUID()}`) });
  const { inputHashForm: _form, ...withoutForm } = base;
  const record: LeadRecord = { ...withoutForm, ...stored(base) };
  expect(await adapters.leads.create(record, receivedAuditDraft(record))).toBe('created');
  await evaluateLeadRevision(
    { ...adapters, policies },
    { schemaVersion: 1, leadId: record.leadId, revision: 1 },
  );
  const [decision] = await adapters.leads.decisions(record.leadId);
  const replay = await replayDecision(
    { leads: adapters.leads, policies, identifierKeys: adapters.identifierKeys },
    { leadId: record.leadId, revision: 1 },
  );
  return { record, decision: decision?.decision, replay };
}

describe('the input hash is made once, at intake', () => {
  it('evaluation records the hash stored with the lead, and replay recomputes the same', async () => {
    const hashing = currentInputHashing(await adapters.identifierKeys.keyring());
    const { record, decision, replay } = await evaluated((base) => ({
      inputHash: leadHash(base.lead, hashing),
      inputHashForm: hashing.form,
    }));
    expect(decision).toMatchObject({ inputHash: record.inputHash, inputHashForm: hashing.form });
    expect(replay).toMatchObject({ identical: true, inputHashMatches: true });
  });

  it('evaluation takes the stored hash as it is; replay reports that it is not the lead’s', async () => {
    const hashing = currentInputHashing(await adapters.identifierKeys.keyring());
    // A stored hash in the current form that the stored lead does not hash to (e.g. the lead item was
    // changed afterwards without its hash): evaluation must not notice, replay must.
    const wrong = sha256Hex('not this lead');
    const { record, decision, replay } = await evaluated(() => ({
      inputHash: wrong,
      inputHashForm: hashing.form,
    }));
    expect(decision?.inputHash).toBe(wrong);
    expect(replay).toMatchObject({ identical: false, inputHashMatches: false, policyHashMatches: true });
    expect(replay.replayed?.inputHash).toBe(leadHash(record.lead, hashing));
  });

  it('a lead stored with a form-1 hash is hashed again in the current form', async () => {
    const hashing = currentInputHashing(await adapters.identifierKeys.keyring());
    const { record, decision, replay } = await evaluated((base) => ({
      inputHash: leadHash(base.lead, LEGACY_INPUT_HASHING),
    }));
    expect(decision).toMatchObject({
      inputHash: leadHash(record.lead, hashing),
      inputHashForm: hashing.form,
    });
    expect(decision?.inputHash).not.toBe(record.inputHash);
    expect(replay).toMatchObject({ identical: true, inputHashMatches: true });
  });
});
