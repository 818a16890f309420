import type { Principal } from '#shared/auth/principal.ts';
import { sectorsOf } from '#shared/auth/principal.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { currentInputHashing, leadHash } from '#shared/policy/input-hash.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { ActualInvestmentStore, LeadStore } from '#shared/ports/leads.ts';
import type { EvaluationQueue } from '#shared/ports/queues.ts';
import { LEAD_STATUS_ZH, type LeadStatus } from '#shared/schemas/lead-record.ts';

export interface ReportInvestmentDeps {
  readonly leads: LeadStore & ActualInvestmentStore;
  readonly evaluationQueue: EvaluationQueue;
  readonly clock: Clock;
  readonly identifierKeys: IdentifierKeys;
}

const REPORTABLE: readonly LeadStatus[] = ['PENDING_FINANCE', 'PENDING_CASE_REVIEW'];

/**
 * The lead's sector team reports the verified actual investment: it is stored on the lead (with the
 * audit entry) and revision N+1 is queued for evaluation; the new decision has basis `actual`, and its
 * allocation message adjusts the fund reservation to the new cap. Refused once finance has decided
 * (APPROVED, REJECTED, PAID) and while another re-evaluation is pending. A retry of the same report
 * whose message may not have been sent sends it again (evaluation is idempotent per revision).
 * Another sector's lead answers 404: a team does not learn of leads outside its sector.
 */
export async function reportActualInvestment(
  deps: ReportInvestmentDeps,
  command: { principal: Principal; leadId: string; amountFen: number; evidence?: string | undefined },
): Promise<{ leadId: string; revision: number; actualInvestmentFen: number }> {
  const lead = await deps.leads.get(command.leadId);
  if (lead === undefined || !sectorsOf(command.principal).includes(lead.sector)) {
    throw new NotFoundError({
      zh: `本专班没有线索 ${command.leadId}。`,
      en: `Lead ${command.leadId} does not exist in your sector.`,
    });
  }
  if (lead.latestRevision === 0) {
    throw new ConflictError('not_evaluated', {
      zh: `线索 ${lead.leadId} 尚未完成评估；请在评估完成后再登记。`,
      en: `Lead ${lead.leadId} has not been evaluated yet; report once it is.`,
    });
  }
  if (!REPORTABLE.includes(lead.status)) {
    throw new ConflictError('review_closed', {
      zh: `线索 ${lead.leadId} 状态为${LEAD_STATUS_ZH[lead.status]}：登记投资已不能改变奖励。`,
      en: `Lead ${lead.leadId} is ${lead.status}: its investment can no longer change the reward.`,
    });
  }
  const at = deps.clock.now().toISOString();
  const updated = { ...lead.lead, actualInvestment: command.amountFen };
  const hashing = currentInputHashing(await deps.identifierKeys.keyring());
  const inputHash = leadHash(updated, hashing);
  const revision = lead.latestRevision + 1;
  // Kept with the pending revision and copied onto its decision: the reporter may not approve or pay it.
  const reportedBy = { userId: command.principal.userId, role: `sector:${lead.sector}` };
  const outcome = await deps.leads.reportActualInvestment(
    {
      leadId: lead.leadId,
      expectedRevision: lead.latestRevision,
      allowedStatuses: REPORTABLE,
      actualInvestmentFen: command.amountFen,
      inputHash,
      inputHashForm: hashing.form,
      at,
      reportedBy,
    },
    {
      at,
      actor: reportedBy,
      action: 'lead.actual_investment_reported',
      subject: lead.leadId,
      inputHash,
      policyVersion: null,
      details: {
        actualInvestmentFen: command.amountFen,
        previousActualInvestmentFen: lead.lead.actualInvestment ?? null,
        nextRevision: revision,
        evidence: command.evidence ?? null,
      },
    },
  );
  if (outcome === 'conflict') {
    throw new ConflictError('reevaluation_in_progress', {
      zh: `线索 ${lead.leadId} 已有变动或正在重新评估；请重新查看，待新决定记录后再登记。`,
      en: `Lead ${lead.leadId} changed or is being re-evaluated; look at it again and report once its new decision is recorded.`,
    });
  }
  // If this send fails, the revision still waits in the table and the reconciler sends it again.
  await deps.evaluationQueue.send({ schemaVersion: 1, leadId: lead.leadId, revision });
  return { leadId: lead.leadId, revision, actualInvestmentFen: command.amountFen };
}
