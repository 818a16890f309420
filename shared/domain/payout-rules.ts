/**
 * The payout rules (issue 17), pure: what must be on record before finance may approve a reward, under
 * the payout settings of the decision's policy (shared/policy/payout-settings.ts). The decision itself
 * already says whether the reward is eligible (a registration that rules it out is a reason there); these
 * rules say what is still missing before money may move. `approveReward` refuses with 409 and the code of
 * the first rule that fails, naming every missing item.
 */
import type { LocalText } from '#shared/errors.ts';
import type { ApprovalSettings, PayoutSettings } from '#shared/policy/payout-settings.ts';
import type { EvidenceRecord } from '#shared/schemas/evidence.ts';
import type { CaseOutcomeRecord } from '#shared/schemas/fund.ts';
import type { DecisionRecord } from '#shared/schemas/lead-record.ts';
import type { ApprovalRequirement, SignOffRecord, SignOffSlot } from '#shared/schemas/sign-off.ts';

export interface PayoutRefusal {
  readonly code: string;
  readonly message: LocalText;
  /** Machine names of what is missing, for the problem's `missing` member. */
  readonly missing: readonly string[];
}

/**
 * A referral reward is approved only once the referrer's registration is on record in the decision it
 * is approved on (a registration recorded since is evaluated first: a new revision). Nothing to check when
 * no referral reward is approved (a fund share alone, or a negotiated reward of 0).
 */
export function registrationRefusal(
  settings: PayoutSettings,
  decision: DecisionRecord,
  rewardFen: number,
): PayoutRefusal | undefined {
  if (!settings.registration.required || rewardFen === 0) return undefined;
  if (decision.lead.referrerRegistration !== undefined) return undefined;
  return {
    code: 'registration_missing',
    missing: ['referrerRegistration'],
    message: {
      zh: `线索 ${decision.leadId} 第 ${decision.revision} 版没有引荐人报备记录：须先由专班登记报备（含投资方、专班、园区确认，POST /leads/{id}/referrer-registration），重新评估后方可批准奖励。`,
      en: `Revision ${decision.revision} of lead ${decision.leadId} has no referrer registration on record: the sector team must record it first (confirmed by the investor, the team and the park; POST /leads/{id}/referrer-registration), and the reward is approved on the re-evaluated revision.`,
    },
  };
}

/** What each missing item is called, for the refusal's text. */
const EVIDENCE_ITEMS: Readonly<Record<string, LocalText>> = {
  auditReport: {
    zh: '会计师事务所验资报告或专项审计报告',
    en: 'a CPA capital verification or special audit report',
  },
  siteCheck: { zh: '现场核查记录', en: 'an on-site check' },
  siteCheckConfirmation: {
    zh: '确认投资到位的现场核查（最近一次核查未确认）',
    en: 'an on-site check confirming the investment (the latest one did not)',
  },
  distinctRecorders: {
    zh: '由不同人员登记的审计报告与现场核查（现为同一人）',
    en: 'the audit report and the on-site check recorded by two different people (one person recorded both)',
  },
  auditReportCoversActualInvestment: {
    zh: '审计报告确认的建设期内固定资产投资不少于奖励所依据的实际投资额（土地、租金、流动资金不计入）',
    en: 'an audit report certifying, within the construction period, at least the actual investment the reward rests on (land, rent and working capital never count)',
  },
};

/** The latest entry of a kind: entries are never edited, a later one supersedes. */
function latestOf<K extends EvidenceRecord['kind']>(
  evidence: readonly EvidenceRecord[],
  kind: K,
): Extract<EvidenceRecord, { kind: K }> | undefined {
  let latest: Extract<EvidenceRecord, { kind: K }> | undefined;
  for (const entry of evidence) {
    if (entry.kind !== kind) continue;
    const candidate = entry as Extract<EvidenceRecord, { kind: K }>;
    if (latest === undefined || candidate.recordedAt >= latest.recordedAt) latest = candidate;
  }
  return latest;
}

/**
 * The evidence the actual investment needs before anything is approved on it: an audit report and an
 * on-site check that confirms it, recorded by two different people, the report certifying within the
 * construction period at least the actual investment the decision used. Every missing item is named.
 */
