/**
 * Finance review: list rewards awaiting review, approve, reject, record a one-case-one-policy outcome,
 * mark paid. Each action is one transaction with its audit entry (lead status + review record + fund move).
 *
 * Maker-checker, on every path: nobody acts on a lead they submitted (approve, reject, case outcome,
 * paid); the approver is not the recorder of the case outcome; the payer is neither the recorder nor
 * the approver (four eyes on the money leaving). Rejection is included: a team member who is also in
 * finance must not dispose of their own submission either way.
 *
 * What is payable: only a decision on the verified actual investment (basis `actual`); a
 * one-case-one-policy lead only once its negotiated outcome is recorded (its reward is then the
 * negotiated `rewardFen`); otherwise the decision's `payableRewardFen`. Approval commits what the lead has
 * reserved in the fund (a waitlisted lead leaves the waitlist with nothing committed), and is refused
 * while the allocation of the latest revision is still in flight.
 */

import type { Principal } from '#shared/auth/principal.ts';
import { isDuplicateProject } from '#shared/domain/lead-outcome.ts';
import { formatFen } from '#shared/domain/money.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { FundChange, ReviewStore } from '#shared/ports/funds.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { Allocation, CaseOutcomeRecord, ReviewRecord } from '#shared/schemas/fund.ts';
import type { DecisionRecord, LeadRecord, LeadStatus } from '#shared/schemas/lead-record.ts';
import {
  allocateFund,
  type FundDeps,
  moveDetails,
  reportAvailability,
  serveWaitlist,
} from './allocate-fund.ts';

export interface ReviewDeps extends FundDeps {
  readonly leads: LeadStore;
  readonly reviews: ReviewStore;
}

const OPEN: readonly LeadStatus[] = ['PENDING_FINANCE', 'PENDING_CASE_REVIEW'];

interface Context {
  readonly lead: LeadRecord;
  readonly decision: DecisionRecord;
  readonly review: ReviewRecord | undefined;
  readonly caseOutcome: CaseOutcomeRecord | undefined;
  readonly allocation: Allocation | undefined;
}

async function load(deps: ReviewDeps, leadId: string): Promise<Context> {
  const lead = await deps.leads.get(leadId);
  if (lead === undefined) throw new NotFoundError(`Lead ${leadId} does not exist.`);
  const decision = (await deps.leads.decisions(leadId)).find((d) => d.revision === lead.latestRevision);
  if (decision === undefined) {
    throw new ConflictError('not_evaluated', `Lead ${leadId} has not been evaluated yet.`);
  }
  const [review, caseOutcome, allocation] = await Promise.all([
    deps.reviews.review(leadId),
    deps.reviews.caseOutcome(leadId),
    deps.funds.allocation(decision.decision.fund.fundId, leadId),
  ]);
  return { lead, decision, review, caseOutcome, allocation };
}

function actorOf(principal: Principal) {
  return { userId: principal.userId, role: 'finance' };
}

function notOwnSubmission(principal: Principal, lead: LeadRecord, action: string): void {
  if (lead.submittedBy.userId === principal.userId) {
    throw new ForbiddenError(`Maker-checker: you submitted lead ${lead.leadId}, so you cannot ${action} it.`);
  }
}

function requireOpen(context: Context): void {
  if (context.review !== undefined) {
    throw new ConflictError(
      'already_reviewed',
      `Lead ${context.lead.leadId} is already ${context.review.state}.`,
    );
  }
  if (!OPEN.includes(context.lead.status)) {
    throw new ConflictError(
      'not_reviewable',
      `Lead ${context.lead.leadId} is ${context.lead.status}; only a lead pending finance review can be reviewed.`,
    );
  }
}

