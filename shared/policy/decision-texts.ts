/**
 * The explanation texts of a decision, in both languages of the office. Everything that depends only on
 * the policy (thresholds, rates, caps, eligible lists, citations, whole sentences per introducer type and
 * project category) is written once per parsed policy object; a decision only prints its own amounts into
 * them. Every lead revision is evaluated, and bench/engine.ts measures this path against json-rules-engine.
 *
 * Chinese sentences are joined without a separator, English ones with a space.
 */
import { formatBasisPoints, formatFen } from '#shared/domain/money.ts';
import type { FundBound, OneCaseOnePolicyReason } from '#shared/schemas/decision.ts';
import {
  INTRODUCER_TYPES,
  type IntroducerType,
  type Lead,
  PROJECT_CATEGORIES,
  type ProjectCategory,
} from '#shared/schemas/lead.ts';
import type { FundOutcome, ReferralOutcome } from './compute-outcome.ts';
import { perPolicy } from './per-policy.ts';
import {
  type ConversionFundRule,
  type LegalBasis,
  type LocalizedText,
  type OneCaseOnePolicyRule,
  type Policy,
  type ReferralRewardRule,
  ruleOf,
} from './policy-schema.ts';

type Basis = 'actual' | 'planned';

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

const BASIS_NAMES: Record<Basis, LocalizedText> = {
  actual: { zh: '实际投资额', en: 'actual investment' },
  planned: { zh: '计划投资额', en: 'planned investment' },
};

const REFERRAL_SENTENCES = {
  payable: { zh: '可支付（待财政审核）。', en: 'Payable (subject to finance review).' },
  provisional: {
    zh: '此为按计划投资额的预估，核实实际投资额前不可支付。',
    en: 'This is a provisional estimate on the planned investment, not payable until the actual investment is verified.',
  },
  oneCaseOnePolicy: {
    zh: '项目属“一事一议”，财政记录协商结果前不可支付。',
    en: 'The project is flagged one-case-one-policy: nothing is payable until finance records the negotiated outcome.',
  },
  onePerProject: { zh: '每个项目仅奖励一次。', en: 'At most one such reward per project.' },
  nothing: { zh: '奖励金额为0元。', en: 'Reward amount: 0元.' },
} satisfies Record<string, LocalizedText>;

/** Why the referrer's registration rules the reward out (only said when a registration is recorded). */
const REGISTRATION_SENTENCES = {
  registered_after_signing: {
    zh: '引荐人报备日期晚于项目签约日期（须签约前报备），不予奖励。',
    en: 'The referrer was registered after the contract was signed (registration must come first): no reward.',
  },
  introducer_public_payroll_staff: {
    zh: '引荐人为财政供养人员，不予奖励。',
    en: 'The introducer is public-payroll staff: no reward.',
  },
  introducer_tied_to_investor: {
    zh: '引荐人与投资方存在关联关系，不予奖励。',
    en: 'The introducer is tied to the investor: no reward.',
  },
} satisfies Record<string, LocalizedText>;

/** The sentence citing a rule's legal basis. */
function citation(legalBasis: LegalBasis): LocalizedText {
  const clauses = legalBasis.clauses.join('；');
  return { zh: `依据${legalBasis.document}：${clauses}。`, en: `Basis: ${legalBasis.document}, ${clauses}.` };
}

function byKey<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;
}

