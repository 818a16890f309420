/**
 * Finance review's rules, pure: what is payable on a lead's latest decision, and who may act on it
 * (maker-checker). The commands in `shared/use-cases/review-reward.ts` and the read model in
 * `list-rewards.ts` both ask these, so a lead is refused for the same reason wherever it is looked at.
 */
import type { LocalText } from '#shared/errors.ts';
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
  readonly message: LocalText;
}

export type ReviewAction = 'approve' | 'reject' | 'record_case_outcome' | 'mark_paid';

const ACTION_TEXT: Record<ReviewAction, LocalText> = {
  approve: { zh: '批准', en: 'approve' },
  reject: { zh: '驳回', en: 'reject' },
  record_case_outcome: { zh: '记录一事一议结果', en: 'record the case outcome of' },
  mark_paid: { zh: '标记已支付', en: 'mark paid' },
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
    /** Everyone who signed the approval of `review` (its tiers' sign-offs), not only the last. */
    readonly approvers?: readonly string[];
  },
): LocalText | undefined {
  const { lead, revision, caseOutcome, review } = facts;
  const verb = ACTION_TEXT[action];
  const id = lead.leadId;
  if (lead.submittedBy.userId === userId) {
    return {
      zh: `不相容职务分离：线索 ${id} 由您提交，您不能${verb.zh}。`,
      en: `Maker-checker: you submitted lead ${id}, so you cannot ${verb.en} it.`,
    };
  }
  if (action !== 'reject' && revision?.investmentReportedBy?.userId === userId) {
    return {
      zh: `不相容职务分离：线索 ${id} 第 ${revision.revision} 版所依据的实际投资由您登记，须由财务部门其他人员${verb.zh}。`,
      en: `Maker-checker: you reported the actual investment that revision ${revision.revision} of lead ${id} rests on, so another member of finance must ${verb.en} it.`,
    };
  }
  if ((action === 'approve' || action === 'mark_paid') && caseOutcome?.recordedBy.userId === userId) {
    return {
      zh: `不相容职务分离：线索 ${id} 的一事一议结果由您记录，须由财务部门其他人员${verb.zh}。`,
      en: `Maker-checker: you recorded the case outcome of lead ${id}, so another member of finance must ${verb.en} it.`,
    };
  }
  if (action === 'mark_paid' && (review?.decidedBy.userId === userId || facts.approvers?.includes(userId))) {
    return {
      zh: `不相容职务分离：线索 ${id} 的奖励由您批准，须由财务部门其他人员标记已支付。`,
      en: `Maker-checker: you approved the reward of lead ${id}, so another member of finance must mark it paid.`,
    };
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
      message: {
        zh: `线索 ${lead.leadId} 与线索 ${first} 为同一项目（撞单）：一个项目只能获得一次奖励和一份基金支持，本线索任何金额均不能批准，请驳回以结案。`,
        en: `Lead ${lead.leadId} duplicates project lead ${first}: a project earns one reward and one fund share, ever, so this lead can never be approved for any amount. Reject it to close it.`,
      },
    };
  }
  if (reward.basis !== 'actual') {
    return {
      code: 'not_payable',
      message: {
        zh: '奖励是按计划投资额测算的预估值：须登记经核实的实际投资后方可支付（POST /leads/{id}/actual-investment）。',
        en: 'The reward is a provisional estimate on the planned investment: it is payable only once the verified actual investment is reported (POST /leads/{id}/actual-investment).',
      },
    };
  }
  const caseByCase = decision.decision.flags.some((flag) => flag.code === 'ONE_CASE_ONE_POLICY');
  if (caseByCase && caseOutcome === undefined) {
    return {
      code: 'case_outcome_missing',
      message: {
        zh: '本线索适用一事一议：请先记录协商结果（POST /leads/{id}/case-outcome）。',
        en: 'The lead is one-case-one-policy: record the negotiated outcome first (POST /leads/{id}/case-outcome).',
      },
    };
  }
  if (allocationPending(context)) {
    return {
      code: 'allocation_pending',
      message: {
        zh: `第 ${decision.revision} 版的基金分配仍在处理中，请稍后再试。`,
        en: `The fund allocation for revision ${decision.revision} is still in progress; try again shortly.`,
      },
    };
  }
  const rewardFen = rewardToApproveFen(context);
  const fundFen = allocation?.reservedFen ?? 0;
  if (rewardFen === 0 && fundFen === 0) {
    const reasons = [...reward.reasons, ...decision.adjustments.map((a) => a.code)];
    return {
      code: 'nothing_payable',
      message: {
        zh: `第 ${decision.revision} 版无可支付金额：没有可支付的奖励（原因：${reasons.join('、') || '无'}），基金中也没有预留金额。`,
        en: `Nothing is payable on revision ${decision.revision}: no payable reward (reasons: ${reasons.join(', ') || 'none'}) and nothing reserved in the fund.`,
      },
    };
  }
  return undefined;
}
