import { randomUUID } from 'node:crypto';
import type { Adapters } from '#shared/adapters/composition.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { sha256Hex } from '#shared/domain/canonical-json.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import type { Policy } from '#shared/policy/policy-schema.ts';
import { type FundStore, noFundMetrics } from '#shared/ports/funds.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import type { AllocateFundMessage } from '#shared/schemas/messages.ts';
import { allocateFund } from '#shared/use-cases/allocate-fund.ts';
import { evaluateLeadRevision } from '#shared/use-cases/evaluate-lead-revision.ts';
import { receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { leadInFen } from '#test/fixtures/leads.ts';
import { PAYOUT_GATES_OFF } from '#test/fixtures/payout-settings.ts';

/** Helpers for fund tests on the local engines: a fresh fund per test, leads evaluated under a policy naming it. */
export function fundTestKit(adapters: Adapters) {
  const fundId = `test-${randomUUID().slice(0, 8)}`;
  const policy: Policy = {
    ...DEFAULT_POLICY,
    version: `test-${fundId}`,
    rules: DEFAULT_POLICY.rules.map((rule) => (rule.type === 'conversion_fund' ? { ...rule, fundId } : rule)),
    // These tests are about the fund's mechanics: the payout rules (issue 17) have tests of their own.
    payout: PAYOUT_GATES_OFF,
  };
  const sent: AllocateFundMessage[] = [];
  const deps = {
    funds: adapters.funds,
    leads: adapters.leads,
    reviews: adapters.reviews,
    evidence: adapters.evidence,
    signOffs: adapters.signOffs,
    notices: adapters.notices,
    clawbacks: adapters.clawbacks,
    discretionary: adapters.discretionary,
    calendar: adapters.calendar,
    clock: adapters.clock,
    fundMetrics: noFundMetrics,
    policies: { all: async () => [policy], publish: async () => 'published' as const },
    allocationQueue: { send: async (message: AllocateFundMessage) => void sent.push(message) },
    evaluationQueue: { send: async () => undefined },
    identifierKeys: adapters.identifierKeys,
  };
  const submitter: Principal = { userId: `officer-${fundId}`, roles: ['sector:optoelectronics'] };

  /** Stores a lead (planned only unless `actualFen`) and records decision revision 1. */
  async function evaluatedLead(fields: {
    plannedFen?: number;
    actualFen?: number;
    fundRequestFen: number;
    introducer?: Lead['introducer'];
  }) {
    const lead: Lead = leadInFen({
      plannedFen: fields.plannedFen ?? 12_000_000_000,
      fundRequestFen: fields.fundRequestFen,
      ...(fields.introducer === undefined ? {} : { introducer: fields.introducer }),
      ...(fields.actualFen === undefined ? {} : { actualFen: fields.actualFen }),
    });
    const leadId = `ld_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    // Each test lead is its own project, whatever its investor: no duplicate-project effects here.
    const record = receivedLeadRecord(lead, {
      leadId,
      submittedBy: { userId: submitter.userId, role: `sector:${lead.sector}` },
      projectKey: sha256Hex(`project-${leadId}`),
    });
    const created = await adapters.leads.create(record, receivedAuditDraft(record));
    if (created !== 'created') throw new Error(`fixture lead not created: ${created}`);
    await evaluateLeadRevision(deps, { schemaVersion: 1, leadId, revision: 1 });
    return leadId;
  }

  function message(leadId: string, revision = 1): AllocateFundMessage {
    return { schemaVersion: 1, leadId, revision, fundId };
  }

  async function allocate(leadId: string, revision = 1) {
    return allocateFund(deps, message(leadId, revision));
  }

  async function openFund(totalFen: number) {
    const outcome = await adapters.funds.open(
      { fundId, totalFen, at: adapters.clock.now().toISOString() },
      {
        at: adapters.clock.now().toISOString(),
        actor: { userId: 'test-admin', role: 'admin' },
        action: 'fund.opened',
        subject: `fund:${fundId}`,
        inputHash: null,
        policyVersion: null,
        details: { fundId, totalFen },
      },
    );
    if (outcome !== 'opened') throw new Error('test fund already open');
  }

  return { fundId, policy, deps, sent, submitter, evaluatedLead, message, allocate, openFund };
}

export const finance = (userId: string): Principal => ({ userId, roles: ['finance'] });

/**
 * The fund store, with a look at every `apply` once its transaction is done: `after` sees the result
 * (to count conflicts) or throws (a crash after the transaction, before the caller learns of it).
 */
export function afterApply(
  funds: FundStore,
  after: (result: Awaited<ReturnType<FundStore['apply']>>) => void,
): FundStore {
  return {
    balance: (id) => funds.balance(id),
    allocation: (id, lead) => funds.allocation(id, lead),
    allocationAndBalance: (id, lead) => funds.allocationAndBalance(id, lead),
    waitlist: (id, limit) => funds.waitlist(id, limit),
    open: (fund, audit) => funds.open(fund, audit),
    apply: async (change, audit) => {
      const result = await funds.apply(change, audit);
      after(result);
      return result;
    },
  };
}