function referralTexts(rule: ReferralRewardRule) {
  const pct = formatBasisPoints(rule.basisPoints);
  const threshold = formatFen(rule.thresholdFen);
  const [op, notOp, inclusive] = rule.thresholdInclusive
    ? ['≥', '<', { zh: '（含本数）', en: ' (inclusive)' }]
    : ['>', '≤', { zh: '（不含本数）', en: ' (exclusive)' }];
  const eligibleNames = {
    zh: rule.eligibleIntroducers.map((type) => INTRODUCER_NAMES[type].zh).join('、'),
    en: rule.eligibleIntroducers.map((type) => INTRODUCER_NAMES[type].en).join(', '),
  };
  const introducer = (type: IntroducerType): LocalizedText => {
    const name = INTRODUCER_NAMES[type];
    if (type === 'none') {
      return { zh: '无介绍方，不适用招商奖励。', en: 'No introducer: the referral reward does not apply.' };
    }
    if (!rule.eligibleIntroducers.includes(type)) {
      return {
        zh: `介绍方为${name.zh}，不属于自动奖励对象（仅限${eligibleNames.zh}），不计算${pct}奖励；财政可另行记录酌定奖励。`,
        en: `The introducer is ${name.en}, not eligible for the automatic ${pct} reward (only ${eligibleNames.en}); finance may record a discretionary reward.`,
      };
    }
    return { zh: `介绍方为${name.zh}，属于奖励对象。`, en: `The introducer is ${name.en} (eligible).` };
  };
  return {
    pct,
    capText: rule.capFen === null ? null : formatFen(rule.capFen),
    onePerProject: rule.onePerProject,
    introducer: byKey(INTRODUCER_TYPES, introducer),
    /** Before the base amount: "计划投资额" / "The planned investment ". */
    baseLead: byKey(['actual', 'planned'] as const, (basis) => ({
      zh: BASIS_NAMES[basis].zh,
      en: `The ${BASIS_NAMES[basis].en} `,
    })),
    /** After the base amount. */
    atOrAbove: {
      zh: `${op}门槛${threshold}${inclusive.zh}。`,
      en: ` ${op} threshold ${threshold}${inclusive.en}.`,
    },
    below: {
      zh: `${notOp}门槛${threshold}${inclusive.zh}，未达到奖励门槛。`,
      en: ` ${notOp} threshold ${threshold}${inclusive.en}: below the threshold.`,
    },
    citation: citation(rule.legalBasis),
  };
}

function fundTexts(rule: ConversionFundRule) {
  const categories = {
    zh: rule.eligibleCategories.map((category) => CATEGORY_NAMES[category].zh).join('、'),
    en: rule.eligibleCategories.map((category) => CATEGORY_NAMES[category].en).join(', '),
  };
  const pct = formatBasisPoints(rule.investmentShareBasisPoints);
  const bounds: Record<FundBound, LocalizedText> = {
    request: { zh: '以申请金额为限', en: 'bound by the request' },
    investment_share: { zh: `以投资额的${pct}为限`, en: `bound by ${pct} of the investment` },
    per_project_cap: { zh: '以单项目上限为限', en: 'bound by the per-project cap' },
  };
  return {
    pct,
    capFen: rule.perProjectCapFen,
    capText: formatFen(rule.perProjectCapFen),
    bounds,
    ineligible: byKey(PROJECT_CATEGORIES, (category) => ({
      zh: `项目类别为${CATEGORY_NAMES[category].zh}，不属于${rule.fundId}基金支持范围（仅限${categories.zh}），基金上限为0元。`,
      en: `The project category is ${CATEGORY_NAMES[category].en}, not eligible for fund ${rule.fundId} (only ${categories.en}): cap 0元.`,
    })),
    citation: citation(rule.legalBasis),
  };
}

function oneCaseTexts(rule: OneCaseOnePolicyRule) {
  const threshold = formatFen(rule.plannedInvestmentThresholdFen);
  return {
    /** After the planned investment. */
    threshold: rule.thresholdInclusive
      ? { zh: `，门槛${threshold}，含本数`, en: `, threshold ${threshold}, inclusive` }
      : { zh: `，门槛${threshold}，不含本数`, en: `, threshold ${threshold}, exclusive` },
    citation: citation(rule.legalBasis),
  };
}

const textsOf = perPolicy((policy) => ({
  referral: referralTexts(ruleOf(policy, 'referral_reward')),
  fund: fundTexts(ruleOf(policy, 'conversion_fund')),
  oneCase: oneCaseTexts(ruleOf(policy, 'one_case_one_policy')),
}));

