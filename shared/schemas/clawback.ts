/**
 * Clawback (追回, issue 17 part 6): a recovery of a reward already paid, as its own record beside the lead
 * (`sk CLAWBACK#<id>`), never an edit of the payment. Proposed by finance, approved (or rejected) by another
 * member of finance; a `refund` is recovered when finance records the money received, an `offset` as it is
 * deducted from the same introducer's next reward payments. Recovered money returns to the conversion fund.
 */
import * as z from 'zod';
import { fenSchema, moneySchema } from '#shared/domain/money.ts';
import {
  atMostCharacters,
  MUST_BE_MORE_THAN_ZERO,
  MUST_BE_TEXT,
  NOT_EMPTY,
  oneOf,
  requiredOr,
  zodMessage,
} from './zod-text.ts';

const instant = z.iso.datetime({ offset: true });
const ActorSchema = z.object({ userId: z.string(), role: z.string() });
const text = (max: number) =>
  z
    .string({ error: requiredOr(MUST_BE_TEXT) })
    .trim()
    .min(1, NOT_EMPTY)
    .max(max, atMostCharacters(max));
const DATE = zodMessage({ zh: '必须是日期 YYYY-MM-DD', en: 'must be a date YYYY-MM-DD' });

/** One offset deducted from a payment, as the payment records it. */
export const PaymentDeductionSchema = z.object({
  clawbackId: z.string(),
  /** The lead the reward was clawed back from. */
  fromLeadId: z.string(),
  amountFen: fenSchema,
});
export type PaymentDeduction = z.infer<typeof PaymentDeductionSchema>;

export const CLAWBACK_METHODS = ['refund', 'offset'] as const;
export type ClawbackMethod = (typeof CLAWBACK_METHODS)[number];

/**
 * - `PROPOSED`: waits for another member of finance;
 * - `REJECTED`: not approved; nothing recovered, the amount may be claimed again;
 * - `APPROVED`: the reversal stands; the money is still to come (refund not yet received, offset not yet
 *   fully deducted);
 * - `RECOVERED`: all of it is back in the fund.
 */
export const CLAWBACK_STATES = ['PROPOSED', 'REJECTED', 'APPROVED', 'RECOVERED'] as const;
export type ClawbackState = (typeof CLAWBACK_STATES)[number];

/** One deduction of an offset from a later payment of the same introducer. */
export const OffsetDeductionSchema = z.object({
  /** The lead whose payment (or stage) was reduced. */
  leadId: z.string(),
  stage: z.number().int().positive().nullable(),
  amountFen: fenSchema,
  at: instant,
});
export type OffsetDeduction = z.infer<typeof OffsetDeductionSchema>;

export const ClawbackRecordSchema = z.object({
  clawbackId: z.string(),
  leadId: z.string(),
  /** The approved review's revision the reward was paid under. */
  revision: z.number().int().positive(),
  /** The fund the recovered money returns to (the decision's). */
  fundId: z.string(),
  amountFen: fenSchema,
  reason: z.string(),
  method: z.enum(CLAWBACK_METHODS),
  state: z.enum(CLAWBACK_STATES),
  proposedBy: ActorSchema,
  proposedAt: instant,
  decision: z
    .object({
      outcome: z.enum(['approved', 'rejected']),
      by: ActorSchema,
      at: instant,
      note: z.string().nullable(),
    })
    .nullable(),
  /** What is back in the fund so far (a refund: all at once; an offset: deduction by deduction). */
  receivedFen: fenSchema,
  refund: z
    .object({ reference: z.string(), receivedOn: z.iso.date(), recordedBy: ActorSchema, recordedAt: instant })
    .nullable(),
  deductions: z.array(OffsetDeductionSchema),
  /** The reward by decision it recovers (issue 20); null: the lead's referral reward. */
  discretionaryRewardId: z.string().nullable().default(null),
  /** The Idempotency-Key it was proposed with: a retry with it answers this clawback. */
  idempotencyKey: z.string().nullable().default(null),
});
export type ClawbackRecord = z.infer<typeof ClawbackRecordSchema>;

/** A lead's rewards paid, recovered and net: what the reports and the payment list show. */
export const RecoverySummarySchema = z.object({
  /** What was paid of the reward (all of it, or the stages paid so far). */
  grossFen: fenSchema,
  /** The clawbacks approved (reversed), whether the money is back yet or not. */
  recoveredFen: fenSchema,
  netFen: fenSchema,
  /** Of `recoveredFen`, what is back in the fund already. */
  receivedFen: fenSchema,
});
export type RecoverySummary = z.infer<typeof RecoverySummarySchema>;

/**
 * A lead's clawback totals (`sk RECOVERY` beside the lead), moved with every proposal and decision under a
 * condition on `version`: two proposals at once can never claim more than was paid.
 */
export const RecoveryTotalsSchema = z.object({
  leadId: z.string(),
  /** A reward by decision's totals (issue 20); absent: the lead's referral reward. */
  rewardId: z.string().optional(),
  /** Proposed or approved: what may no longer be claimed. */
  claimedFen: fenSchema,
  /** Approved: the reversals. */
  clawedBackFen: fenSchema,
  version: z.number().int().nonnegative(),
});
export type RecoveryTotals = z.infer<typeof RecoveryTotalsSchema>;

/** An approved offset not yet fully deducted, kept under the introducer's keyed pseudonym. */
export const OpenOffsetSchema = z.object({
  clawbackId: z.string(),
  /** The lead the reward was clawed back from. */
  leadId: z.string(),
  fundId: z.string(),
  remainingFen: fenSchema,
  approvedAt: instant,
});
export type OpenOffset = z.infer<typeof OpenOffsetSchema>;

export const ClawbacksViewSchema = z.object({
  leadId: z.string(),
  summary: RecoverySummarySchema,
  /** What may still be claimed: paid, less what is proposed or approved. */
  claimableFen: fenSchema,
  clawbacks: z.array(ClawbackRecordSchema),
});
export type ClawbacksView = z.infer<typeof ClawbacksViewSchema>;

const positiveMoney = moneySchema.refine((fen) => fen > 0, { message: MUST_BE_MORE_THAN_ZERO });

export const ClawbackBodySchema = z
  .object({
    amount: positiveMoney,
    reason: text(1000),
    method: z.enum(CLAWBACK_METHODS, { error: requiredOr(oneOf(CLAWBACK_METHODS)) }),
    /** A reward by decision of the lead (issue 20) instead of its referral reward. */
    discretionaryRewardId: z
      .string()
      .regex(/^dr_[0-9a-f]{24}$/, zodMessage({ zh: '必须是重奖编号 dr_…', en: 'must be a reward id dr_…' }))
      .optional(),
  })
  .strict();
export type ClawbackBody = z.infer<typeof ClawbackBodySchema>;

export const ClawbackDecisionBodySchema = z.object({ note: text(1000).optional() }).strict();
export const ClawbackRejectionBodySchema = z.object({ reason: text(1000) }).strict();
export const RefundReceivedBodySchema = z
  .object({ reference: text(200), receivedOn: z.iso.date({ error: requiredOr(DATE) }) })
  .strict();
