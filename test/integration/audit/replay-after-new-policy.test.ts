import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from '#shared/adapters/dynamodb/dynamo-lead-store.ts';
import { DynamoPolicyStore } from '#shared/adapters/dynamodb/dynamo-policy-store.ts';
import { configuredIdentifierKeys } from '#shared/adapters/identifier-keys.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import { LEGACY_INPUT_HASHING } from '#shared/policy/input-hash.ts';
import { type Policy, PolicySchema } from '#shared/policy/policy-schema.ts';
import { selectPolicy } from '#shared/policy/select-policy.ts';
import { replayDecision } from '#shared/use-cases/replay-decision.ts';
import {
  cloud,
  ensureDefaultPolicy,
  freshLead,
  localDynamoDb,
  submit,
  tableName,
  tokenFor,
  waitForEvaluation,
} from '#test/support/api.ts';

/**
 * Scenario 18: a policy version published later, with an effective date in the past of a recorded
 * decision, changes nothing about that decision: replay uses the version the decision recorded.
 * The newer version is given to the use case beside the stored ones rather than published, because every
 * test of this run shares one Reference table and later leads would be evaluated under it.
 */

const client = localDynamoDb();
let leadId: string;

/** kfq-2019 with a 3% reward, in force from 2020: it would change every decision made under it. */
const newerVersion: Policy = PolicySchema.parse({
  ...DEFAULT_POLICY,
  version: 'kfq-2020-test',
  effectiveFrom: '2020-01-01T00:00:00+08:00',
  rules: DEFAULT_POLICY.rules.map((rule) =>
    rule.type === 'referral_reward' ? { ...rule, basisPoints: 300 } : rule,
  ),
});

beforeAll(async () => {
  await ensureDefaultPolicy(client);
  const team = await tokenFor('sector:logistics');
  leadId = await submit(team, freshLead('logistics'));
  await waitForEvaluation(team, leadId);
});
afterAll(() => client.destroy());

describe('replay after a newer policy version', () => {
  it('recomputes the recorded decision identically under its recorded version, not the one in force now', async () => {
    const audit = new DynamoAuditTrail(client, tableName('AUDIT_TABLE'), 'unused');
    const leads = new DynamoLeadStore(client, tableName('LEADS_TABLE'), audit);
    const stored = await new DynamoPolicyStore(client, tableName('REFERENCE_TABLE')).all();
    const policies = { all: async () => [...stored, newerVersion] };

    const [recorded] = await leads.decisions(leadId);
    if (recorded === undefined) throw new Error('no decision recorded');
    // The newer version is in force at the lead's submission time and would decide differently…
    const inForce = selectPolicy(await policies.all(), recorded.evaluatedAt);
    expect(inForce.version).toBe('kfq-2020-test');
    expect(evaluateLead(recorded.lead, inForce, LEGACY_INPUT_HASHING).referralReward.amountFen).not.toBe(
      recorded.decision.referralReward.amountFen,
    );
    // …yet replay uses the recorded version and gets the same decision, byte for byte.
    const identifierKeys = configuredIdentifierKeys({ IDENTIFIER_KEYS: cloud.env.IDENTIFIER_KEYS });
    const replay = await replayDecision({ leads, policies, identifierKeys }, { leadId, revision: 1 });
    expect(replay).toMatchObject({ identical: true, policyVersion: 'kfq-2019', policyHashMatches: true });
  });
});