function audit(
  at: string,
  principal: Principal,
  action: string,
  context: Context,
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

/** A lead leaving the waitlist (decided, or given negotiated terms) takes its entry out with it. */
function leaveWaitlist(allocation: Allocation | undefined): FundChange['waitlist'] {
  return allocation?.state === 'waitlisted' && allocation.waitKey !== null
    ? { removeKey: allocation.waitKey }
    : undefined;
}

/** Finance's decision on the latest revision: the lead moves to it, with the review recorded once. */
function decided(
  { lead, decision }: Context,
  toStatus: 'APPROVED' | 'REJECTED',
  review: ReviewRecord,
  at: string,
): FundChange['lead'] {
  return {
    leadId: lead.leadId,
    revision: decision.revision,
    fromStatus: lead.status,
    toStatus,
    at,
    review: { before: undefined, after: review },
  };
}

function conflictOnFailure(result: { applied: boolean }, leadId: string): void {
  if (!result.applied) {
    throw new ConflictError(
      'concurrent_change',
      `Lead ${leadId} or its fund allocation changed while this was being recorded; look again and retry.`,
    );
  }
}

/** The decision asks the fund for money and its allocation has not been made yet (it is queued). */
function allocationPending({ decision, caseOutcome, allocation }: Context): boolean {
  const fund = decision.decision.fund;
  const fundAsked =
    fund.eligible === true && fund.capFen > 0 && caseOutcome === undefined && !isDuplicateProject(decision);
  return fundAsked && (allocation === undefined || allocation.revision < decision.revision);
}

/** Why the latest decision cannot be approved, or undefined when it can. */
export function whyNotPayable(context: Context): { code: string; message: string } | undefined {
  const { decision, caseOutcome, allocation } = context;
  const reward = decision.decision.referralReward;
  if (reward.basis !== 'actual') {
    return {
      code: 'not_payable',
      message:
        'The reward is a provisional estimate on the planned investment: it is payable only once the verified actual investment is reported (POST /leads/{id}/actual-investment).',
    };
  }
  const caseByCase = decision.decision.flags.some((flag) => flag.code === 'ONE_CASE_ONE_POLICY');
  if (caseByCase && caseOutcome === undefined) {
    return {
      code: 'case_outcome_missing',
      message:
        'The lead is one-case-one-policy: record the negotiated outcome first (POST /leads/{id}/case-outcome).',
    };
  }
  if (allocationPending(context)) {
    return {
      code: 'allocation_pending',
      message: `The fund allocation for revision ${decision.revision} is still in progress; try again shortly.`,
    };
  }
  const rewardFen = caseOutcome?.rewardFen ?? decision.payableRewardFen;
  const fundFen = allocation?.reservedFen ?? 0;
  if (rewardFen === 0 && fundFen === 0) {
    const reasons = [...reward.reasons, ...decision.adjustments.map((a) => a.code)].join(', ') || 'none';
    return {
      code: 'nothing_payable',
      message: `Nothing is payable on revision ${decision.revision}: no payable reward (reasons: ${reasons}) and nothing reserved in the fund.`,
    };
  }
  return undefined;
}

export async function approveReward(
  deps: ReviewDeps,
  command: { principal: Principal; leadId: string; note?: string | undefined },
): Promise<ReviewRecord> {
  let context = await load(deps, command.leadId);
  notOwnSubmission(command.principal, context.lead, 'approve');
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
  if (context.caseOutcome?.recordedBy.userId === command.principal.userId) {
    throw new ForbiddenError(
      'Maker-checker: you recorded the case outcome, so another member of finance must approve it.',
    );
  }
  requireOpen(context);
  const refusal = whyNotPayable(context);
  if (refusal !== undefined) throw new ConflictError(refusal.code, refusal.message);

  const { lead, decision, allocation } = context;
  const at = deps.clock.now().toISOString();
  const rewardFen = context.caseOutcome?.rewardFen ?? decision.payableRewardFen;
  const commitFen =
    allocation?.state === 'reserved' || allocation?.state === 'waitlisted' ? allocation.reservedFen : 0;
  const review: ReviewRecord = {
    leadId: lead.leadId,
    state: 'APPROVED',
    revision: decision.revision,
    rewardFen,
    fundFen: commitFen,
    decidedBy: actorOf(command.principal),
    decidedAt: at,
    note: command.note ?? null,
    payment: null,
  };
  const fundId = decision.decision.fund.fundId;
  const change: FundChange = {
    fundId,
    at,
    move: commitFen > 0 ? { kind: 'commit', amountFen: commitFen } : undefined,
    allocation:
      allocation === undefined || allocation.state === 'committed' || allocation.state === 'released'
        ? undefined
        : {
            before: allocation,
            after: {
              ...allocation,
              state: 'committed',
              reservedFen: 0,
              committedFen: commitFen,
              wantFen: 0,
              waitKey: null,
              updatedAt: at,
            },
          },
    waitlist: leaveWaitlist(allocation),
    lead: decided(context, 'APPROVED', review, at),
  };
  const result = await deps.funds.apply(
    change,
    audit(at, command.principal, 'reward.approved', context, {
      from: lead.status,
      to: 'APPROVED',
      rewardFen,
      fundId,
      ...moveDetails(change.move),
      note: command.note ?? null,
    }),
  );
  conflictOnFailure(result, lead.leadId);
  await reportAvailability(deps, fundId);
  return review;
}

export async function rejectReward(
  deps: ReviewDeps,
  command: { principal: Principal; leadId: string; reason: string },
): Promise<ReviewRecord> {
  const context = await load(deps, command.leadId);
  notOwnSubmission(command.principal, context.lead, 'reject');
  requireOpen(context);
  const { lead, decision, allocation } = context;
  const at = deps.clock.now().toISOString();
  const fundId = decision.decision.fund.fundId;
  const releaseFen =
    allocation?.state === 'reserved' || allocation?.state === 'waitlisted' ? allocation.reservedFen : 0;
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
  // With no allocation yet, a released record is created anyway, so an allocation message still in
  // flight finds it and reserves nothing.
  const releasedAfter: Allocation = {
    fundId,
    leadId: lead.leadId,
    state: 'released',
    revision: Math.max(allocation?.revision ?? 0, decision.revision),
    capFen: allocation?.capFen ?? 0,
    reservedFen: 0,
    committedFen: 0,
    wantFen: 0,
    waitKey: null,
    negotiated: allocation?.negotiated ?? false,
    updatedAt: at,
  };
  const change: FundChange = {
    fundId,
    at,
    move: releaseFen > 0 ? { kind: 'release', amountFen: releaseFen } : undefined,
    allocation:
      allocation?.state === 'committed' || allocation?.state === 'released'
        ? undefined
        : { before: allocation, after: releasedAfter },
    waitlist: leaveWaitlist(allocation),
    lead: decided(context, 'REJECTED', review, at),
  };
  const result = await deps.funds.apply(
    change,
    audit(at, command.principal, 'reward.rejected', context, {
      from: lead.status,
      to: 'REJECTED',
      reason: command.reason,
      fundId,
      ...moveDetails(change.move),
    }),
  );
  conflictOnFailure(result, lead.leadId);
  if (releaseFen > 0) await serveWaitlist(deps, fundId);
  await reportAvailability(deps, fundId);
  return review;
}

export async function recordCaseOutcome(
  deps: ReviewDeps,
  command: { principal: Principal; leadId: string; rewardFen: number; fundFen: number; reason: string },
): Promise<CaseOutcomeRecord> {
  const context = await load(deps, command.leadId);
  notOwnSubmission(command.principal, context.lead, 'record the case outcome of');
  requireOpen(context);
  const { lead, decision, allocation } = context;
  if (lead.status !== 'PENDING_CASE_REVIEW') {
    throw new ConflictError(
      'not_case_by_case',
      `Lead ${lead.leadId} is not awaiting a one-case-one-policy outcome.`,
    );
  }
  if (context.caseOutcome !== undefined) {
    throw new ConflictError(
      'case_outcome_exists',
      `Lead ${lead.leadId} already has a recorded case outcome.`,
    );
  }
  const fundId = decision.decision.fund.fundId;
  const balance = await deps.funds.balance(fundId);
  const currentFen = allocation?.state === 'reserved' ? allocation.reservedFen : 0;
  const available = balance?.availableFen ?? 0;
  if (command.fundFen > currentFen + available) {
    throw new ConflictError(
      'fund_insufficient',
      `Fund ${fundId} can give at most ${formatFen(currentFen + available)} to this lead (${formatFen(available)} available, ${formatFen(currentFen)} already reserved for it).`,
    );
  }
  const at = deps.clock.now().toISOString();
  const record: CaseOutcomeRecord = {
    rewardFen: command.rewardFen,
    fundFen: command.fundFen,
    reason: command.reason,
    recordedBy: actorOf(command.principal),
    recordedAt: at,
    revision: decision.revision,
  };
  const delta = command.fundFen - currentFen;
  const change: FundChange = {
    fundId,
    at,
    move:
      delta > 0
        ? { kind: 'reserve', amountFen: delta }
        : delta < 0
          ? { kind: 'release', amountFen: -delta }
          : undefined,
    allocation:
      balance === undefined && command.fundFen === 0 && allocation === undefined
        ? undefined
        : {
            before: allocation,
            after: {
              fundId,
              leadId: lead.leadId,
              state: 'reserved',
              revision: Math.max(allocation?.revision ?? 0, decision.revision),
              capFen: command.fundFen,
              reservedFen: command.fundFen,
              committedFen: 0,
              wantFen: 0,
              waitKey: null,
              negotiated: true,
              updatedAt: at,
            },
          },
    waitlist: leaveWaitlist(allocation),
    lead: {
      leadId: lead.leadId,
      revision: decision.revision,
      fromStatus: 'PENDING_CASE_REVIEW',
      toStatus: 'PENDING_FINANCE',
      at,
      caseOutcome: record,
    },
  };
  if (allocation?.state === 'committed' || allocation?.state === 'released') {
    throw new ConflictError(
      'allocation_final',
      `The fund allocation of lead ${lead.leadId} is already final.`,
    );
  }
  const result = await deps.funds.apply(
    change,
    audit(at, command.principal, 'case.outcome_recorded', context, {
      rewardFen: command.rewardFen,
      fundFen: command.fundFen,
      reason: command.reason,
      fundId,
      ...moveDetails(change.move),
    }),
  );
  if (!result.applied && result.failed.includes('balance')) {
    throw new ConflictError(
      'fund_insufficient',
      `Fund ${fundId} no longer has ${formatFen(delta)} available.`,
    );
  }
  conflictOnFailure(result, lead.leadId);
  if (delta < 0) await serveWaitlist(deps, fundId);
  await reportAvailability(deps, fundId);
  return record;
}

export async function markPaid(
  deps: ReviewDeps,
  command: { principal: Principal; leadId: string; reference: string },
): Promise<ReviewRecord> {
  const context = await load(deps, command.leadId);
  const { lead, review } = context;
  notOwnSubmission(command.principal, lead, 'mark paid');
  if (review === undefined || review.state === 'REJECTED') {
    throw new ConflictError('not_approved', `Lead ${lead.leadId} has no approved reward to pay.`);
  }
  if (review.state === 'PAID') {
    throw new ConflictError(
      'already_paid',
      `The reward of lead ${lead.leadId} is already marked paid (${review.payment?.reference ?? ''}).`,
    );
  }
  if (review.decidedBy.userId === command.principal.userId) {
    throw new ForbiddenError(
      'Maker-checker: you approved this reward, so another member of finance must mark it paid.',
    );
  }
  if (context.caseOutcome?.recordedBy.userId === command.principal.userId) {
    throw new ForbiddenError(
      'Maker-checker: you recorded the case outcome, so you cannot mark this reward paid.',
    );
  }
  const at = deps.clock.now().toISOString();
  const paid: ReviewRecord = {
    ...review,
    state: 'PAID',
    payment: { reference: command.reference, paidBy: actorOf(command.principal), paidAt: at },
  };
  const outcome = await deps.reviews.transition(
    {
      leadId: lead.leadId,
      revision: lead.latestRevision,
      fromStatus: 'APPROVED',
      toStatus: 'PAID',
      at,
      review: { before: review, after: paid },
    },
    audit(at, command.principal, 'reward.paid', context, {
      from: 'APPROVED',
      to: 'PAID',
      rewardFen: review.rewardFen,
      reference: command.reference,
    }),
  );
  if (outcome === 'conflict') {
    throw new ConflictError('already_paid', `The reward of lead ${lead.leadId} was marked paid meanwhile.`);
  }
  return paid;
}

/** A lead awaiting (or past) review, with every amount and its explanation. */
export async function listRewards(
  deps: ReviewDeps,
  query: { status: LeadStatus; sector?: string | undefined; cursor?: string | undefined; limit: number },
) {
  const page = await deps.leads.list({
    status: query.status,
    sector: query.sector,
    cursor: query.cursor,
    limit: query.limit,
  });
  const items = await Promise.all(
    page.leads.map(async (lead) => {
      const decisions = await deps.leads.decisions(lead.leadId);
      const decision = decisions.find((d) => d.revision === lead.latestRevision);
      if (decision === undefined)
        return { leadId: lead.leadId, sector: lead.sector, status: lead.status, decision: null };
      const [review, caseOutcome, allocation] = await Promise.all([
        deps.reviews.review(lead.leadId),
        deps.reviews.caseOutcome(lead.leadId),
        deps.funds.allocation(decision.decision.fund.fundId, lead.leadId),
      ]);
      const refusal = whyNotPayable({ lead, decision, review, caseOutcome, allocation });
      const reward = decision.decision.referralReward;
      const fund = decision.decision.fund;
      return {
        leadId: lead.leadId,
        sector: lead.sector,
        status: lead.status,
        submittedBy: lead.submittedBy,
        submittedAt: lead.submittedAt,
        revision: decision.revision,
        evaluatedAt: decision.evaluatedAt,
        policyVersion: decision.policyVersion,
        approvable: refusal === undefined && review === undefined,
        notApprovableBecause: refusal ?? null,
        referralReward: {
          basis: reward.basis,
          baseFen: reward.baseFen,
          amountFen: reward.amountFen,
          amountText: reward.amountText,
          payable: reward.payable,
          payableRewardFen: decision.payableRewardFen,
          payableRewardText: formatFen(decision.payableRewardFen),
          reasons: reward.reasons,
          explanation: reward.explanation,
          legalBasis: reward.legalBasis,
        },
        fund: {
          fundId: fund.fundId,
          capFen: fund.capFen,
          capText: fund.capText,
          boundBy: fund.boundBy,
          explanation: fund.explanation,
          allocation: allocation ?? null,
        },
        flags: decision.decision.flags,
        adjustments: decision.adjustments,
        caseOutcome: caseOutcome ?? null,
        review: review ?? null,
      };
    }),
  );
  return { items, nextCursor: page.nextCursor };
}