/** Why the referral reward is what it is; `baseText` and `amountText` are the decision's own amounts. */
export function explainReferral(
  lead: Lead,
  policy: Policy,
  referral: ReferralOutcome,
  baseText: string,
  amountText: string,
): LocalizedText {
  const texts = textsOf(policy).referral;
  const introducer = texts.introducer[lead.introducer.type];
  const baseLead = texts.baseLead[referral.basis];
  const comparison = referral.reasons.includes('below_threshold') ? texts.below : texts.atOrAbove;
  let zh = `${introducer.zh}${baseLead.zh}${baseText}${comparison.zh}`;
  let en = `${introducer.en} ${baseLead.en}${baseText}${comparison.en}`;
  const add = (sentence: LocalizedText) => {
    zh += sentence.zh;
    en += ` ${sentence.en}`;
  };
  if (referral.eligible) {
    const standardText =
      referral.standardAmountFen === referral.amountFen ? amountText : formatFen(referral.standardAmountFen);
    add({
      zh: `奖励 = ${texts.pct} × ${baseText} = ${standardText}（四舍五入到分，一次性）。`,
      en: `Reward = ${texts.pct} × ${baseText} = ${standardText} (rounded half up to the fen, once).`,
    });
    if (referral.reasons.includes('capped') && texts.capText !== null) {
      add({
        zh: `超过单笔上限${texts.capText}，按上限计${amountText}，超出部分转“一事一议”。`,
        en: `Above the cap of ${texts.capText}: cut to ${amountText}, the excess goes to one-case-one-policy.`,
      });
    }
    if (referral.payable) {
      add(REFERRAL_SENTENCES.payable);
    } else {
      if (referral.basis === 'planned') add(REFERRAL_SENTENCES.provisional);
      if (referral.reasons.includes('one_case_one_policy')) add(REFERRAL_SENTENCES.oneCaseOnePolicy);
    }
    if (texts.onePerProject) add(REFERRAL_SENTENCES.onePerProject);
  } else {
    for (const reason of referral.reasons) {
      if (reason in REGISTRATION_SENTENCES)
        add(REGISTRATION_SENTENCES[reason as keyof typeof REGISTRATION_SENTENCES]);
    }
    add(REFERRAL_SENTENCES.nothing);
  }
  add(texts.citation);
  return { zh, en };
}

/** Why the fund cap is what it is; `investmentText` and `capText` are the decision's own amounts. */
export function explainFund(
  lead: Lead,
  policy: Policy,
  fund: FundOutcome,
  investmentText: string,
  capText: string,
): LocalizedText {
  const texts = textsOf(policy).fund;
  const category = CATEGORY_NAMES[lead.category];
  const basisName = BASIS_NAMES[fund.basis];
  const shareText = formatFen(fund.investmentShareFen);
  const share = {
    zh: `${texts.pct} × ${basisName.zh}${investmentText} = ${shareText}`,
    en: `${texts.pct} × ${basisName.en} ${investmentText} = ${shareText}`,
  };
  let sentence: LocalizedText;
  if (fund.eligible === false) {
    sentence = texts.ineligible[lead.category];
  } else if (!fund.evaluated) {
    const most = formatFen(Math.min(fund.investmentShareFen, texts.capFen));
    sentence = {
      zh: `项目类别为${category.zh}，可申请基金，但线索未填写申请金额（fundRequest），未评估；若申请，最多可得 min(${share.zh}, 单项目上限${texts.capText}) = ${most}。`,
      en: `The project category is ${category.en} (fund-eligible), but the lead gives no fund request (fundRequest): not evaluated. With a request it could get at most min(${share.en}, per-project cap ${texts.capText}) = ${most}.`,
    };
  } else {
    const requested = formatFen(fund.requestedFen ?? 0);
    const bound = fund.boundBy === null ? { zh: '', en: '' } : texts.bounds[fund.boundBy];
    sentence = {
      zh: `项目类别为${category.zh}，可申请基金。上限 = min(申请${requested}, ${share.zh}, 单项目上限${texts.capText}) = ${capText}（${bound.zh}）。基金剩余额度由分配环节核定。`,
      en: `The project category is ${category.en} (fund-eligible). Cap = min(request ${requested}, ${share.en}, per-project cap ${texts.capText}) = ${capText} (${bound.en}). What is left in the fund is checked at allocation.`,
    };
  }
  return { zh: sentence.zh + texts.citation.zh, en: `${sentence.en} ${texts.citation.en}` };
}

/** Why a lead is flagged ONE_CASE_ONE_POLICY. */
export function explainOneCaseOnePolicy(
  policy: Policy,
  reasons: readonly OneCaseOnePolicyReason[],
  plannedText: string,
): LocalizedText {
  const texts = textsOf(policy).oneCase;
  const zhReasons = reasons.map((reason) => CASE_REASON_TEXTS[reason].zh).join('；');
  const enReasons = reasons.map((reason) => CASE_REASON_TEXTS[reason].en).join('; ');
  return {
    zh: `“一事一议”：${zhReasons}（计划投资额${plannedText}${texts.threshold.zh}）。标准计算照常列示，财政记录协商结果前不予支付。${texts.citation.zh}`,
    en: `One-case-one-policy: ${enReasons} (planned investment ${plannedText}${texts.threshold.en}). The standard computation is shown; nothing is payable until finance records the negotiated outcome. ${texts.citation.en}`,
  };
}