export function evidenceRefusal(
  settings: PayoutSettings,
  decision: DecisionRecord,
  evidence: readonly EvidenceRecord[],
): PayoutRefusal | undefined {
  const rules = settings.evidence;
  const report = latestOf(evidence, 'audit_report');
  const check = latestOf(evidence, 'site_check');
  const missing: string[] = [];
  if (rules.auditReportRequired && report === undefined) missing.push('auditReport');
  if (rules.siteCheckRequired && check === undefined) missing.push('siteCheck');
  if (rules.siteCheckRequired && check !== undefined && !check.siteCheck.confirmed)
    missing.push('siteCheckConfirmation');
  if (
    rules.distinctRecorders &&
    report !== undefined &&
    check !== undefined &&
    report.recordedBy.userId === check.recordedBy.userId
  )
    missing.push('distinctRecorders');
  const actualFen = decision.lead.actualInvestment;
  if (
    rules.constructionPeriodOnly &&
    report !== undefined &&
    actualFen !== undefined &&
    report.auditReport.amountFen < actualFen
  )
    missing.push('auditReportCoversActualInvestment');
  if (missing.length === 0) return undefined;
  const names = missing.map((item) => EVIDENCE_ITEMS[item] ?? { zh: item, en: item });
  return {
    code: 'evidence_missing',
    missing,
    message: {
      zh: `线索 ${decision.leadId} 的投资证据不完整，不能批准：缺少${names.map((n) => n.zh).join('；')}。`,
      en: `The investment evidence of lead ${decision.leadId} is incomplete, so nothing can be approved: missing ${names.map((n) => n.en).join('; ')}.`,
    },
  };
}

/** Maker-checker: whoever recorded evidence of a lead does not approve it. */
export function evidenceRecorderRefusal(
  userId: string,
  leadId: string,
  evidence: readonly EvidenceRecord[],
): LocalText | undefined {
  if (!evidence.some((entry) => entry.recordedBy.userId === userId)) return undefined;
  return {
    zh: `不相容职务分离：线索 ${leadId} 的投资证据由您登记，须由他人批准。`,
    en: `Maker-checker: you recorded evidence of lead ${leadId}, so someone else must approve it.`,
  };
}

/**
 * A legal basis that names something: a document and at least one clause, neither blank. Typed loosely on
 * purpose: a record written before the schema required a basis (or migrated from elsewhere) may lack it.
 */
export function citesLegalBasis(basis: unknown): boolean {
  if (typeof basis !== 'object' || basis === null) return false;
  const { document, clauses } = basis as { document?: unknown; clauses?: unknown };
  return (
    typeof document === 'string' &&
    document.trim() !== '' &&
    Array.isArray(clauses) &&
    clauses.some((clause) => typeof clause === 'string' && clause.trim() !== '')
  );
}

/**
 * 公平竞争审查条例 (in force 2024-08-01): no selective reward without a basis in law. Every amount approved
 * must rest on a rule of the decision that cites one: the referral reward on the referral rule, the fund
 * share on the fund rule, a negotiated (一事一议) outcome on the one-case-one-policy rule that sent it to
 * negotiation. Nothing approved, nothing to check.
 */
export function legalBasisRefusal(approval: {
  readonly decision: DecisionRecord;
  readonly caseOutcome: CaseOutcomeRecord | undefined;
  readonly rewardFen: number;
  readonly fundFen: number;
}): PayoutRefusal | undefined {
  const { decision, caseOutcome, rewardFen, fundFen } = approval;
  const missing: string[] = [];
  if (caseOutcome !== undefined) {
    const flag = decision.decision.flags.find((f) => f.code === 'ONE_CASE_ONE_POLICY');
    if ((rewardFen > 0 || fundFen > 0) && !citesLegalBasis(flag?.legalBasis))
      missing.push('oneCaseOnePolicy.legalBasis');
  } else {
    if (rewardFen > 0 && !citesLegalBasis(decision.decision.referralReward.legalBasis))
      missing.push('referralReward.legalBasis');
    if (fundFen > 0 && !citesLegalBasis(decision.decision.fund.legalBasis)) missing.push('fund.legalBasis');
  }
  if (missing.length === 0) return undefined;
  return {
    code: 'legal_basis_missing',
    missing,
    message: {
      zh: `线索 ${decision.leadId} 第 ${decision.revision} 版（政策 ${decision.policyVersion}）中，所批准金额依据的规则没有法律依据（${missing.join('、')}）：依《公平竞争审查条例》，无法律依据的奖励不得批准；须发布载明依据的政策版本并重新评估。`,
      en: `In revision ${decision.revision} of lead ${decision.leadId} (policy ${decision.policyVersion}) the rule the approved amount rests on cites no legal basis (${missing.join(', ')}): under the Fair Competition Review Regulations no reward without a legal basis may be approved; publish a policy version that cites one and re-evaluate.`,
    },
  };
}

