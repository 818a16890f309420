/**
 * The rules engine: pure functions of (lead, policy). No clock, no randomness, no I/O: the same lead and
 * policy give byte-identical canonical output. `computeOutcome` is the bare rule evaluation (numbers and
 * reason codes only); `evaluateLead` adds explanations (zh/en), legal bases and hashes.
 *
 * Decisions where the brief was silent:
 * - no `fundRequest` on a lead whose category is fund-eligible: the fund part is `not_evaluated`, missing
 *   `fundRequest` (reason `no_fund_request`), capFen 0; the explanation tells the most it could get;
 *   an ineligible category is evaluated as not eligible whether or not a request is given;
 * - fund ties: when several bounds give the same cap, `boundBy` takes the first of
 *   per_project_cap, investment_share, request (the policy's own limits before the request);
 * - the ONE_CASE_ONE_POLICY planned-investment criterion uses the planned investment even when the actual
 *   one is known (the policy setting says planned);
 * - a flagged lead still shows the standard reward, with payable false.
 */

import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { applyBasisPoints, formatBasisPoints, formatFen } from '#shared/domain/money.ts';
import type {
  Decision,
  Flag,
  FundBound,
  FundResult,
  OneCaseOnePolicyReason,
  ReferralRewardResult,
} from '#shared/schemas/decision.ts';
import type { IntroducerType, Lead, ProjectCategory } from '#shared/schemas/lead.ts';
import { type LocalizedText, type Policy, ruleOf } from './policy-schema.ts';

type ReferralReason = ReferralRewardResult['reasons'][number];
type FundReason = FundResult['reasons'][number];

export interface ReferralOutcome {
  readonly eligible: boolean;
  readonly basis: 'actual' | 'planned';
  readonly baseFen: number;
  readonly standardAmountFen: number;
  readonly amountFen: number;
  readonly payable: boolean;
  readonly reasons: readonly ReferralReason[];
}

export interface FundOutcome {
  readonly evaluated: boolean;
  readonly eligible: boolean | null;
  readonly basis: 'actual' | 'planned';
  readonly investmentFen: number;
  readonly requestedFen: number | null;
  readonly investmentShareFen: number;
  readonly capFen: number;
  readonly boundBy: FundBound | null;
  readonly reasons: readonly FundReason[];
}

export interface Outcome {
  readonly referral: ReferralOutcome;
  /** Empty when the lead is not flagged ONE_CASE_ONE_POLICY. */
  readonly oneCaseOnePolicyReasons: readonly OneCaseOnePolicyReason[];
  readonly fund: FundOutcome;
}

function meets(value: number, threshold: number, inclusive: boolean): boolean {
  return inclusive ? value >= threshold : value > threshold;
}

