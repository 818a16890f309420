/**
 * A policy document: versioned, effective-dated, validated by zod, holding a list of rules. Every number
 * the engine uses is a setting here; the engine holds none. Amounts are integer fen.
 *
 * `effectiveFrom` is an ISO date-time with an offset ("2019-01-01T00:00:00+08:00") or a date
 * ("2019-01-01"), which means midnight in Asia/Shanghai (see select-policy.ts).
 *
 * The rule list is a discriminated union on `type`; today the engine knows `referral_reward`,
 * `one_case_one_policy` and `conversion_fund`, and a policy must hold exactly one of each (a new rule type
 * is added here and in the engine, without reshaping the pipeline).
 */
import * as z from 'zod';
import { fenSchema } from '#shared/domain/money.ts';
import { IntroducerTypeSchema, ProjectCategorySchema } from '#shared/schemas/lead.ts';
import {
  type LegalBasis,
  LegalBasisSchema,
  type LocalizedText,
  LocalizedTextSchema,
} from '#shared/schemas/legal-basis.ts';
import { zodMessage } from '#shared/schemas/zod-text.ts';
import { PayoutSettingsSchema } from './payout-settings.ts';

export { type LegalBasis, LegalBasisSchema, type LocalizedText, LocalizedTextSchema };

const basisPoints = z.number().int().min(0).max(10_000);
const ruleId = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,63}$/,
    zodMessage({ zh: '必须是规则编号（小写字母、数字、短横线）', en: 'must be a kebab-case rule id' }),
  );

export const ReferralRewardRuleSchema = z
  .object({
    type: z.literal('referral_reward'),
    id: ruleId,
    /** Reward as basis points of the base (200 = 2%). */
    basisPoints,
    /** Minimum base (actual investment if verified, else planned) in fen. */
    thresholdFen: fenSchema,
    /** Whether a base equal to the threshold qualifies (以上 includes the number: Civil Code art. 1259). */
    thresholdInclusive: z.boolean(),
    eligibleIntroducers: z.array(IntroducerTypeSchema).min(1),
    /** At most one referral reward per project, ever (enforced by the pipeline that records rewards). */
    onePerProject: z.boolean(),
    /** Optional cap per reward in fen; an amount above it is cut and flagged ONE_CASE_ONE_POLICY. */
    capFen: fenSchema.nullable(),
    legalBasis: LegalBasisSchema,
  })
  .strict();

export const OneCaseOnePolicyRuleSchema = z
  .object({
    type: z.literal('one_case_one_policy'),
    id: ruleId,
    /** Planned fixed-asset investment from which a lead is flagged, in fen. */
    plannedInvestmentThresholdFen: fenSchema,
    thresholdInclusive: z.boolean(),
    /** Flag leads marked as municipal major projects (市级重大项目). */
    municipalMajorProject: z.boolean(),
    /** Flag leads whose team asks for bespoke terms. */
    bespokeTermsRequested: z.boolean(),
    legalBasis: LegalBasisSchema,
  })
  .strict();

export const ConversionFundRuleSchema = z
  .object({
    type: z.literal('conversion_fund'),
    id: ruleId,
    fundId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
    totalFen: fenSchema,
    eligibleCategories: z.array(ProjectCategorySchema).min(1),
    /** Most a project may get as basis points of its fixed-asset investment (1000 = 10%). */
    investmentShareBasisPoints: basisPoints,
    perProjectCapFen: fenSchema,
    legalBasis: LegalBasisSchema,
  })
  .strict();

export const PolicyRuleSchema = z.discriminatedUnion('type', [
  ReferralRewardRuleSchema,
  OneCaseOnePolicyRuleSchema,
  ConversionFundRuleSchema,
]);
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;
export type ReferralRewardRule = z.infer<typeof ReferralRewardRuleSchema>;
export type OneCaseOnePolicyRule = z.infer<typeof OneCaseOnePolicyRuleSchema>;
export type ConversionFundRule = z.infer<typeof ConversionFundRuleSchema>;

export const REQUIRED_RULE_TYPES = ['referral_reward', 'one_case_one_policy', 'conversion_fund'] as const;

export const EffectiveFromSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: zodMessage({
    zh: '必须是带时区偏移的 ISO 时间或日期（YYYY-MM-DD，按北京时间）',
    en: 'must be an ISO date-time with an offset or a date (YYYY-MM-DD, Asia/Shanghai)',
  }),
});

export const PolicySchema = z
  .object({
    version: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,63}$/,
        zodMessage({ zh: '必须是版本编号，如 "kfq-2019"', en: 'must be a version id like "kfq-2019"' }),
      ),
    effectiveFrom: EffectiveFromSchema,
    title: LocalizedTextSchema,
    legalBasis: LegalBasisSchema,
    rounding: z.literal('half_up'),
    rules: z.array(PolicyRuleSchema).min(1).max(50),
    /** Payout rules (shared/policy/payout-settings.ts); absent: the domain brief's defaults. */
    payout: PayoutSettingsSchema.optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const ids = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (ids.has(rule.id))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'id'],
          message: zodMessage({ zh: '规则编号重复', en: 'duplicate rule id' }),
        });
      ids.add(rule.id);
    });
    for (const type of REQUIRED_RULE_TYPES) {
      const count = policy.rules.filter((rule) => rule.type === type).length;
      if (count !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules'],
          message: zodMessage({
            zh: `必须有且只有一条 ${type} 规则（现有 ${count} 条）`,
            en: `must hold exactly one ${type} rule (has ${count})`,
          }),
        });
      }
    }
  });

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;

/** The one rule of a type in a (validated) policy. */
export function ruleOf<T extends PolicyRule['type']>(
  policy: Policy,
  type: T,
): Extract<PolicyRule, { type: T }> {
  const rule = policy.rules.find(
    (candidate): candidate is Extract<PolicyRule, { type: T }> => candidate.type === type,
  );
  if (rule === undefined) throw new Error(`policy ${policy.version} has no ${type} rule`);
  return rule;
}
