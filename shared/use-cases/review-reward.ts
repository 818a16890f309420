/**
 * Finance review commands: approve, reject, record a one-case-one-policy outcome, mark paid. Each is one
 * transaction with its audit entry (lead status + review record + the fund transition it goes with).
 * What is payable and who may act are the pure rules of `shared/domain/review-rules.ts`; how the fund
 * claim changes is `shared/domain/allocation.ts`. Approval commits what the lead holds in the fund (a
 * waitlisted lead leaves the waitlist with what it holds), and makes a still-queued allocation itself.
 */

import { randomUUID } from 'node:crypto';
import { hasRole, type Principal } from '#shared/auth/principal.ts';
import {
  type AllocationStep,
  commit,
  isFinal,
  isRefusal,
  negotiate,
  release,
} from '#shared/domain/allocation.ts';
import { isDuplicateProject } from '#shared/domain/lead-outcome.ts';
import {
  describeApprovals,
  evidenceRecorderRefusal,
  evidenceRefusal,
  legalBasisRefusal,
  nextSignOff,
  type PayoutRefusal,
  registrationRefusal,
  requiredApprovals,
} from '#shared/domain/payout-rules.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import {
  noticeIdOf,
  noticePeriod,
  noticeRefusal,
  noticeYears,
  publicIntroducerName,
} from '#shared/domain/public-notice.ts';
import {
  allocationPending,
  makerCheckerRefusal,
  type ReviewAction,
  type ReviewContext,
  rewardToApproveFen,
  whyNotPayable,
} from '#shared/domain/review-rules.ts';
import { stagePlanOf } from '#shared/domain/staged-payment.ts';
import {
  ConflictError,
  DuplicateProjectError,
  ForbiddenError,
  type LocalText,
  NotFoundError,
} from '#shared/errors.ts';
import {
  approvalSettingsOf,
  DEFAULT_PAYOUT_SETTINGS,
  noticeWorkingDaysOf,
  type PayoutSettings,
  payoutSettingsOf,
} from '#shared/policy/payout-settings.ts';
import type { ClawbackStore } from '#shared/ports/clawbacks.ts';
import type { EvidenceStore } from '#shared/ports/evidence.ts';
import type { FundChange } from '#shared/ports/funds.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { NoticeStore } from '#shared/ports/notices.ts';
import type { PendingWorkStore } from '#shared/ports/pending-work.ts';
import type { PolicyStore } from '#shared/ports/policies.ts';
import type { ProjectReference } from '#shared/ports/projects.ts';
import type { LeadTransition, ReviewStore } from '#shared/ports/reviews.ts';
import type { SignOffStore } from '#shared/ports/sign-offs.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { CaseOutcomeRecord, ReviewRecord } from '#shared/schemas/fund.ts';
import { type DecisionRecord, LEAD_STATUS_ZH, type LeadStatus } from '#shared/schemas/lead-record.ts';
import type { NoticeRecord } from '#shared/schemas/notice.ts';
import type { ApprovalRequirement, CollectiveDecision, SignOffRecord } from '#shared/schemas/sign-off.ts';
import {
  allocateFund,
  changeOf,
  type FundDeps,
  openFund,
  reportAvailability,
  STALE,
  serveWaitlist,
  snapshotOf,
  stepDetails,
  unlessStale,
} from './allocate-fund.ts';
import { afterOffsets, offsetsForPayment } from './clawback.ts';
import { calendarOf, settingsOf } from './projects/project-context.ts';

export interface ReviewDeps extends FundDeps {
  readonly leads: LeadStore & Pick<PendingWorkStore, 'duePending'>;
  readonly reviews: ReviewStore;
  /** The published policies: the payout rules of the decision's policy version gate approval. */
  readonly policies: Pick<PolicyStore, 'all'>;
  /** The evidence of the actual investment (issue 17). */
  readonly evidence: Pick<EvidenceStore, 'evidence'>;
  /** The sign-offs of approvals that need more than one (issue 17, part 3). */
  readonly signOffs: SignOffStore;
  /** The public notices an approval opens and marking paid waits for (issue 17, part 4). */
  readonly notices: Pick<NoticeStore, 'notice' | 'objections'>;
  /** The working-day calendar the admin keeps (and its default weekdays): a notice's deadline. */
  readonly calendar: Pick<ProjectReference, 'calendar' | 'settings'>;
  /** Offsets of earlier clawbacks deducted from a payment to the same introducer (issue 17, part 6). */
  readonly clawbacks: Pick<ClawbackStore, 'openOffsets' | 'clawbacks'>;
  readonly identifierKeys: IdentifierKeys;
}

