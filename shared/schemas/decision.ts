/**
 * The rules engine's output for one lead under one policy version. It holds no time: callers add
 * `evaluatedAt` beside it, so the same lead and policy always give byte-identical canonical JSON.
 *
 * Reason codes:
 * - referral reward: `no_introducer`, `introducer_not_eligible`, `below_threshold` (why not eligible);
 *   `provisional_on_planned_investment`, `one_case_one_policy` (why an eligible amount is not payable yet);
 *   `capped` (the amount was cut to the policy cap); from the referrer's registration (only when one is
 *   recorded): `registered_after_signing`, `introducer_public_payroll_staff`, `introducer_tied_to_investor`
 *   (why not eligible);
 * - fund: `category_not_eligible`, `no_fund_request`;
 * - ONE_CASE_ONE_POLICY flag: `planned_investment_at_or_above_threshold`, `municipal_major_project`,
 *   `bespoke_terms_requested`, `above_reward_cap`.
 */
import * as z from 'zod';
import { fenSchema } from '#shared/domain/money.ts';
import { LegalBasisSchema, LocalizedTextSchema } from '#shared/schemas/legal-basis.ts';

const hash = z.string().regex(/^[0-9a-f]{64}$/);
const status = z.enum(['evaluated', 'not_evaluated']);
const basis = z.enum(['actual', 'planned']);

export const REFERRAL_REASONS = [
  'no_introducer',
  'introducer_not_eligible',
  'below_threshold',
  'provisional_on_planned_investment',
  'one_case_one_policy',
  'capped',
  'registered_after_signing',
  'introducer_public_payroll_staff',
  'introducer_tied_to_investor',
] as const;
export const FUND_REASONS = ['category_not_eligible', 'no_fund_request'] as const;
export const ONE_CASE_ONE_POLICY_REASONS = [
  'planned_investment_at_or_above_threshold',
  'municipal_major_project',
  'bespoke_terms_requested',
  'above_reward_cap',
] as const;
export type OneCaseOnePolicyReason = (typeof ONE_CASE_ONE_POLICY_REASONS)[number];
export const FUND_BOUNDS = ['request', 'investment_share', 'per_project_cap'] as const;
export type FundBound = (typeof FUND_BOUNDS)[number];

export const ReferralRewardResultSchema = z
  .object({
    ruleId: z.string(),
    status,
    /** Lead fields the rule needed and did not get (empty when evaluated). */
    missing: z.array(z.string()),
    /** null when not evaluated. */
    eligible: z.boolean().nullable(),
    /** `actual` when a verified actual investment is given, else `planned` (a provisional estimate). */
    basis,
    baseFen: fenSchema,
    basisPoints: z.number().int(),
    thresholdFen: fenSchema,
    thresholdInclusive: z.boolean(),
    /** basisPoints × base / 10000, rounded half up once; 0 when not eligible. */
    standardAmountFen: fenSchema,
    capFen: fenSchema.nullable(),
    /** The reward: the standard amount, cut to the cap if any; 0 when not eligible. */
    amountFen: fenSchema,
    amountText: z.string(),
    payable: z.boolean(),
    onePerProject: z.boolean(),
    reasons: z.array(z.enum(REFERRAL_REASONS)),
    explanation: LocalizedTextSchema,
    legalBasis: LegalBasisSchema,
  })
  .strict();

export const FlagSchema = z
  .object({
    code: z.literal('ONE_CASE_ONE_POLICY'),
    ruleId: z.string(),
    reasons: z.array(z.enum(ONE_CASE_ONE_POLICY_REASONS)).min(1),
    explanation: LocalizedTextSchema,
    legalBasis: LegalBasisSchema,
  })
  .strict();

export const FundResultSchema = z
  .object({
    ruleId: z.string(),
    fundId: z.string(),
    status,
    missing: z.array(z.string()),
    /** Category eligibility; null when not evaluated. */
    eligible: z.boolean().nullable(),
    /** Which investment the share is taken of: actual if verified, else planned. */
    basis,
    investmentFen: fenSchema,
    requestedFen: fenSchema.nullable(),
    investmentShareBasisPoints: z.number().int(),
    /** investmentShareBasisPoints × investment / 10000, rounded half up. */
    investmentShareFen: fenSchema,
    perProjectCapFen: fenSchema,
    /** The most the fund may give this project before looking at what is left in the fund; 0 if not eligible. */
    capFen: fenSchema,
    capText: z.string(),
    boundBy: z.enum(FUND_BOUNDS).nullable(),
    reasons: z.array(z.enum(FUND_REASONS)),
    explanation: LocalizedTextSchema,
    legalBasis: LegalBasisSchema,
  })
  .strict();

/**
 * How an input hash was made, recorded beside it (see shared/policy/input-hash.ts). Absent: form 1, the
 * SHA-256 of the canonical lead, which decisions recorded before form 2 keep and are replayed with.
 * Form 2: the same, with each personal identifier replaced by its HMAC under the key `keyId`.
 */
export const InputHashFormSchema = z
  .object({ version: z.literal(2), keyId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/) })
  .strict();
export type InputHashForm = z.infer<typeof InputHashFormSchema>;

export const RuleSummarySchema = z
  .object({ ruleId: z.string(), type: z.string(), status, legalBasis: LegalBasisSchema })
  .strict();

export const DecisionSchema = z
  .object({
    decisionSchemaVersion: z.literal(1),
    policyVersion: z.string(),
    policyHash: hash,
    inputHash: hash,
    inputHashForm: InputHashFormSchema.optional(),
    legalBasis: LegalBasisSchema,
    referralReward: ReferralRewardResultSchema,
    flags: z.array(FlagSchema),
    fund: FundResultSchema,
    rules: z.array(RuleSummarySchema),
  })
  .strict();

export type Decision = z.infer<typeof DecisionSchema>;
export type ReferralRewardResult = z.infer<typeof ReferralRewardResultSchema>;
export type FundResult = z.infer<typeof FundResultSchema>;
export type Flag = z.infer<typeof FlagSchema>;