/** The bare rule evaluation: numbers and reason codes, no texts, no hashes. */
export function computeOutcome(lead: Lead, policy: Policy): Outcome {
  const referralRule = ruleOf(policy, 'referral_reward');
  const caseRule = ruleOf(policy, 'one_case_one_policy');
  const fundRule = ruleOf(policy, 'conversion_fund');

  const basis = lead.actualInvestment === undefined ? 'planned' : 'actual';
  const baseFen = lead.actualInvestment ?? lead.plannedInvestment;

  // Referral reward.
  const ineligible: ReferralReason[] = [];
  if (lead.introducer.type === 'none') ineligible.push('no_introducer');
  else if (!referralRule.eligibleIntroducers.includes(lead.introducer.type))
    ineligible.push('introducer_not_eligible');
  if (!meets(baseFen, referralRule.thresholdFen, referralRule.thresholdInclusive))
    ineligible.push('below_threshold');
  const eligible = ineligible.length === 0;
  const standardAmountFen = eligible ? applyBasisPoints(baseFen, referralRule.basisPoints) : 0;
  const aboveCap = referralRule.capFen !== null && standardAmountFen > referralRule.capFen;
  const amountFen = aboveCap && referralRule.capFen !== null ? referralRule.capFen : standardAmountFen;

  // One-case-one-policy.
  const caseReasons: OneCaseOnePolicyReason[] = [];
  if (meets(lead.plannedInvestment, caseRule.plannedInvestmentThresholdFen, caseRule.thresholdInclusive)) {
    caseReasons.push('planned_investment_at_or_above_threshold');
  }
  if (caseRule.municipalMajorProject && lead.municipalMajorProject)
    caseReasons.push('municipal_major_project');
  if (caseRule.bespokeTermsRequested && lead.bespokeTermsRequested)
    caseReasons.push('bespoke_terms_requested');
  if (aboveCap) caseReasons.push('above_reward_cap');

  const referralReasons: ReferralReason[] = [...ineligible];
  if (eligible) {
    if (aboveCap) referralReasons.push('capped');
    if (basis === 'planned') referralReasons.push('provisional_on_planned_investment');
    if (caseReasons.length > 0) referralReasons.push('one_case_one_policy');
  }
  const payable = eligible && basis === 'actual' && caseReasons.length === 0;

  // Conversion fund.
  const investmentShareFen = applyBasisPoints(baseFen, fundRule.investmentShareBasisPoints);
  const categoryEligible = fundRule.eligibleCategories.includes(lead.category);
  let fund: FundOutcome;
  if (!categoryEligible) {
    fund = {
      evaluated: true,
      eligible: false,
      basis,
      investmentFen: baseFen,
      requestedFen: lead.fundRequest ?? null,
      investmentShareFen,
      capFen: 0,
      boundBy: null,
      reasons: ['category_not_eligible'],
    };
  } else if (lead.fundRequest === undefined) {
    fund = {
      evaluated: false,
      eligible: null,
      basis,
      investmentFen: baseFen,
      requestedFen: null,
      investmentShareFen,
      capFen: 0,
      boundBy: null,
      reasons: ['no_fund_request'],
    };
  } else {
    // Precedence on ties: the policy's limits first, then the request.
    const bounds: readonly [FundBound, number][] = [
      ['per_project_cap', fundRule.perProjectCapFen],
      ['investment_share', investmentShareFen],
      ['request', lead.fundRequest],
    ];
    let bound = bounds[0] as [FundBound, number];
    for (const candidate of bounds) if (candidate[1] < bound[1]) bound = candidate;
    fund = {
      evaluated: true,
      eligible: true,
      basis,
      investmentFen: baseFen,
      requestedFen: lead.fundRequest,
      investmentShareFen,
      capFen: bound[1],
      boundBy: bound[0],
      reasons: [],
    };
  }

  return {
    referral: { eligible, basis, baseFen, standardAmountFen, amountFen, payable, reasons: referralReasons },
    oneCaseOnePolicyReasons: caseReasons,
    fund,
  };
}

const INTRODUCER_NAMES: Record<IntroducerType, LocalizedText> = {
  leading_enterprise: { zh: '龙头企业', en: 'a leading enterprise' },
  natural_person: { zh: '自然人', en: 'a natural person' },
  intermediary: { zh: '牵线搭桥的有功人士（中介）', en: 'an intermediary' },
  professional_team: { zh: '专业招商团队', en: 'a professional attraction team' },
  none: { zh: '无介绍方', en: 'none' },
};

const CATEGORY_NAMES: Record<ProjectCategory, LocalizedText> = {
  new_productive_force: { zh: '新型生产力培育', en: 'new productive-force cultivation' },
  old_capacity_upgrade: { zh: '旧动能改造提升', en: 'old capacity upgrade' },
  other: { zh: '其他', en: 'other' },
};

const CASE_REASON_TEXTS: Record<OneCaseOnePolicyReason, LocalizedText> = {
  planned_investment_at_or_above_threshold: {
    zh: '计划固定资产投资额达到“一事一议”门槛',
    en: 'planned fixed-asset investment at or above the one-case-one-policy threshold',
  },
  municipal_major_project: { zh: '列入市级重大项目', en: 'marked a municipal major project' },
  bespoke_terms_requested: { zh: '专班申请个案协商条件', en: 'the sector team asks for bespoke terms' },
  above_reward_cap: { zh: '标准奖励超过单笔奖励上限', en: 'the standard reward is above the reward cap' },
};

const citations = new WeakMap<object, LocalizedText>();

/** The sentence citing a rule's legal basis (the same for every decision under a policy: built once). */
function citation(legalBasis: { document: string; clauses: readonly string[] }): LocalizedText {
  let text = citations.get(legalBasis);
  if (text === undefined) {
    const clauses = legalBasis.clauses.join('；');
    text = {
      zh: `依据${legalBasis.document}：${clauses}。`,
      en: `Basis: ${legalBasis.document}, ${clauses}.`,
    };
    citations.set(legalBasis, text);
  }
  return text;
}