/** An approval's answer: the review once complete (200), or what is still missing (202). */
export type ApprovalAnswer =
  | (ReviewRecord & { readonly signOffs: readonly SignOffRecord[]; readonly missing: readonly [] })
  | {
      readonly leadId: string;
      readonly revision: number;
      readonly state: 'PENDING_SIGN_OFF';
      readonly signOffs: readonly SignOffRecord[];
      readonly missing: readonly ApprovalRequirement[];
    };

/** The payout rules of the policy version a decision was made under (the defaults if it sets none). */
export async function payoutSettingsFor(
  deps: Pick<ReviewDeps, 'policies'>,
  decision: DecisionRecord,
): Promise<PayoutSettings> {
  const policy = (await deps.policies.all()).find((p) => p.version === decision.policyVersion);
  // A decision's policy is always published; were it not, the strict defaults apply rather than none.
  return policy === undefined ? DEFAULT_PAYOUT_SETTINGS : payoutSettingsOf(policy);
}

export function refusePayout(refusal: PayoutRefusal | undefined): void {
  if (refusal !== undefined) throw new ConflictError(refusal.code, refusal.message, refusal.missing);
}

/**
 * 公示 (issue 17, part 4): a payment waits until the approval's notice has ended clean at `now`. An
 * approval without a notice (the policy set none, or it came before notices existed) is paid as before.
 */
export async function refuseUntilNoticeClear(
  notices: Pick<NoticeStore, 'objections'>,
  notice: NoticeRecord | undefined,
  now: Date,
): Promise<void> {
  if (notice === undefined) return;
  const { objections, resolutions } = await notices.objections(notice.leadId, notice.noticeId);
  refusePayout(noticeRefusal(notice, objections, resolutions, now));
}

const OPEN: readonly LeadStatus[] = ['PENDING_FINANCE', 'PENDING_CASE_REVIEW'];

/** The review context of the latest decision, with every revision (paying looks at the approved one). */
export async function load(
  deps: ReviewDeps,
  leadId: string,
): Promise<ReviewContext & { readonly decisions: readonly DecisionRecord[] }> {
  const lead = await deps.leads.get(leadId);
  if (lead === undefined) {
    throw new NotFoundError({ zh: `线索 ${leadId} 不存在。`, en: `Lead ${leadId} does not exist.` });
  }
  const decisions = await deps.leads.decisions(leadId);
  const decision = decisions.find((d) => d.revision === lead.latestRevision);
  if (decision === undefined) {
    throw new ConflictError('not_evaluated', {
      zh: `线索 ${leadId} 尚未完成评估。`,
      en: `Lead ${leadId} has not been evaluated yet.`,
    });
  }
  const [review, caseOutcome, allocation] = await Promise.all([
    deps.reviews.review(leadId),
    deps.reviews.caseOutcome(leadId),
    deps.funds.allocation(decision.decision.fund.fundId, leadId),
  ]);
  return { lead, decision, review, caseOutcome, allocation, decisions };
}

function requireMakerChecker(action: ReviewAction, principal: Principal, context: ReviewContext): void {
  const refusal = makerCheckerRefusal(action, principal.userId, {
    lead: context.lead,
    revision: context.decision,
    caseOutcome: context.caseOutcome,
    review: context.review,
  });
  if (refusal !== undefined) throw new ForbiddenError(refusal, 'maker_checker');
}

function actorOf(principal: Principal) {
  return { userId: principal.userId, role: 'finance' };
}

/** The finance head signs as such; whoever else acts here acts as finance. */
function signerOf(principal: Principal, slot: SignOffRecord['slot']) {
  return { userId: principal.userId, role: slot === 'financeHead' ? 'finance-head' : 'finance' };
}