/**
 * What an approval of `amountFen` (reward plus fund share) needs under the tiers: finance always; the
 * finance head above the first bound; a collective decision above the second, and for every 一事一议
 * outcome when the policy says so. A bound is "up to": an amount exactly at it stays in the lower tier.
 */
export function requiredApprovals(
  tiers: ApprovalSettings,
  amountFen: number,
  caseByCase: boolean,
): ApprovalRequirement[] {
  const above = (bound: number | null) => bound !== null && amountFen > bound;
  const required: ApprovalRequirement[] = ['finance'];
  if (above(tiers.financeHeadAboveFen)) required.push('financeHead');
  if (above(tiers.collectiveAboveFen) || (caseByCase && tiers.collectiveForCaseByCase))
    required.push('collectiveDecision');
  return required;
}

/** What of `required` the entries (of the revision being approved) do not hold yet. */
export function missingApprovals(
  required: readonly ApprovalRequirement[],
  entries: readonly Pick<SignOffRecord, 'slot' | 'collectiveDecision'>[],
): ApprovalRequirement[] {
  return required.filter((item) =>
    item === 'collectiveDecision'
      ? !entries.some((entry) => entry.collectiveDecision !== undefined)
      : !entries.some((entry) => entry.slot === item),
  );
}

const REQUIREMENT_TEXT: Readonly<Record<ApprovalRequirement, LocalText>> = {
  finance: { zh: '财政审核人签批', en: "a finance approver's sign-off" },
  financeHead: { zh: '财政负责人签批', en: "the finance head's sign-off" },
  collectiveDecision: {
    zh: '集体决策记录（决策机构、会议日期、纪要编号）',
    en: 'the collective decision (body, meeting date, minutes number)',
  },
};

export function describeApprovals(items: readonly ApprovalRequirement[]): LocalText {
  return {
    zh: items.map((item) => REQUIREMENT_TEXT[item].zh).join('、'),
    en: items.map((item) => REQUIREMENT_TEXT[item].en).join(', '),
  };
}

export type SignOffStep =
  | {
      /** The caller's signature (null: the call only adds the collective decision). */
      readonly slot: SignOffSlot | null;
      /** What is still missing once this entry is recorded: none, and the approval is complete. */
      readonly missingAfter: readonly ApprovalRequirement[];
    }
  | { readonly refusal: PayoutRefusal & { readonly status: 403 | 409 } };

/**
 * The caller's part in an approval: which signature they give (the finance head signs the head's tier,
 * finance the finance approver's; one with both roles fills the head's first), or why they may not. Every approver is a different person: one who signed already may only add
 * a missing collective decision; a finance approver when only the head's signature is missing is refused.
 */
export function nextSignOff(
  required: readonly ApprovalRequirement[],
  entries: readonly SignOffRecord[],
  caller: { readonly userId: string; readonly finance: boolean; readonly financeHead: boolean },
  addsCollectiveDecision: boolean,
): SignOffStep {
  const missing = missingApprovals(required, entries);
  const addsDecision = addsCollectiveDecision && missing.includes('collectiveDecision');
  const signed = entries.some((entry) => entry.slot !== null && entry.signedBy.userId === caller.userId);
  const candidates: SignOffSlot[] = [
    ...(caller.financeHead ? (['financeHead'] as const) : []),
    ...(caller.finance ? (['finance'] as const) : []),
  ];
  const slot = signed ? undefined : candidates.find((candidate) => missing.includes(candidate));
  if (slot === undefined && !addsDecision) {
    if (signed) {
      return {
        refusal: {
          status: 403,
          code: 'approver_not_distinct',
          missing,
          message: {
            zh: `每位审批人须为不同人员：您已签批本奖励，尚缺${describeApprovals(missing).zh}。`,
            en: `Every approver must be a different person: you have signed this reward already; still missing: ${describeApprovals(missing).en}.`,
          },
        },
      };
    }
    return {
      refusal: {
        status: 409,
        code: 'sign_off_not_needed',
        missing,
        message: {
          zh: `本奖励不需要您的签批：尚缺${describeApprovals(missing).zh}。`,
          en: `This reward does not need your sign-off: still missing ${describeApprovals(missing).en}.`,
        },
      },
    };
  }
  const given = new Set<ApprovalRequirement>([
    ...(slot === undefined ? [] : [slot]),
    ...(addsDecision ? (['collectiveDecision'] as const) : []),
  ]);
  return { slot: slot ?? null, missingAfter: missing.filter((item) => !given.has(item)) };
}