function joinTexts(parts: readonly LocalizedText[]): LocalizedText {
  let zh = '';
  let en = '';
  parts.forEach((part, index) => {
    zh += part.zh;
    en += index === 0 ? part.en : ` ${part.en}`;
  });
  return { zh, en };
}

function explainReferral(lead: Lead, policy: Policy, outcome: Outcome): LocalizedText {
  const rule = ruleOf(policy, 'referral_reward');
  const { referral } = outcome;
  const introducer = INTRODUCER_NAMES[lead.introducer.type];
  const baseName =
    referral.basis === 'actual'
      ? { zh: '实际投资额', en: 'actual investment' }
      : { zh: '计划投资额', en: 'planned investment' };
  const base = formatFen(referral.baseFen);
  const threshold = formatFen(rule.thresholdFen);
  const op = rule.thresholdInclusive ? '≥' : '>';
  const notOp = rule.thresholdInclusive ? '<' : '≤';
  const inclusive = rule.thresholdInclusive
    ? { zh: '（含本数）', en: ' (inclusive)' }
    : { zh: '（不含本数）', en: ' (exclusive)' };
  const parts: LocalizedText[] = [];
  const introducerEligible =
    lead.introducer.type !== 'none' && rule.eligibleIntroducers.includes(lead.introducer.type);
  if (lead.introducer.type === 'none') {
    parts.push({
      zh: '无介绍方，不适用招商奖励。',
      en: 'No introducer: the referral reward does not apply.',
    });
  } else if (!introducerEligible) {
    parts.push({
      zh: `介绍方为${introducer.zh}，不属于自动奖励对象（仅限${rule.eligibleIntroducers.map((type) => INTRODUCER_NAMES[type].zh).join('、')}），不计算${formatBasisPoints(rule.basisPoints)}奖励；财政可另行记录酌定奖励。`,
      en: `The introducer is ${introducer.en}, not eligible for the automatic ${formatBasisPoints(rule.basisPoints)} reward (only ${rule.eligibleIntroducers.map((type) => INTRODUCER_NAMES[type].en).join(', ')}); finance may record a discretionary reward.`,
    });
  } else {
    parts.push({
      zh: `介绍方为${introducer.zh}，属于奖励对象。`,
      en: `The introducer is ${introducer.en} (eligible).`,
    });
  }
  if (referral.reasons.includes('below_threshold')) {
    parts.push({
      zh: `${baseName.zh}${base}${notOp}门槛${threshold}${inclusive.zh}，未达到奖励门槛。`,
      en: `The ${baseName.en} ${base} ${notOp} threshold ${threshold}${inclusive.en}: below the threshold.`,
    });
  } else {
    parts.push({
      zh: `${baseName.zh}${base}${op}门槛${threshold}${inclusive.zh}。`,
      en: `The ${baseName.en} ${base} ${op} threshold ${threshold}${inclusive.en}.`,
    });
  }
  if (referral.eligible) {
    const pct = formatBasisPoints(rule.basisPoints);
    parts.push({
      zh: `奖励 = ${pct} × ${base} = ${formatFen(referral.standardAmountFen)}（四舍五入到分，一次性）。`,
      en: `Reward = ${pct} × ${base} = ${formatFen(referral.standardAmountFen)} (rounded half up to the fen, once).`,
    });
    if (referral.reasons.includes('capped') && rule.capFen !== null) {
      parts.push({
        zh: `超过单笔上限${formatFen(rule.capFen)}，按上限计${formatFen(referral.amountFen)}，超出部分转“一事一议”。`,
        en: `Above the cap of ${formatFen(rule.capFen)}: cut to ${formatFen(referral.amountFen)}, the excess goes to one-case-one-policy.`,
      });
    }
    if (referral.payable) {
      parts.push({ zh: '可支付（待财政审核）。', en: 'Payable (subject to finance review).' });
    } else {
      if (referral.basis === 'planned') {
        parts.push({
          zh: '此为按计划投资额的预估，核实实际投资额前不可支付。',
          en: 'This is a provisional estimate on the planned investment, not payable until the actual investment is verified.',
        });
      }
      if (referral.reasons.includes('one_case_one_policy')) {
        parts.push({
          zh: '项目属“一事一议”，财政记录协商结果前不可支付。',
          en: 'The project is flagged one-case-one-policy: nothing is payable until finance records the negotiated outcome.',
        });
      }
    }
    if (rule.onePerProject)
      parts.push({ zh: '每个项目仅奖励一次。', en: 'At most one such reward per project.' });
  } else {
    parts.push({ zh: '奖励金额为0元。', en: 'Reward amount: 0元.' });
  }
  parts.push(citation(rule.legalBasis));
  return joinTexts(parts);
}

