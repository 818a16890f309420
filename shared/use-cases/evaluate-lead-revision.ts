import type { IdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import { isDuplicateProject, settleDecision } from '#shared/domain/lead-outcome.ts';
import { evaluateLeadWithInputHash } from '#shared/policy/evaluate-lead.ts';
import {
  currentInputHashing,
  isCurrentForm,
  leadHash,
  type StoredInputHash,
} from '#shared/policy/input-hash.ts';
import { selectPolicy } from '#shared/policy/select-policy.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { PolicyStore } from '#shared/ports/policies.ts';
import type { AllocationQueue } from '#shared/ports/queues.ts';
import type { DecisionRecord, LeadRecord } from '#shared/schemas/lead-record.ts';
import type { AllocateFundMessage, EvaluateLeadMessage } from '#shared/schemas/messages.ts';

export interface EvaluateLeadDeps {
  readonly leads: LeadStore;
  readonly policies: PolicyStore;
  readonly allocationQueue: AllocationQueue;
  readonly clock: Clock;
  readonly identifierKeys: IdentifierKeys;
}

export class LeadNotFoundError extends Error {
  override readonly name = 'LeadNotFoundError';
}

/** A later revision was asked for before the one it builds on: try again once that one is stored. */
export class RevisionOutOfOrderError extends Error {
  override readonly name = 'RevisionOutOfOrderError';
}

export type EvaluationOutcome = 'recorded' | 'already_recorded';

/**
 * Evaluates one revision of a lead under the policy in force when the lead was submitted, stores the
 * decision with its audit entry, and sends fund-eligible leads on to allocation. Delivered twice, the
 * second delivery writes nothing (the decision write is conditional on the revision).
 */
export async function evaluateLeadRevision(
  deps: EvaluateLeadDeps,
  message: EvaluateLeadMessage,
): Promise<EvaluationOutcome> {
  const lead = await deps.leads.get(message.leadId);
  if (lead === undefined) throw new LeadNotFoundError(`Lead ${message.leadId} does not exist.`);

  if (lead.latestRevision >= message.revision) {
    // Already decided. The allocation message may have been lost after the write: send it again;
    // allocation is idempotent per (lead, revision).
    const recorded = (await deps.leads.decisions(lead.leadId)).find((d) => d.revision === message.revision);
    if (recorded !== undefined) await forwardToAllocation(deps, recorded);
    return 'already_recorded';
  }
  if (message.revision !== lead.latestRevision + 1) {
    throw new RevisionOutOfOrderError(
      `Lead ${lead.leadId} is at revision ${lead.latestRevision}; revision ${message.revision} must wait.`,
    );
  }

  const policy = selectPolicy(await deps.policies.all(), lead.submittedAt);
  const decision = evaluateLeadWithInputHash(
    lead.lead,
    policy,
    inputHashOf(lead, await deps.identifierKeys.keyring()),
  );
  const evaluatedAt = deps.clock.now().toISOString();
  const record: DecisionRecord = {
    leadId: lead.leadId,
    revision: message.revision,
    evaluatedAt,
    lead: lead.lead,
    policyVersion: policy.version,
    decision,
    ...settleDecision(decision, lead.duplicateOf),
    // Maker-checker: whoever reported the investment this revision rests on may not approve or pay it.
    ...(lead.pendingRevision === message.revision && lead.pendingReportedBy !== undefined
      ? { investmentReportedBy: lead.pendingReportedBy }
      : {}),
  };
  // Its allocation is marked pending in the same transaction: if the message below is lost, the
  // reconciler finds the mark and sends it again.
  const asked = allocationAsked(record);
  const outcome = await deps.leads.recordDecision(
    record,
    {
      at: evaluatedAt,
      actor: { userId: 'pipeline', role: 'system' },
      action: 'lead.evaluated',
      subject: lead.leadId,
      inputHash: decision.inputHash,
      policyVersion: policy.version,
      details: {
        revision: record.revision,
        from: lead.status,
        to: record.status,
        policyHash: decision.policyHash,
        rewardFen: decision.referralReward.amountFen,
        payableRewardFen: record.payableRewardFen,
        fundCapFen: decision.fund.capFen,
        duplicateOf: lead.duplicateOf,
      },
    },
    asked === undefined ? undefined : { fundId: asked.fundId },
    lead,
  );
  if (outcome === 'recorded') await forwardToAllocation(deps, record);
  return outcome;
}

/**
 * The input hash the decision records. The lead revision was hashed when it was stored (intake, a reported
 * investment, a referrer registration: each writes the lead and its hash in one update), so evaluation
 * takes that hash instead of hashing the lead again; replay recomputes it and reports a mismatch. A lead
 * stored before form 2, or under a key rotated out since, is hashed again under the current key, as every
 * new decision records the current form.
 */
function inputHashOf(lead: LeadRecord, keyring: IdentifierKeyring): StoredInputHash {
  if (isCurrentForm(lead, keyring)) return { inputHash: lead.inputHash, inputHashForm: lead.inputHashForm };
  const hashing = currentInputHashing(keyring);
  return { inputHash: leadHash(lead.lead, hashing), inputHashForm: hashing.form };
}

/** The allocation message a decision asks for, if it asks the fund for anything. */
export function allocationAsked(record: DecisionRecord): AllocateFundMessage | undefined {
  const fund = record.decision.fund;
  if (isDuplicateProject(record)) return undefined;
  // A later revision goes on even with a cap of 0: an earlier reservation must then be released.
  const mayHoldReservation = record.revision > 1;
  if (!mayHoldReservation && (fund.eligible !== true || fund.capFen <= 0)) return undefined;
  return { schemaVersion: 1, leadId: record.leadId, revision: record.revision, fundId: fund.fundId };
}

async function forwardToAllocation(deps: EvaluateLeadDeps, record: DecisionRecord): Promise<void> {
  const message = allocationAsked(record);
  if (message !== undefined) await deps.allocationQueue.send(message);
}

/** On the last delivery before the dead-letter queue, the lead records why it could not be evaluated. */
export async function recordEvaluationGaveUp(
  deps: Pick<EvaluateLeadDeps, 'leads' | 'clock'>,
  message: EvaluateLeadMessage,
  receiveCount: number,
  reason: string,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  await deps.leads.recordEvaluationFailure(
    message.leadId,
    { at, reason, receiveCount },
    {
      at,
      actor: { userId: 'pipeline', role: 'system' },
      action: 'lead.evaluation_failed',
      subject: message.leadId,
      inputHash: null,
      policyVersion: null,
      details: { revision: message.revision, receiveCount, reason },
    },
  );
}
