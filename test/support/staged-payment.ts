/**
 * A lead decided under a staged policy (issue 17, part 5), for the tests over HTTP and in the browser.
 *
 * The policy is published by the test and is in force from a moment of June 2018 until kfq-2019
 * (2019-01-01) takes over, so no other test's lead is decided under it (the pipeline selects the policy by
 * submission time); the lead, submitted then, is stored and evaluated in process, and everything after goes
 * through the routes. Its registration gate and tiers are off: they have tests of their own, and a
 * registration would re-evaluate the lead under the policy in force today.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { sha256Hex } from '#shared/domain/canonical-json.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { DEFAULT_PAYOUT_SETTINGS } from '#shared/policy/payout-settings.ts';
import type { Policy } from '#shared/policy/policy-schema.ts';
import { evaluateLeadRevision } from '#shared/use-cases/evaluate-lead-revision.ts';
import { receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { leadInFen } from '#test/fixtures/leads.ts';
import { useLocalCloudEnv } from './api.ts';

const STAGES = [
  { shareBasisPoints: 5000, condition: { kind: 'investment_in_place', percent: 30 } },
  { shareBasisPoints: 5000, condition: { kind: 'stage_reached', stage: 'in_production' } },
] as const;

export function stagedPolicy(): Policy {
  // In force from a moment of June 2018 until kfq-2019 takes over: only a lead submitted then is decided
  // under it. A distinct instant per run: two versions in force from the same instant would be ambiguous.
  const effectiveFrom = new Date(Date.UTC(2018, 5, 1) + (Date.now() % 86_400_000)).toISOString();
  return {
    ...DEFAULT_POLICY,
    version: `kfq-staged-e2e-${Date.now()}`,
    effectiveFrom,
    payout: {
      ...DEFAULT_PAYOUT_SETTINGS,
      registration: {
        required: false,
        beforeSigning: false,
        excludePublicPayrollStaff: false,
        excludeTiedToInvestor: false,
      },
      approvals: { financeHeadAboveFen: null, collectiveAboveFen: null, collectiveForCaseByCase: false },
      notice: { workingDays: 5 },
      stages: STAGES.map((stage) => ({ ...stage, condition: { ...stage.condition } })),
    },
  };
}

/** A lead of the optoelectronics team, decided under `policy`: planned 4亿, 16,000,000,050 fen in place. */
export async function leadUnder(policy: Policy, officer: string): Promise<string> {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  const adapters = productionAdapters();
  const lead = leadInFen({
    plannedFen: 40_000_000_000,
    actualFen: 16_000_000_050,
    fundRequestFen: 100_000_000,
  });
  const leadId = `ld_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const record = receivedLeadRecord(lead, {
    leadId,
    submittedBy: { userId: officer, role: `sector:${lead.sector}` },
    projectKey: sha256Hex(`staged-e2e-${leadId}`),
    submittedAt: new Date(Date.parse(policy.effectiveFrom) + 1000).toISOString(),
  });
  expect(await adapters.leads.create(record, receivedAuditDraft(record))).toBe('created');
  await evaluateLeadRevision(
    { ...adapters, policies: { all: async () => [policy], publish: async () => 'published' as const } },
    { schemaVersion: 1, leadId, revision: 1 },
  );
  return leadId;
}
