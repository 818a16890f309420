import type { Principal } from '#shared/auth/principal.ts';
import { sectorsOf } from '#shared/auth/principal.ts';
import { canonicalJson } from '#shared/domain/canonical-json.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { currentInputHashing, leadHash } from '#shared/policy/input-hash.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { LeadRevisionStore, LeadStore } from '#shared/ports/leads.ts';
import type { EvaluationQueue } from '#shared/ports/queues.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import { LEAD_STATUS_ZH, type LeadStatus } from '#shared/schemas/lead-record.ts';
import type { ReferrerRegistration } from '#shared/schemas/referrer-registration.ts';

export interface RegisterReferrerDeps {
  readonly leads: LeadStore & LeadRevisionStore;
  readonly evaluationQueue: EvaluationQueue;
  readonly clock: Clock;
  readonly identifierKeys: IdentifierKeys;
}

const REVISABLE: readonly LeadStatus[] = ['PENDING_FINANCE', 'PENDING_CASE_REVIEW'];

/**
 * The lead's sector team records the referrer's registration (报备) with its three confirmations. It
 * becomes part of the lead and revision N+1 is queued for evaluation: the policy decides what it means
 * (registered after signing, public-payroll staff, tied to the investor: not eligible, with the reason),
 * never an edit of a recorded decision. A corrected registration is recorded the same way (another
 * revision); both are in the audit trail. Refused once finance has decided, while another re-evaluation is
 * pending, and for a lead without an introducer. A retry of the same registration whose message may not
 * have been sent sends it again. Another sector's lead answers 404.
 */
export async function registerReferrer(
  deps: RegisterReferrerDeps,
  command: { principal: Principal; leadId: string; registration: ReferrerRegistration },
): Promise<{ leadId: string; revision: number; registration: ReferrerRegistration }> {
  const lead = await deps.leads.get(command.leadId);
  if (lead === undefined || !sectorsOf(command.principal).includes(lead.sector)) {
    throw new NotFoundError({
      zh: `本专班没有线索 ${command.leadId}。`,
      en: `Lead ${command.leadId} does not exist in your sector.`,
    });
  }
  if (lead.lead.introducer.type === 'none') {
    throw new ConflictError('no_introducer', {
      zh: `线索 ${lead.leadId} 没有引荐人，无需报备。`,
      en: `Lead ${lead.leadId} has no introducer to register.`,
    });
  }
  if (lead.latestRevision === 0) {
    throw new ConflictError('not_evaluated', {
      zh: `线索 ${lead.leadId} 尚未完成评估；请在评估完成后再登记报备。`,
      en: `Lead ${lead.leadId} has not been evaluated yet; record the registration once it is.`,
    });
  }
  const revision = lead.latestRevision + 1;
  const recorded = { leadId: lead.leadId, revision, registration: command.registration };
  const same = (stored: Lead) =>
    stored.referrerRegistration !== undefined &&
    canonicalJson(stored.referrerRegistration) === canonicalJson(command.registration);
  if (lead.pendingRevision === revision && same(lead.lead)) {
    // A retry of this very registration: its message may have been lost, so send it again.
    await deps.evaluationQueue.send({ schemaVersion: 1, leadId: lead.leadId, revision });
    return recorded;
  }
  if (!REVISABLE.includes(lead.status)) {
    throw new ConflictError('review_closed', {
      zh: `线索 ${lead.leadId} 状态为${LEAD_STATUS_ZH[lead.status]}：报备已不能改变奖励。`,
      en: `Lead ${lead.leadId} is ${lead.status}: a registration can no longer change its reward.`,
    });
  }
  const at = deps.clock.now().toISOString();
  const updated: Lead = { ...lead.lead, referrerRegistration: command.registration };
  const hashing = currentInputHashing(await deps.identifierKeys.keyring());
  const inputHash = leadHash(updated, hashing);
  // Who reported the investment the latest revision rests on stays its reporter (maker-checker).
  const latest = (await deps.leads.decisions(lead.leadId)).find((d) => d.revision === lead.latestRevision);
  const actor = { userId: command.principal.userId, role: `sector:${lead.sector}` };
  const previous = lead.lead.referrerRegistration;
  const outcome = await deps.leads.reviseLead(
    {
      leadId: lead.leadId,
      expectedRevision: lead.latestRevision,
      allowedStatuses: REVISABLE,
      lead: updated,
      inputHash,
      inputHashForm: hashing.form,
      at,
      reportedBy: latest?.investmentReportedBy,
    },
    {
      at,
      actor,
      action: 'lead.referrer_registered',
      subject: lead.leadId,
      inputHash,
      policyVersion: null,
      details: {
        nextRevision: revision,
        correction: previous !== undefined,
        registeredOn: command.registration.registeredOn,
        contractSignedOn: command.registration.contractSignedOn,
        publicPayrollStaff: command.registration.publicPayrollStaff,
        tiedToInvestor: command.registration.tiedToInvestor,
        investorConfirmedBy: command.registration.confirmations.investor.name,
        investorConfirmedOn: command.registration.confirmations.investor.on,
        teamConfirmedBy: command.registration.confirmations.team.name,
        teamConfirmedOn: command.registration.confirmations.team.on,
        parkConfirmedBy: command.registration.confirmations.park.name,
        parkConfirmedOn: command.registration.confirmations.park.on,
      },
    },
  );
  if (outcome === 'conflict') {
    throw new ConflictError('reevaluation_in_progress', {
      zh: `线索 ${lead.leadId} 已有变动或正在重新评估；请重新查看，待新决定记录后再登记。`,
      en: `Lead ${lead.leadId} changed or is being re-evaluated; look at it again and record once its new decision is recorded.`,
    });
  }
  // If this send fails, the revision still waits in the table and the reconciler sends it again.
  await deps.evaluationQueue.send({ schemaVersion: 1, leadId: lead.leadId, revision });
  return recorded;
}