function requireOpen(context: ReviewContext): void {
  if (context.review !== undefined) {
    throw new ConflictError('already_reviewed', {
      zh: `线索 ${context.lead.leadId} 已审核，状态为${LEAD_STATUS_ZH[context.review.state]}。`,
      en: `Lead ${context.lead.leadId} is already ${context.review.state}.`,
    });
  }
  if (!OPEN.includes(context.lead.status)) {
    throw new ConflictError('not_reviewable', {
      zh: `线索 ${context.lead.leadId} 状态为${LEAD_STATUS_ZH[context.lead.status]}；只有待审核的线索可以审核。`,
      en: `Lead ${context.lead.leadId} is ${context.lead.status}; only a lead pending finance review can be reviewed.`,
    });
  }
}

function audit(
  at: string,
  principal: Principal,
  action: string,
  context: ReviewContext,
  details: AuditEntryDraft['details'],
): AuditEntryDraft {
  return {
    at,
    actor: actorOf(principal),
    action,
    subject: context.lead.leadId,
    inputHash: context.decision.decision.inputHash,
    policyVersion: context.decision.policyVersion,
    details: { revision: context.decision.revision, ...details },
  };
}

/** Finance's decision on the latest revision: the lead moves to it, with the review recorded once. */
function decided(
  { lead, decision }: ReviewContext,
  toStatus: 'APPROVED' | 'REJECTED',
  review: ReviewRecord,
  at: string,
): LeadTransition {
  return {
    leadId: lead.leadId,
    revision: decision.revision,
    fromStatus: lead.status,
    toStatus,
    at,
    review: { before: undefined, after: review },
  };
}

/** The fund change of a review: the allocation step when there is one, the lead's move always. */
function reviewChange(
  fundId: string,
  at: string,
  step: AllocationStep | undefined,
  lead: LeadTransition,
): FundChange {
  return step === undefined ? { fundId, at, lead } : changeOf(step, at, lead);
}

/** A transition on reads that no longer agree: somebody changed the lead's claim meanwhile. */
function fresh<T>(transition: () => T, leadId: string): T {
  const result = unlessStale(transition);
  if (result === STALE) throw concurrentChange(leadId);
  return result;
}

function concurrentChange(leadId: string): ConflictError {
  return new ConflictError('concurrent_change', {
    zh: `记录期间线索 ${leadId} 或其基金分配已发生变化；请重新查看后再试。`,
    en: `Lead ${leadId} or its fund allocation changed while this was being recorded; look again and retry.`,
  });
}

function conflictOnFailure(result: { applied: boolean }, leadId: string): void {
  if (!result.applied) throw concurrentChange(leadId);
}

function refuse(refusal: { code: string; message: LocalText }): never {
  if (refusal.code === 'duplicate_project') throw new DuplicateProjectError(refusal.message);
  throw new ConflictError(refusal.code, refusal.message);
}

/**
 * The first payout gate an approval of this context fails (issue 17: legal basis, then registration, then
 * evidence), or undefined. The approval refuses on it; GET /rewards shows it as why not approvable.
 */
export function payoutGateRefusal(
  context: ReviewContext,
  payout: PayoutSettings,
  evidence: Awaited<ReturnType<EvidenceStore['evidence']>>,
): PayoutRefusal | undefined {
  return (
    legalBasisRefusal({
      decision: context.decision,
      caseOutcome: context.caseOutcome,
      rewardFen: rewardToApproveFen(context),
      fundFen: context.allocation?.reservedFen ?? 0,
    }) ??
    registrationRefusal(payout, context.decision, rewardToApproveFen(context)) ??
    evidenceRefusal(payout, context.decision, evidence)
  );
}