function explainFund(lead: Lead, policy: Policy, outcome: Outcome): LocalizedText {
  const rule = ruleOf(policy, 'conversion_fund');
  const { fund } = outcome;
  const category = CATEGORY_NAMES[lead.category];
  const pct = formatBasisPoints(rule.investmentShareBasisPoints);
  const baseName =
    fund.basis === 'actual'
      ? { zh: '实际投资额', en: 'actual investment' }
      : { zh: '计划投资额', en: 'planned investment' };
  const share = `${pct} × ${baseName.zh}${formatFen(fund.investmentFen)} = ${formatFen(fund.investmentShareFen)}`;
  const shareEn = `${pct} × ${baseName.en} ${formatFen(fund.investmentFen)} = ${formatFen(fund.investmentShareFen)}`;
  const cap = formatFen(rule.perProjectCapFen);
  const parts: LocalizedText[] = [];
  if (fund.eligible === false) {
    parts.push({
      zh: `项目类别为${category.zh}，不属于${rule.fundId}基金支持范围（仅限${rule.eligibleCategories.map((c) => CATEGORY_NAMES[c].zh).join('、')}），基金上限为0元。`,
      en: `The project category is ${category.en}, not eligible for fund ${rule.fundId} (only ${rule.eligibleCategories.map((c) => CATEGORY_NAMES[c].en).join(', ')}): cap 0元.`,
    });
  } else if (!fund.evaluated) {
    parts.push({
      zh: `项目类别为${category.zh}，可申请基金，但线索未填写申请金额（fundRequest），未评估；若申请，最多可得 min(${share}, 单项目上限${cap}) = ${formatFen(Math.min(fund.investmentShareFen, rule.perProjectCapFen))}。`,
      en: `The project category is ${category.en} (fund-eligible), but the lead gives no fund request (fundRequest): not evaluated. With a request it could get at most min(${shareEn}, per-project cap ${cap}) = ${formatFen(Math.min(fund.investmentShareFen, rule.perProjectCapFen))}.`,
    });
  } else {
    const requested = formatFen(fund.requestedFen ?? 0);
    const boundTexts: Record<FundBound, LocalizedText> = {
      request: { zh: '以申请金额为限', en: 'bound by the request' },
      investment_share: { zh: `以投资额的${pct}为限`, en: `bound by ${pct} of the investment` },
      per_project_cap: { zh: '以单项目上限为限', en: 'bound by the per-project cap' },
    };
    const bound = fund.boundBy === null ? { zh: '', en: '' } : boundTexts[fund.boundBy];
    parts.push({
      zh: `项目类别为${category.zh}，可申请基金。上限 = min(申请${requested}, ${share}, 单项目上限${cap}) = ${formatFen(fund.capFen)}（${bound.zh}）。基金剩余额度由分配环节核定。`,
      en: `The project category is ${category.en} (fund-eligible). Cap = min(request ${requested}, ${shareEn}, per-project cap ${cap}) = ${formatFen(fund.capFen)} (${bound.en}). What is left in the fund is checked at allocation.`,
    });
  }
  parts.push(citation(rule.legalBasis));
  return joinTexts(parts);
}

// A parsed policy is never changed after it is parsed, so its hash is computed once per object.
const policyHashes = new WeakMap<Policy, string>();

/** Hash of a policy: SHA-256 of the canonical JSON of the parsed policy. */
export function policyHash(policy: Policy): string {
  let hash = policyHashes.get(policy);
  if (hash === undefined) {
    hash = hashCanonical(policy);
    policyHashes.set(policy, hash);
  }
  return hash;
}

