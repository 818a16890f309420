import type { components } from '../../api/schema.d.ts';
import type { Language } from '../../i18n/language.ts';

type LeadView = components['schemas']['LeadView'];
export type FinanceAction = 'approve' | 'reject' | 'record_case_outcome' | 'mark_paid';

interface Words {
  readonly zh: string;
  readonly en: string;
}

const VERB: Record<FinanceAction, Words> = {
  approve: { zh: '审批', en: 'approve' },
  reject: { zh: '驳回', en: 'reject' },
  record_case_outcome: { zh: '登记一事一议结果', en: 'record the case outcome' },
  mark_paid: { zh: '标记已支付', en: 'mark it paid' },
};

/**
 * Which maker-checker rule refused `userId` on this lead, in plain words. The API's 403 names the rule only
 * in its text, so the console asks the same facts the rule reads (shared/domain/review-rules.ts, in its
 * order): who submitted the lead, who reported the actual investment of the revision acted on, who
 * recorded the case outcome, who approved. Undefined when none of them is the caller (another 403).
 */
export function makerCheckerWords(
  action: FinanceAction,
  userId: string,
  lead: Pick<LeadView, 'submittedBy' | 'latestDecision' | 'caseOutcome' | 'review'>,
): Words | undefined {
  const verb = VERB[action];
  if (lead.submittedBy.userId === userId) {
    return action === 'approve'
      ? {
          zh: '您提交了此线索，不能审批自己提交的线索',
          en: 'You submitted this lead, so you cannot approve it',
        }
      : {
          zh: `您提交了此线索，不能对自己提交的线索${verb.zh}`,
          en: `You submitted this lead, so you cannot ${verb.en}`,
        };
  }
  if (action !== 'reject' && lead.latestDecision?.investmentReportedBy?.userId === userId) {
    return {
      zh: `此版本所依据的实际投资额由您登记，须由其他财务人员${verb.zh}`,
      en: `You reported the actual investment this revision rests on, so another member of finance must ${verb.en}`,
    };
  }
  if ((action === 'approve' || action === 'mark_paid') && lead.caseOutcome?.recordedBy.userId === userId) {
    return {
      zh: `一事一议结果由您登记，须由其他财务人员${verb.zh}`,
      en: `You recorded the case outcome, so another member of finance must ${verb.en}`,
    };
  }
  if (action === 'mark_paid' && lead.review?.decidedBy.userId === userId) {
    return {
      zh: '批准人不能同时登记支付：此奖励由您批准，须由其他财务人员标记已支付',
      en: 'The approver cannot also record the payment: you approved this reward, so another member of finance must mark it paid',
    };
  }
  return undefined;
}

/** The 409 codes of finance review (shared/domain/review-rules.ts, shared/use-cases/review-reward.ts), in plain words. */
const CONFLICT_WORDS: Readonly<Record<string, Words>> = {
  not_evaluated: {
    zh: '线索尚未完成评估，请稍后再试',
    en: 'The lead has not been evaluated yet; try again shortly',
  },
  not_payable: {
    zh: '奖励仍是按计划投资额的预估值：须先由招商专班登记经核实的实际投资额，才能批准',
    en: 'The reward is still an estimate on the planned investment: the sector team must report the verified actual investment before it can be approved',
  },
  case_outcome_missing: {
    zh: '此线索适用“一事一议”：请先登记议定结果，再批准',
    en: 'This lead is one-case-one-policy: record the negotiated outcome before approving',
  },
  allocation_pending: {
    zh: '专项基金分配仍在处理中，请稍后再试',
    en: 'The fund allocation is still in progress; try again shortly',
  },
  nothing_payable: {
    zh: '此版本没有可支付的奖励，专项基金也未为其预留资金：可以驳回以结案',
    en: 'Nothing is payable on this revision and nothing is reserved in the fund: reject it to close it',
  },
  duplicate_project: {
    zh: '重复项目（撞单）：同一项目只能获得一次奖励和一份基金，此线索不能批准任何金额，请驳回以结案',
    en: 'Duplicate project: a project earns one reward and one fund share, ever; reject this lead to close it',
  },
  already_reviewed: { zh: '此线索已经审核过', en: 'This lead has already been reviewed' },
  not_reviewable: { zh: '此线索当前状态不能审核', en: 'This lead cannot be reviewed in its current status' },
  not_case_by_case: { zh: '此线索不在等待一事一议结果', en: 'This lead is not awaiting a case outcome' },
  case_outcome_exists: {
    zh: '此线索已登记一事一议结果',
    en: 'A case outcome is already recorded for this lead',
  },
  not_approved: {
    zh: '此线索没有已批准的奖励，不能标记已支付',
    en: 'This lead has no approved reward to pay',
  },
  already_paid: { zh: '此奖励已标记为已支付', en: 'This reward is already marked paid' },
  concurrent_change: {
    zh: '线索或其基金分配刚被他人修改，请刷新后重试',
    en: 'The lead or its fund allocation just changed; refresh and retry',
  },
  fund_insufficient: {
    zh: '专项基金可用余额已不足以支持此结果，请刷新后重试',
    en: 'The fund no longer has this amount available; refresh and retry',
  },
  fund_not_open: { zh: '该专项基金尚未设立，不能从中拨付', en: 'The fund is not open; it can give nothing' },
  // 公示 (issue 17): the server's detail names the objection deadline.
  notice_open: {
    zh: '此奖励正在公示：公示期满且无未处理异议后方可标记已支付',
    en: 'This reward is under public notice: it is paid once the notice has ended with no objection unresolved',
  },
  objection_pending: {
    zh: '公示收到的异议尚未处理：处理完毕后方可标记已支付',
    en: 'An objection to the public notice is not yet resolved: it is paid once resolved',
  },
  objection_upheld: {
    zh: '公示异议经核实成立：此奖励不予支付',
    en: 'An objection to the public notice was upheld: this reward is not paid',
  },
  // 报备 and 投资证据 (issue 17, parts 1–2): the server's detail names each missing item.
  registration_missing: {
    zh: '没有引荐人报备记录：须先由招商专班在线索页登记“引荐人报备”，重新评估后方可批准奖励',
    en: 'No referrer registration on record: the sector team records it on the lead page first, and the reward is approved once the lead is evaluated again',
  },
  evidence_missing: {
    zh: '投资证据不完整，不能批准：请招商专班在线索页“投资证据”中补齐（审计报告与现场核查须由两位不同人员登记）',
    en: 'The investment evidence is incomplete, so nothing can be approved: the sector team completes it under “Investment evidence” on the lead page (two different people record the audit report and the on-site check)',
  },
  legal_basis_missing: {
    zh: '所批准金额依据的政策规则没有法律依据，不能批准：须发布载明依据的政策版本并重新评估',
    en: 'The rule the amount rests on cites no legal basis, so it cannot be approved: publish a policy version that cites one and re-evaluate',
  },
  // 分期支付 (issue 17, part 5).
  staged_payment: {
    zh: '此奖励按政策分期支付：请在“分期支付”中逐期批准、标记已支付',
    en: 'This reward is paid in stages under its policy: approve and mark each stage paid under “Staged payment”',
  },
};

export function conflictWords(code: string | undefined, language: Language): string | undefined {
  if (code === undefined) return undefined;
  return CONFLICT_WORDS[code]?.[language];
}
