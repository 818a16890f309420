/**
 * Staged payment (issue 17, part 5): a stage's record (`sk STAGE#<nnn>` beside the lead: written once when
 * the stage is approved, moved once to paid), the stages view, and the request bodies.
 */
import * as z from 'zod';
import { fenSchema } from '#shared/domain/money.ts';
import { StageConditionSchema } from '#shared/policy/payout-settings.ts';
import { PaymentDeductionSchema } from './clawback.ts';
import { atMostCharacters, MUST_BE_TEXT, NOT_EMPTY, requiredOr } from './zod-text.ts';

const instant = z.iso.datetime({ offset: true });
const ActorSchema = z.object({ userId: z.string(), role: z.string() });
const LocalTextSchema = z.object({ zh: z.string(), en: z.string() });
const text = (max: number) =>
  z
    .string({ error: requiredOr(MUST_BE_TEXT) })
    .trim()
    .min(1, NOT_EMPTY)
    .max(max, atMostCharacters(max));

export const StagePaymentSchema = z.object({
  reference: z.string(),
  paidBy: ActorSchema,
  paidAt: instant,
  /** The Idempotency-Key the payment was marked with: a retry with it answers this payment. */
  idempotencyKey: z.string().nullable(),
  /** Offsets of the introducer's earlier clawbacks deducted from this payment (issue 17, part 6). */
  deductions: z.array(PaymentDeductionSchema).optional(),
});

export const StageRecordSchema = z.object({
  leadId: z.string(),
  /** 1-based, in the policy's order. */
  stage: z.number().int().positive(),
  /** The approved review's revision. */
  revision: z.number().int().positive(),
  amountFen: fenSchema,
  shareBasisPoints: z.number().int(),
  state: z.enum(['APPROVED', 'PAID']),
  approvedBy: ActorSchema,
  approvedAt: instant,
  note: z.string().nullable(),
  /** The condition as judged at approval: what the record showed. */
  conditionFinding: LocalTextSchema,
  payment: StagePaymentSchema.nullable(),
});
export type StageRecord = z.infer<typeof StageRecordSchema>;

export const StageViewSchema = z.object({
  stage: z.number().int().positive(),
  shareBasisPoints: z.number().int(),
  amountFen: fenSchema,
  condition: StageConditionSchema.nullable(),
  conditionText: LocalTextSchema,
  conditionMet: z.boolean(),
  finding: LocalTextSchema,
  /** `waiting`: condition not met; `ready`: met, to approve; `approved`: to pay; `paid`. */
  status: z.enum(['waiting', 'ready', 'approved', 'paid']),
  approval: z
    .object({ approvedBy: ActorSchema, approvedAt: instant, note: z.string().nullable() })
    .nullable(),
  payment: StagePaymentSchema.omit({ idempotencyKey: true }).nullable(),
});

export const StagesViewSchema = z.object({
  leadId: z.string(),
  /** false: the policy sets no stages (or nothing to pay): the reward is paid at once (POST /leads/{id}/paid). */
  staged: z.boolean(),
  /** The reward the stages split: the approved one, or before approval what would be approved. */
  rewardFen: fenSchema,
  paidFen: fenSchema,
  approved: z.boolean(),
  stages: z.array(StageViewSchema),
});
export type StagesView = z.infer<typeof StagesViewSchema>;

export const StageApprovalBodySchema = z.object({ note: text(1000).optional() }).strict();
export const StagePaidBodySchema = z.object({ reference: text(200) }).strict();
