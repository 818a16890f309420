/**
 * Rewards by decision (重奖, issue 20): what the zone's leadership grants people who broker a project and
 * professional attraction teams, beyond the 2% rule, each its own record beside the lead
 * (`sk DISCRETIONARY#<rewardId>`). It goes the way of every reward: approval tiers, 公示, payment with
 * maker-checker, clawback as a reversal.
 */
import * as z from 'zod';
import { fenSchema, moneySchema } from '#shared/domain/money.ts';
import { residentIdSchema, textSchema, usccSchema } from './lead.ts';
import { NoticeRecordSchema } from './notice.ts';
import { CollectiveDecisionSchema } from './sign-off.ts';
import { MUST_BE_MORE_THAN_ZERO, oneOf, requiredOr, zodMessage } from './zod-text.ts';

const instant = z.iso.datetime({ offset: true });
const ActorSchema = z.object({ userId: z.string(), role: z.string() });

export const RECIPIENT_TYPES = ['intermediary', 'professional_team'] as const;

/** The person or organisation rewarded: a credit code (an organisation) or a resident ID (a person), one of them. */
export const RecipientSchema = z
  .object({
    type: z.enum(RECIPIENT_TYPES, { error: requiredOr(oneOf(RECIPIENT_TYPES)) }),
    name: textSchema(200),
    uscc: usccSchema.optional(),
    residentId: residentIdSchema.optional(),
  })
  .strict()
  .refine((r) => (r.uscc === undefined) !== (r.residentId === undefined), {
    message: zodMessage({
      zh: '统一社会信用代码（机构）与身份证号（个人）须且只能填写其一',
      en: 'give exactly one of uscc (an organisation) or residentId (a person)',
    }),
    path: ['uscc'],
  });
export type Recipient = z.infer<typeof RecipientSchema>;

/** The document and clause a discretionary reward rests on. */
export const DiscretionaryLegalBasisSchema = z
  .object({ document: textSchema(300), clause: textSchema(300) })
  .strict();

export const DiscretionaryRewardBodySchema = z
  .object({
    recipient: RecipientSchema,
    amount: moneySchema.refine((fen) => fen > 0, { message: MUST_BE_MORE_THAN_ZERO }),
    reason: textSchema(1000),
    /** Optional in the body so that its absence is a 409 naming it (issue 20), not a bare 400. */
    collectiveDecision: CollectiveDecisionSchema.optional(),
    legalBasis: DiscretionaryLegalBasisSchema.optional(),
  })
  .strict();
export type DiscretionaryRewardBody = z.infer<typeof DiscretionaryRewardBodySchema>;

export const DISCRETIONARY_STATES = ['PROPOSED', 'APPROVED', 'REJECTED', 'PAID'] as const;

export const DiscretionarySignOffSchema = z.object({
  slot: z.enum(['finance', 'financeHead']),
  by: ActorSchema,
  at: instant,
  note: z.string().nullable(),
});

export const DiscretionaryRewardRecordSchema = z.object({
  rewardId: z.string(),
  leadId: z.string(),
  /**
   * The lead's project name (项目名称) at proposal, so that finance reads rewards by project, not by lead id.
   * Absent on rewards proposed before it was recorded: readers take it from the lead (`withProjectNames`).
   */
  projectName: z.string().optional(),
  /** Stored whole, as the lead's introducer is; every view masks a resident ID. */
  recipient: RecipientSchema,
  amountFen: fenSchema,
  reason: z.string(),
  collectiveDecision: CollectiveDecisionSchema,
  legalBasis: DiscretionaryLegalBasisSchema,
  /** The policy version whose payout rules govern it (the lead's latest decision's at proposal). */
  policyVersion: z.string(),
  /** The Asia/Shanghai year of the proposal: the per-year cap and the yearly totals count it there. */
  year: z.number().int(),
  state: z.enum(DISCRETIONARY_STATES),
  proposedBy: ActorSchema,
  proposedAt: instant,
  /** The sign-offs the amount needs (finance; above the first tier also the finance head). */
  required: z.array(z.enum(['finance', 'financeHead'])),
  signOffs: z.array(DiscretionarySignOffSchema),
  decidedAt: instant.nullable(),
  rejection: z.object({ by: ActorSchema, at: instant, reason: z.string() }).nullable(),
  /** The conversion fund it draws on, when the policy says so; null: the zone's own budget. */
  fundId: z.string().nullable(),
  noticeId: z.string().nullable(),
  payment: z
    .object({
      reference: z.string(),
      paidBy: ActorSchema,
      paidAt: instant,
      deductions: z
        .array(z.object({ clawbackId: z.string(), fromLeadId: z.string(), amountFen: fenSchema }))
        .optional(),
    })
    .nullable(),
  idempotencyKey: z.string().nullable(),
  version: z.number().int().nonnegative(),
});
export type DiscretionaryRewardRecord = z.infer<typeof DiscretionaryRewardRecordSchema>;

/** What the API shows: the resident ID masked, the rest as recorded, and the notice when there is one. */
export const DiscretionaryRewardViewSchema = DiscretionaryRewardRecordSchema.omit({
  idempotencyKey: true,
  version: true,
}).extend({
  recipient: z.object({
    type: z.enum(RECIPIENT_TYPES),
    name: z.string(),
    uscc: z.string().optional(),
    residentIdMasked: z.string().optional(),
  }),
  /**
   * The project's name: as recorded at proposal, or for a reward proposed before names were recorded, the
   * lead's (no route renames a project, so it is the same name); null only when the lead is not found.
   */
  projectName: z.string().nullable().meta({
    description:
      'The project’s name (项目名称), as recorded at proposal or, for a reward proposed before it was recorded, the lead’s; null only when the lead is not found',
  }),
  /** Sign-offs still needed before approval. */
  missing: z.array(z.enum(['finance', 'financeHead'])),
  notice: NoticeRecordSchema.pick({ noticeId: true, objectionDeadline: true, endsAt: true }).nullable(),
});
export type DiscretionaryRewardView = z.infer<typeof DiscretionaryRewardViewSchema>;

/** Counters under a condition on `version`: never more proposed than a cap allows, however many at once. */
export const DiscretionaryTotalsSchema = z.object({
  claimedFen: fenSchema,
  version: z.number().int().nonnegative(),
});
export type DiscretionaryTotals = z.infer<typeof DiscretionaryTotalsSchema>;

export const DiscretionaryYearSchema = z.object({
  year: z.number().int(),
  items: z.array(DiscretionaryRewardViewSchema),
  totals: z.object({
    proposedFen: fenSchema,
    approvedFen: fenSchema,
    paidFen: fenSchema,
    rejectedFen: fenSchema,
    count: z.number().int(),
  }),
});

export const DiscretionarySignOffBodySchema = z.object({ note: textSchema(1000).optional() }).strict();
export const DiscretionaryRejectBodySchema = z.object({ reason: textSchema(1000) }).strict();
export const DiscretionaryPaidBodySchema = z.object({ reference: textSchema(200) }).strict();
export const DiscretionaryYearQuerySchema = z
  .object({
    year: z.coerce
      .number({ error: requiredOr(zodMessage({ zh: '必须是年份', en: 'must be a year' })) })
      .int()
      .min(2000)
      .max(2100),
  })
  .strict();
