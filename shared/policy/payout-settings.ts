/**
 * The payout rules of a policy (issue 17): what must be on record before a reward is approved and paid.
 * Every number and every gate is a setting here; `DEFAULT_PAYOUT_SETTINGS` are the defaults of the domain
 * brief (`../shared/docs/domain.md`, "After the decision"), sourced from other zones' published rules.
 *
 * A policy may carry its own `payout` section; a policy without one (`kfq-2019` as published, whose bytes
 * and hash recorded decisions pin) gets the defaults. So the defaults are on for kfq-2019 without
 * changing one byte of it or of any decision made under it.
 */
import * as z from 'zod';
import { fenSchema } from '#shared/domain/money.ts';
import { zodMessage } from '#shared/schemas/zod-text.ts';

export const RegistrationSettingsSchema = z
  .object({
    /** A referral reward is approved only once the introducer's registration (报备) is on record. */
    required: z.boolean(),
    /** Registration must be on or before the contract's signing date, else the reward is not eligible. */
    beforeSigning: z.boolean(),
    /** Introducers who are public-payroll staff (财政供养人员) earn no referral reward. */
    excludePublicPayrollStaff: z.boolean(),
    /** Introducers tied to the investor (关联方) earn no referral reward. */
    excludeTiedToInvestor: z.boolean(),
  })
  .strict();
export type RegistrationSettings = z.infer<typeof RegistrationSettingsSchema>;

export const EvidenceSettingsSchema = z
  .object({
    /** A CPA's 验资报告 or 专项审计报告 (number, firm, date, amount) must be on record. */
    auditReportRequired: z.boolean(),
    /** An on-site check (who, when, finding) confirming the investment must be on record. */
    siteCheckRequired: z.boolean(),
    /** The audit report and the on-site check are recorded by two different people. */
    distinctRecorders: z.boolean(),
    /**
     * Only investment within the contract's construction period counts: the verified actual investment a
     * reward is computed on may not exceed what the audit report certifies within that period (land, rent
     * and working capital are reported apart and never counted).
     */
    constructionPeriodOnly: z.boolean(),
  })
  .strict();
export type EvidenceSettings = z.infer<typeof EvidenceSettingsSchema>;

/**
 * Approval tiers by the amount an approval moves (the reward plus the fund share): finance signs every
 * approval; above `financeHeadAboveFen` the finance head signs too; above `collectiveAboveFen`, and for
 * every 一事一议 outcome when `collectiveForCaseByCase`, a collective decision (body, meeting date, minutes
 * number) is recorded as well. `null`: that tier never applies. An amount exactly at a bound stays below it.
 */
export const ApprovalSettingsSchema = z
  .object({
    financeHeadAboveFen: fenSchema.nullable(),
    collectiveAboveFen: fenSchema.nullable(),
    collectiveForCaseByCase: z.boolean(),
  })
  .strict();
export type ApprovalSettings = z.infer<typeof ApprovalSettingsSchema>;

/** One finance approver whatever the amount: a policy section written before the tiers existed. */
export const SINGLE_APPROVER: ApprovalSettings = {
  financeHeadAboveFen: null,
  collectiveAboveFen: null,
  collectiveForCaseByCase: false,
};

/**
 * The public notice (公示) an approval opens: paid only once it has run `workingDays` working days (the
 * admin's working-day calendar) after the approval day, with no objection left unresolved. `0` or `null`:
 * no notice.
 */
export const NoticeSettingsSchema = z
  .object({ workingDays: z.number().int().min(0).max(60).nullable() })
  .strict();
export type NoticeSettings = z.infer<typeof NoticeSettingsSchema>;

/**
 * A stage's condition (issue 17, part 5): `investment_in_place` — the investment in place (the latest audit
 * report's certified amount, else the reported actual investment) is at least `percent` % of the lead's
 * planned investment; `stage_reached` — the project the lead became (issue 15) is at this project stage
 * (a code of the project settings' `stages`, e.g. `in_production` 竣工投产) or a later one.
 */
export const StageConditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('investment_in_place'), percent: z.number().int().min(1).max(100) }).strict(),
  z
    .object({
      kind: z.literal('stage_reached'),
      stage: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,39}$/)
        .meta({ description: 'a project stage code' }),
    })
    .strict(),
]);
export type StageCondition = z.infer<typeof StageConditionSchema>;

/** The whole reward in basis points: the stages' shares add up to exactly this. */
export const WHOLE_BASIS_POINTS = 10_000;

/**
 * Staged payment: the reward split into stages, each approved and paid on its own once its condition is
 * met. Shares in basis points (5000 = 50%) adding up to exactly 10000; the last stage takes the fen the
 * rounding down of the others leaves, so the stages always add up to the reward exactly.
 */