export async function approveReward(
  deps: ReviewDeps,
  command: {
    principal: Principal;
    leadId: string;
    note?: string | undefined;
    collectiveDecision?: CollectiveDecision | undefined;
  },
): Promise<ApprovalAnswer> {
  let context = await load(deps, command.leadId);
  requireMakerChecker('approve', command.principal, context);
  if (allocationPending(context)) {
    // Finance need not wait for the queue: make the allocation now. It is idempotent per (lead,
    // revision), so the queued message finds it done.
    await allocateFund(deps, {
      schemaVersion: 1,
      leadId: context.lead.leadId,
      revision: context.decision.revision,
      fundId: context.decision.decision.fund.fundId,
    });
    context = await load(deps, command.leadId);
  }
  requireOpen(context);
  const refusal = whyNotPayable(context);
  if (refusal !== undefined) refuse(refusal);
  const [payout, evidence] = await Promise.all([
    payoutSettingsFor(deps, context.decision),
    deps.evidence.evidence(context.lead.leadId),
  ]);
  const recorder = evidenceRecorderRefusal(command.principal.userId, context.lead.leadId, evidence);
  if (recorder !== undefined) throw new ForbiddenError(recorder, 'approver_recorded_evidence');
  refusePayout(payoutGateRefusal(context, payout, evidence));

  const { lead, decision, allocation } = context;
  const at = deps.clock.now().toISOString();
  // Approval tiers: each approver's sign-off is an entry of its own; the last one approves.
  const required = requiredApprovals(
    approvalSettingsOf(payout),
    rewardToApproveFen(context) + (allocation?.reservedFen ?? 0),
    context.caseOutcome !== undefined,
  );
  const signed = (await deps.signOffs.signOffs(lead.leadId)).filter((s) => s.revision === decision.revision);
  const step = nextSignOff(
    required,
    signed,
    {
      userId: command.principal.userId,
      finance: hasRole(command.principal, 'finance'),
      financeHead: hasRole(command.principal, 'finance-head'),
    },
    command.collectiveDecision !== undefined,
  );
  if ('refusal' in step) {
    const { refusal } = step;
    if (refusal.status === 403) throw new ForbiddenError(refusal.message, refusal.code);
    throw new ConflictError(refusal.code, refusal.message, refusal.missing);
  }
  const signature: SignOffRecord = {
    signOffId: `so_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
    leadId: lead.leadId,
    revision: decision.revision,
    slot: step.slot,
    ...(command.collectiveDecision === undefined ? {} : { collectiveDecision: command.collectiveDecision }),
    signedBy: signerOf(command.principal, step.slot),
    signedAt: at,
  };
  if (step.missingAfter.length > 0) {
    return recordSignOff(deps, context, signature, step.missingAfter, signed, command.note);
  }
  const signOffs = [...signed, signature];

  const fundId = decision.decision.fund.fundId;
  const fund = allocation === undefined || isFinal(allocation) ? undefined : await openFund(deps, fundId);
  const fundStep = fund === undefined ? undefined : fresh(() => commit(allocation, fund, at), lead.leadId);
  const rewardFen = rewardToApproveFen(context);
  const fundFen = fundStep?.after.committedFen ?? 0;
  const notice = await noticeToOpen(deps, context, noticeWorkingDaysOf(payout), at, rewardFen, fundFen);
  const review: ReviewRecord = {
    leadId: lead.leadId,
    state: 'APPROVED',
    revision: decision.revision,
    rewardFen,
    fundFen,
    decidedBy: signature.signedBy,
    decidedAt: at,
    note: command.note ?? null,
    payment: null,
  };
  const result = await deps.funds.apply(
    reviewChange(fundId, at, fundStep, {
      ...decided(context, 'APPROVED', review, at),
      ...(notice === undefined ? {} : { notice }),
    }),
    audit(at, command.principal, 'reward.approved', context, {
      from: lead.status,
      to: 'APPROVED',
      rewardFen,
      fundId,
      ...stepDetails(fundStep),
      note: command.note ?? null,
      required: required.join(','),
      signedBy: signOffs.map((s) => `${s.slot ?? 'collectiveDecision'}:${s.signedBy.userId}`).join(','),
      ...collectiveDetails(signOffs),
      noticeId: notice?.noticeId ?? null,
      noticeWorkingDays: notice?.workingDays ?? 0,
      objectionDeadline: notice?.objectionDeadline ?? null,
      noticeEndsAt: notice?.endsAt ?? null,
    }),
  );
  conflictOnFailure(result, lead.leadId);
  await reportAvailability(deps, fundId);
  return { ...review, signOffs, missing: [] };
}

/**
 * The public notice an approval opens (none when the policy sets 0 working days): its deadline on the
 * admin's working-day calendar, and what the public list shows, names masked, fixed at approval.
 */
async function noticeToOpen(
  deps: ReviewDeps,
  { lead, decision, caseOutcome }: ReviewContext,
  workingDays: number,
  at: string,
  rewardFen: number,
  fundFen: number,
): Promise<NoticeRecord | undefined> {
  if (workingDays === 0) return undefined;
  const approvedAt = new Date(at);
  const settings = await settingsOf(deps.calendar);
  const calendar = await calendarOf(deps.calendar, settings, noticeYears(shanghaiDateOf(approvedAt)));
  const period = noticePeriod(approvedAt, workingDays, calendar);
  const { referralReward, fund, flags } = decision.decision;
  const bases =
    caseOutcome !== undefined
      ? [flags.find((f) => f.code === 'ONE_CASE_ONE_POLICY')?.legalBasis]
      : [rewardFen > 0 ? referralReward.legalBasis : undefined, fundFen > 0 ? fund.legalBasis : undefined];
  const legalBasis = bases
    .flatMap((basis) => (basis === undefined ? [] : [{ document: basis.document, clauses: basis.clauses }]))
    .filter((basis, i, all) => all.findIndex((b) => JSON.stringify(b) === JSON.stringify(basis)) === i);
  return {
    noticeId: noticeIdOf(lead.leadId),
    leadId: lead.leadId,
    revision: decision.revision,
    openedAt: at,
    ...period,
    workingDays,
    content: {
      projectName: decision.lead.projectName,
      investorName: decision.lead.investor.name,
      introducerName: publicIntroducerName(decision.lead.introducer),
      rewardFen,
      fundFen,
      legalBasis,
    },
    openObjections: 0,
    upheldObjections: 0,
  };
}

/** The collective decision an approval rests on, for its audit entry (none: nulls). */
function collectiveDetails(entries: readonly SignOffRecord[]) {
  const decision = entries.findLast((s) => s.collectiveDecision !== undefined)?.collectiveDecision;
  return {
    collectiveBody: decision?.body ?? null,
    collectiveMeetingDate: decision?.meetingDate ?? null,
    collectiveMinutesNumber: decision?.minutesNumber ?? null,
  };
}

/** A sign-off that does not complete the approval: its own entry, audited; the lead stays pending. */
async function recordSignOff(
  deps: ReviewDeps,
  context: ReviewContext,
  signature: SignOffRecord,
  missing: readonly ApprovalRequirement[],
  signed: readonly SignOffRecord[],
  note: string | undefined,
): Promise<ApprovalAnswer> {
  await deps.signOffs.recordSignOff(signature, {
    at: signature.signedAt,
    actor: signature.signedBy,
    action: signature.slot === null ? 'reward.collective_decision_recorded' : 'reward.signed_off',
    subject: context.lead.leadId,
    inputHash: context.decision.decision.inputHash,
    policyVersion: context.decision.policyVersion,
    details: {
      revision: context.decision.revision,
      signOffId: signature.signOffId,
      slot: signature.slot,
      rewardFen: rewardToApproveFen(context),
      missing: missing.join(','),
      missingZh: describeApprovals(missing).zh,
      note: note ?? null,
      ...collectiveDetails([signature]),
    },
  });
  return {
    leadId: context.lead.leadId,
    revision: context.decision.revision,
    state: 'PENDING_SIGN_OFF',
    signOffs: [...signed, signature],
    missing,
  };
}

export async function rejectReward(
  deps: ReviewDeps,
  command: { principal: Principal; leadId: string; reason: string },
): Promise<ReviewRecord> {
  const context = await load(deps, command.leadId);
  requireMakerChecker('reject', command.principal, context);
  requireOpen(context);
  const { lead, decision, allocation } = context;
  const at = deps.clock.now().toISOString();
  const fundId = decision.decision.fund.fundId;
  const balance = await deps.funds.balance(fundId);
  // Without an open fund nothing can be held in it: the lead is closed without a fund step.
  const step =
    balance === undefined
      ? undefined
      : release(
          allocation,
          { fundId, leadId: lead.leadId, revision: decision.revision },
          snapshotOf(balance),
          at,
        );
  const review: ReviewRecord = {
    leadId: lead.leadId,
    state: 'REJECTED',
    revision: decision.revision,
    rewardFen: 0,
    fundFen: 0,
    decidedBy: actorOf(command.principal),
    decidedAt: at,
    note: command.reason,
    payment: null,
  };
  const result = await deps.funds.apply(
    reviewChange(fundId, at, step, decided(context, 'REJECTED', review, at)),
    audit(at, command.principal, 'reward.rejected', context, {
      from: lead.status,
      to: 'REJECTED',
      reason: command.reason,
      fundId,
      ...stepDetails(step),
    }),
  );
  conflictOnFailure(result, lead.leadId);
  if (step?.move !== undefined) await serveWaitlist(deps, fundId);
  await reportAvailability(deps, fundId);
  return review;
}

export async function recordCaseOutcome(
  deps: ReviewDeps,
  command: { principal: Principal; leadId: string; rewardFen: number; fundFen: number; reason: string },
): Promise<CaseOutcomeRecord> {
  const context = await load(deps, command.leadId);
  requireMakerChecker('record_case_outcome', command.principal, context);
  requireOpen(context);
  const { lead, decision, allocation } = context;
  if (lead.status !== 'PENDING_CASE_REVIEW') {
    throw new ConflictError('not_case_by_case', {
      zh: `线索 ${lead.leadId} 不在等待一事一议结果。`,
      en: `Lead ${lead.leadId} is not awaiting a one-case-one-policy outcome.`,
    });
  }
  if (context.caseOutcome !== undefined) {
    throw new ConflictError('case_outcome_exists', {
      zh: `线索 ${lead.leadId} 已记录一事一议结果。`,
      en: `Lead ${lead.leadId} already has a recorded case outcome.`,
    });
  }
  const duplicate = isDuplicateProject(decision);
  if (duplicate && (command.rewardFen > 0 || command.fundFen > 0)) {
    throw new DuplicateProjectError({
      zh: `线索 ${lead.leadId} 与已登记项目重复（撞单）：一个项目只能获得一次奖励和一份基金支持，协商的奖励和基金金额只能为 0。`,
      en: `Lead ${lead.leadId} duplicates a project already registered: a project earns one reward and one fund share, ever, so its negotiated reward and fund amount can only be 0.`,
    });
  }
  const fundId = decision.decision.fund.fundId;
  const balance = await deps.funds.balance(fundId);
  const at = deps.clock.now().toISOString();
  let step: AllocationStep | undefined;
  if (balance !== undefined) {
    const terms = {
      fundId,
      leadId: lead.leadId,
      revision: decision.revision,
      fundFen: command.fundFen,
      duplicate,
    };
    const negotiated = fresh(() => negotiate(allocation, terms, snapshotOf(balance), at), lead.leadId);
    if (isRefusal(negotiated)) refuse({ code: negotiated.refused, message: negotiated.message });
    step = negotiated;
  } else if (command.fundFen > 0) {
    throw new ConflictError('fund_not_open', {
      zh: `基金 ${fundId} 尚未设立，不能给予本线索任何金额。`,
      en: `Fund ${fundId} is not open; it can give this lead nothing.`,
    });
  }
  const record: CaseOutcomeRecord = {
    rewardFen: command.rewardFen,
    fundFen: command.fundFen,
    reason: command.reason,
    recordedBy: actorOf(command.principal),
    recordedAt: at,
    revision: decision.revision,
  };
  const result = await deps.funds.apply(
    reviewChange(fundId, at, step, {
      leadId: lead.leadId,
      revision: decision.revision,
      fromStatus: 'PENDING_CASE_REVIEW',
      toStatus: 'PENDING_FINANCE',
      at,
      caseOutcome: record,
    }),
    audit(at, command.principal, 'case.outcome_recorded', context, {
      rewardFen: command.rewardFen,
      fundFen: command.fundFen,
      reason: command.reason,
      fundId,
      ...stepDetails(step),
    }),
  );
  if (!result.applied && result.failed.includes('balance')) {
    throw new ConflictError('fund_insufficient', {
      zh: `基金 ${fundId} 已没有足够的可用余额支持此结果；请重新查看后再试。`,
      en: `Fund ${fundId} no longer has the money for this outcome available; look again and retry.`,
    });
  }
  conflictOnFailure(result, lead.leadId);
  if (step?.move?.kind === 'release') await serveWaitlist(deps, fundId);
  await reportAvailability(deps, fundId);
  return record;
}

export async function markPaid(
  deps: ReviewDeps,
  command: { principal: Principal; leadId: string; reference: string },
): Promise<ReviewRecord> {
  const context = await load(deps, command.leadId);
  const { lead, review } = context;
  if (review === undefined || review.state === 'REJECTED') {
    throw new ConflictError('not_approved', {
      zh: `线索 ${lead.leadId} 没有已批准待支付的奖励。`,
      en: `Lead ${lead.leadId} has no approved reward to pay.`,
    });
  }
  const approvedRevision = context.decisions.find((d) => d.revision === review.revision);
  // Whoever signed any tier of the approval may not pay it, not only the last signer.
  const approvers = (await deps.signOffs.signOffs(lead.leadId))
    .filter((signOff) => signOff.revision === review.revision)
    .map((signOff) => signOff.signedBy.userId);
  const refusal = makerCheckerRefusal('mark_paid', command.principal.userId, {
    lead,
    revision: approvedRevision,
    caseOutcome: context.caseOutcome,
    review,
    approvers,
  });
  if (refusal !== undefined) throw new ForbiddenError(refusal, 'maker_checker');
  if (review.state === 'PAID') {
    const reference = review.payment?.reference ?? '';
    throw new ConflictError('already_paid', {
      zh: `线索 ${lead.leadId} 的奖励已标记为已支付（${reference}）。`,
      en: `The reward of lead ${lead.leadId} is already marked paid (${reference}).`,
    });
  }
  // Staged payment (issue 17, part 5): a reward the policy splits is paid stage by stage, never at once.
  if (approvedRevision !== undefined) {
    const payout = await payoutSettingsFor(deps, approvedRevision);
    if (stagePlanOf(payout.stages, review.rewardFen) !== undefined) {
      throw new ConflictError(
        'staged_payment',
        {
          zh: `线索 ${lead.leadId} 的奖励按政策分期支付：请逐期批准并标记已支付（POST /leads/${lead.leadId}/stages/{n}/approval、/paid）。`,
          en: `The reward of lead ${lead.leadId} is paid in stages under its policy: approve and mark each stage paid (POST /leads/${lead.leadId}/stages/{n}/approval, /paid).`,
        },
        ['stagePayments'],
      );
    }
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const notice = await deps.notices.notice(lead.leadId);
  await refuseUntilNoticeClear(deps.notices, notice, now);
  // Offsets of the introducer's earlier clawbacks come off this payment, in its transaction; a payment that
  // lost the race for an offset reads the offsets again.
  for (let attempt = 0; ; attempt += 1) {
    const offsets = await offsetsForPayment(deps, lead, { amountFen: review.rewardFen, stage: null, at });
    const paid: ReviewRecord = {
      ...review,
      state: 'PAID',
      payment: {
        reference: command.reference,
        paidBy: actorOf(command.principal),
        paidAt: at,
        ...(offsets.deductions.length === 0 ? {} : { deductions: [...offsets.deductions] }),
      },
    };
    const outcome = await deps.reviews.transition(
      {
        leadId: lead.leadId,
        revision: lead.latestRevision,
        fromStatus: 'APPROVED',
        toStatus: 'PAID',
        at,
        review: { before: review, after: paid },
        ...(notice === undefined ? {} : { noticeClear: true }),
        ...(offsets.settlements.length === 0 ? {} : { offsets: offsets.settlements }),
      },
      audit(at, command.principal, 'reward.paid', context, {
        from: 'APPROVED',
        to: 'PAID',
        rewardFen: review.rewardFen,
        reference: command.reference,
        noticeId: notice?.noticeId ?? null,
        objectionDeadline: notice?.objectionDeadline ?? null,
        deductedFen: offsets.deductedFen,
        netPaidFen: review.rewardFen - offsets.deductedFen,
        offsetClawbacks: offsets.deductions.map((d) => `${d.clawbackId}@${d.fromLeadId}`).join(',') || null,
      }),
    );
    if (outcome === 'applied') {
      await afterOffsets(deps, offsets);
      return paid;
    }
    // An objection recorded meanwhile holds it; else somebody paid it first, or took an offset first.
    await refuseUntilNoticeClear(deps.notices, notice, now);
    const current = await deps.reviews.review(lead.leadId);
    if (current?.state === 'APPROVED' && offsets.settlements.length > 0 && attempt < 3) continue;
    throw new ConflictError('already_paid', {
      zh: `线索 ${lead.leadId} 的奖励刚刚已被他人标记为已支付。`,
      en: `The reward of lead ${lead.leadId} was marked paid meanwhile.`,
    });
  }
}
