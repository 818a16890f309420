/**
 * Finance review's rules, pure: what is payable on a lead's latest decision, and who may act on it
 * (maker-checker). The commands in `shared/use-cases/review-reward.ts` and the read model in
 * `list-rewards.ts` both ask these, so a lead is refused for the same reason wherever it is looked at.
 */
import type { Allocation, CaseOutcomeRecord, ReviewRecord } from '#shared/schemas/fund.ts';
import type { DecisionRecord, LeadRecord } from '#shared/schemas/lead-record.ts';
import { isDuplicateProject } from './lead-outcome.ts';

/** Everything known about a lead under review. */
export interface ReviewContext {
  readonly lead: LeadRecord;
  /** The latest decision revision. */
  readonly decision: DecisionRecord;
  readonly review: ReviewRecord | undefined;
  readonly caseOutcome: CaseOutcomeRecord | undefined;
  readonly allocation: Allocation | undefined;
}

export interface ReviewRefusal {
  readonly code: string;
  readonly message: string;
}

export type ReviewAction = 'approve' | 'reject' | 'record_case_outcome' | 'mark_paid';

const ACTION_TEXT: Record<ReviewAction, string> = {
  approve: 'approve',
  reject: 'reject',
  record_case_outcome: 'record the case outcome of',
  mark_paid: 'mark paid',
};

/**
 * Maker-checker on every path that moves money: nobody acts on a lead they submitted; nobody approves,
 * negotiates or pays a revision whose actual investment they reported; the approver is not the recorder of
 * the case outcome; the payer is neither the recorder nor the approver. `revision` is the decision revision
 * acted on (the latest one, or the approved one when paying).
 */
export function makerCheckerRefusal(
  action: ReviewAction,
  userId: string,
  facts: {
    readonly lead: LeadRecord;
    readonly revision: DecisionRecord | undefined;
    readonly caseOutcome: CaseOutcomeRecord | undefined;
    readonly review: ReviewRecord | undefined;
  },
): string | undefined {
  const { lead, revision, caseOutcome, review } = facts;
  const verb = ACTION_TEXT[action];
  if (lead.submittedBy.userId === userId) {
    return `Maker-checker: you submitted lead ${lead.leadId}, so you cannot ${verb} it.`;
  }
  if (action !== 'reject' && revision?.investmentReportedBy?.userId === userId) {
    return `Maker-checker: you reported the actual investment that revision ${revision.revision} of lead ${lead.leadId} rests on, so another member of finance must ${verb} it.`;
  }
  if ((action === 'approve' || action === 'mark_paid') && caseOutcome?.recordedBy.userId === userId) {
    return `Maker-checker: you recorded the case outcome of lead ${lead.leadId}, so another member of finance must ${verb} it.`;
  }
  if (action === 'mark_paid' && review?.decidedBy.userId === userId) {
    return `Maker-checker: you approved the reward of lead ${lead.leadId}, so another member of finance must mark it paid.`;
  }
  return undefined;
}

/** The decision asks the fund for money and its allocation has not been made yet (it is queued). */
export function allocationPending({ decision, caseOutcome, allocation }: ReviewContext): boolean {
  const fund = decision.decision.fund;
  const fundAsked =
    fund.eligible === true && fund.capFen > 0 && caseOutcome === undefined && !isDuplicateProject(decision);
  return fundAsked && (allocation === undefined || allocation.revision < decision.revision);
}

/** The reward finance would approve: the negotiated one when there is a case outcome. */
export function rewardToApproveFen({ decision, caseOutcome }: ReviewContext): number {
  return caseOutcome?.rewardFen ?? decision.payableRewardFen;
}

/** Why the latest decision cannot be approved, or undefined when it can. */
export function whyNotPayable(context: ReviewContext): ReviewRefusal | undefined {
  const { lead, decision, caseOutcome, allocation } = context;
  const reward = decision.decision.referralReward;
  if (isDuplicateProject(decision)) {
    const first = decision.adjustments.find((a) => a.code === 'DUPLICATE_PROJECT')?.firstLeadId ?? '';
    return {
      code: 'duplicate_project',
      message: `Lead ${lead.leadId} duplicates project lead ${first}: a project earns one reward and one fund share, ever, so this lead can never be approved for any amount. Reject it to close it.`,
    };
  }
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
  const rewardFen = rewardToApproveFen(context);
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
