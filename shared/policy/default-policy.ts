/**
 * The default policy `kfq-2019`, from the zone's mid-2019 review and the domain brief. Every number is a
 * setting here. The legal-basis texts are configured text: the source names the document
 * 《关于加快推进新旧动能转换促进提质增效实现高质量发展的政策扶持意见》 ("ten major articles, 51 items") but gives no
 * article numbers, so each clause reference names the part of the document by its subject and says so.
 * Changing anything here changes the policy hash pinned in test/unit/policy.test.ts, on purpose.
 */
import { type Policy, PolicySchema } from './policy-schema.ts';

const DOCUMENT = '《关于加快推进新旧动能转换促进提质增效实现高质量发展的政策扶持意见》';
const NO_ARTICLE_NUMBERS =
  'Configured text: the source (mid-2019 review of the development zone) names this document and its ' +
  '"十大条51项" structure but gives no article numbers; the clause is cited by subject.';

export const KFQ_2019_POLICY: Policy = PolicySchema.parse({
  version: 'kfq-2019',
  effectiveFrom: '2019-01-01T00:00:00+08:00',
  title: {
    zh: '开发区招商引资激励政策（2019版）',
    en: 'Development zone investment-attraction incentive policy (2019 edition)',
  },
  legalBasis: {
    document: DOCUMENT,
    clauses: ['十大条51项（新型生产力培育和旧动能改造提升）'],
    note: NO_ARTICLE_NUMBERS,
  },
  rounding: 'half_up',
  rules: [
    {
      type: 'referral_reward',
      id: 'referral-reward',
      basisPoints: 200,
      thresholdFen: 10_000_000_000,
      thresholdInclusive: true,
      eligibleIntroducers: ['leading_enterprise', 'natural_person'],
      onePerProject: true,
      capFen: null,
      legalBasis: {
        document: DOCUMENT,
        clauses: [
          '招商奖励条款：对龙头企业或自然人引入的固定资产投资额1亿元以上的项目，按照实际投资额的2%给予一次性奖励',
        ],
        note: `${NO_ARTICLE_NUMBERS} "以上" includes the bound (Civil Code art. 1259).`,
      },
    },
    {
      type: 'one_case_one_policy',
      id: 'one-case-one-policy',
      plannedInvestmentThresholdFen: 50_000_000_000,
      thresholdInclusive: true,
      municipalMajorProject: true,
      bespokeTermsRequested: true,
      legalBasis: {
        document: DOCUMENT,
        clauses: ['重大项目"一事一议"政策支持'],
        note: `${NO_ARTICLE_NUMBERS} The 5亿 planned-investment threshold is an assumption of the zone's configuration.`,
      },
    },
    {
      type: 'conversion_fund',
      id: 'conversion-fund',
      fundId: 'conversion-2019',
      totalFen: 6_000_000_000,
      eligibleCategories: ['new_productive_force', 'old_capacity_upgrade'],
      investmentShareBasisPoints: 1000,
      perProjectCapFen: 1_000_000_000,
      legalBasis: {
        document: DOCUMENT,
        clauses: ['成立6000万元新旧动能转换专项基金，对新型生产力培育和旧动能改造提升进行扶持'],
        note: `${NO_ARTICLE_NUMBERS} The 10% investment share and the 1000万元 per-project cap are assumptions of the zone's configuration.`,
      },
    },
  ],
});

/** The policy used when none is given. */
export const DEFAULT_POLICY: Policy = KFQ_2019_POLICY;

/** Every built-in policy version, for selection by instant. */
export const DEFAULT_POLICIES: readonly Policy[] = [KFQ_2019_POLICY];