export const StagesSettingsSchema = z
  .array(
    z
      .object({
        shareBasisPoints: z.number().int().min(1).max(WHOLE_BASIS_POINTS),
        /** Absent: the stage is payable as soon as the reward is approved. */
        condition: StageConditionSchema.optional(),
      })
      .strict(),
  )
  .min(1)
  .max(10)
  .superRefine((stages, context) => {
    const total = stages.reduce((sum, stage) => sum + stage.shareBasisPoints, 0);
    if (total !== WHOLE_BASIS_POINTS) {
      context.addIssue({
        code: 'custom',
        message: zodMessage({
          zh: `各期比例（shareBasisPoints）之和须恰为 ${WHOLE_BASIS_POINTS}（100%），现为 ${total}`,
          en: `the shares (shareBasisPoints) must add up to exactly ${WHOLE_BASIS_POINTS} (100%), not ${total}`,
        }),
      });
    }
  });
export type StagesSettings = z.infer<typeof StagesSettingsSchema>;

/**
 * Rewards by decision (重奖, issue 20): whether the office may grant them, caps per lead and per year
 * (null: none), which roles propose, and whether they draw on the conversion fund (default: never).
 */
export const DiscretionarySettingsSchema = z
  .object({
    allowed: z.boolean(),
    capPerLeadFen: fenSchema.nullable(),
    capPerYearFen: fenSchema.nullable(),
    proposers: z.array(z.enum(['finance', 'finance-head', 'admin'])).min(1),
    drawsOnFund: z.boolean(),
  })
  .strict();
export type DiscretionarySettings = z.infer<typeof DiscretionarySettingsSchema>;

export const PayoutSettingsSchema = z
  .object({
    registration: RegistrationSettingsSchema,
    evidence: EvidenceSettingsSchema,
    /**
     * Absent from a policy's own section (one published before the tiers existed): one finance approver,
     * so what such a policy meant does not change after the fact. A policy without any section gets the
     * default tiers with the other defaults.
     */
    approvals: ApprovalSettingsSchema.optional(),
    /** Absent from a policy's own section (published before the notice existed): no notice, as it meant. */
    notice: NoticeSettingsSchema.optional(),
    /** Absent (the default): the whole reward is paid at once, as before stages existed. */
    stages: StagesSettingsSchema.optional(),
    /** Absent from a policy's own section (published before they existed): none allowed, as it meant. */
    discretionary: DiscretionarySettingsSchema.optional(),
  })
  .strict()
  .meta({
    description:
      'Payout rules (兑付规则: registration, evidence, approval tiers, public notice, staged payment); the defaults of the domain brief apply when absent',
  });
export type PayoutSettings = z.infer<typeof PayoutSettingsSchema>;

/**
 * The domain brief's defaults: registration before signing, confirmed; public-payroll staff and parties
 * tied to the investor excluded; an audit report and an on-site check recorded by two people, only
 * investment within the construction period counted.
 */
export const DEFAULT_PAYOUT_SETTINGS: PayoutSettings = PayoutSettingsSchema.parse({
  registration: {
    required: true,
    beforeSigning: true,
    excludePublicPayrollStaff: true,
    excludeTiedToInvestor: true,
  },
  evidence: {
    auditReportRequired: true,
    siteCheckRequired: true,
    distinctRecorders: true,
    constructionPeriodOnly: true,
  },
  // 50万 and 300万 (domain.md, "approval": an assumption of the brief).
  approvals: {
    financeHeadAboveFen: 50_000_000,
    collectiveAboveFen: 300_000_000,
    collectiveForCaseByCase: true,
  },
  // 5 working days (domain.md, "公示": an assumption of the brief).
  notice: { workingDays: 5 },
  // The source promises 重奖 with no formula: allowed, no cap, proposed by finance, from the zone's budget.
  discretionary: {
    allowed: true,
    capPerLeadFen: null,
    capPerYearFen: null,
    proposers: ['finance'],
    drawsOnFund: false,
  },
});

/** The payout rules a policy sets, or the defaults when it sets none. */
export function payoutSettingsOf(policy: { readonly payout?: PayoutSettings | undefined }): PayoutSettings {
  return policy.payout ?? DEFAULT_PAYOUT_SETTINGS;
}

/** The approval tiers of payout settings (one finance approver when the section sets none). */
export function approvalSettingsOf(settings: PayoutSettings): ApprovalSettings {
  return settings.approvals ?? SINGLE_APPROVER;
}

/** How many working days an approval's public notice runs; 0: none (a section without one, or 0/null). */
export function noticeWorkingDaysOf(settings: PayoutSettings): number {
  return settings.notice?.workingDays ?? 0;
}

/** The stages a policy sets; none (the default): one payment of the whole reward. */
export function stagesOf(settings: PayoutSettings): StagesSettings | undefined {
  return settings.stages;
}

const NOT_ALLOWED: DiscretionarySettings = {
  allowed: false,
  capPerLeadFen: null,
  capPerYearFen: null,
  proposers: ['finance'],
  drawsOnFund: false,
};

/** The rules of discretionary rewards (issue 20); none allowed under a section that does not say. */
export function discretionarySettingsOf(settings: PayoutSettings): DiscretionarySettings {
  return settings.discretionary ?? NOT_ALLOWED;
}