/** Hash of a lead: SHA-256 of the canonical JSON of the parsed lead. */
export function leadHash(lead: Lead): string {
  return hashCanonical(lead);
}

/** The full decision: the outcome with explanations, legal bases, the policy version and both hashes. */
export function evaluateLead(lead: Lead, policy: Policy): Decision {
  const outcome = computeOutcome(lead, policy);
  const referralRule = ruleOf(policy, 'referral_reward');
  const caseRule = ruleOf(policy, 'one_case_one_policy');
  const fundRule = ruleOf(policy, 'conversion_fund');
  const { referral, fund } = outcome;

  const flags: Flag[] = [];
  if (outcome.oneCaseOnePolicyReasons.length > 0) {
    const reasons = outcome.oneCaseOnePolicyReasons;
    flags.push({
      code: 'ONE_CASE_ONE_POLICY',
      ruleId: caseRule.id,
      reasons: [...reasons],
      explanation: joinTexts([
        {
          zh: `“一事一议”：${reasons.map((reason) => CASE_REASON_TEXTS[reason].zh).join('；')}（计划投资额${formatFen(lead.plannedInvestment)}，门槛${formatFen(caseRule.plannedInvestmentThresholdFen)}${caseRule.thresholdInclusive ? '，含本数' : '，不含本数'}）。标准计算照常列示，财政记录协商结果前不予支付。`,
          en: `One-case-one-policy: ${reasons.map((reason) => CASE_REASON_TEXTS[reason].en).join('; ')} (planned investment ${formatFen(lead.plannedInvestment)}, threshold ${formatFen(caseRule.plannedInvestmentThresholdFen)}${caseRule.thresholdInclusive ? ', inclusive' : ', exclusive'}). The standard computation is shown; nothing is payable until finance records the negotiated outcome.`,
        },
        citation(caseRule.legalBasis),
      ]),
      legalBasis: caseRule.legalBasis,
    });
  }

  return {
    decisionSchemaVersion: 1,
    policyVersion: policy.version,
    policyHash: policyHash(policy),
    inputHash: leadHash(lead),
    legalBasis: policy.legalBasis,
    referralReward: {
      ruleId: referralRule.id,
      status: 'evaluated',
      missing: [],
      eligible: referral.eligible,
      basis: referral.basis,
      baseFen: referral.baseFen,
      basisPoints: referralRule.basisPoints,
      thresholdFen: referralRule.thresholdFen,
      thresholdInclusive: referralRule.thresholdInclusive,
      standardAmountFen: referral.standardAmountFen,
      capFen: referralRule.capFen,
      amountFen: referral.amountFen,
      amountText: formatFen(referral.amountFen),
      payable: referral.payable,
      onePerProject: referralRule.onePerProject,
      reasons: [...referral.reasons],
      explanation: explainReferral(lead, policy, outcome),
      legalBasis: referralRule.legalBasis,
    },
    flags,
    fund: {
      ruleId: fundRule.id,
      fundId: fundRule.fundId,
      status: fund.evaluated ? 'evaluated' : 'not_evaluated',
      missing: fund.evaluated ? [] : ['fundRequest'],
      eligible: fund.eligible,
      basis: fund.basis,
      investmentFen: fund.investmentFen,
      requestedFen: fund.requestedFen,
      investmentShareBasisPoints: fundRule.investmentShareBasisPoints,
      investmentShareFen: fund.investmentShareFen,
      perProjectCapFen: fundRule.perProjectCapFen,
      capFen: fund.capFen,
      capText: formatFen(fund.capFen),
      boundBy: fund.boundBy,
      reasons: [...fund.reasons],
      explanation: explainFund(lead, policy, outcome),
      legalBasis: fundRule.legalBasis,
    },
    rules: [
      {
        ruleId: referralRule.id,
        type: referralRule.type,
        status: 'evaluated',
        legalBasis: referralRule.legalBasis,
      },
      { ruleId: caseRule.id, type: caseRule.type, status: 'evaluated', legalBasis: caseRule.legalBasis },
      {
        ruleId: fundRule.id,
        type: fundRule.type,
        status: fund.evaluated ? 'evaluated' : 'not_evaluated',
        legalBasis: fundRule.legalBasis,
      },
    ],
  };
}
