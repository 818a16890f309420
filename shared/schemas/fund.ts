/**
 * Contracts of the conversion fund and of finance review: what the Funds table holds (balance,
 * allocation per lead, waitlist entries), the review record of a lead, and the request bodies of the
 * finance, sector and admin routes. Amounts are integer fen inside; request bodies take money through
 * `moneySchema` (yuan decimals or Chinese units) except where the route names a `…Fen` field.
 */
import * as z from 'zod';
import { fenSchema, moneySchema } from '#shared/domain/money.ts';
import { PaymentDeductionSchema } from './clawback.ts';
import { APPROVAL_REQUIREMENTS, CollectiveDecisionSchema, SignOffRecordSchema } from './sign-off.ts';
import { atMostCharacters, MUST_BE_TEXT, NOT_EMPTY, requiredOr, zodMessage } from './zod-text.ts';

const instant = z.iso.datetime({ offset: true });
const text = (max: number) =>
  z
    .string({ error: requiredOr(MUST_BE_TEXT) })
    .trim()
    .min(1, NOT_EMPTY)
    .max(max, atMostCharacters(max));

export const FundIdSchema = z.string({ error: requiredOr(MUST_BE_TEXT) }).regex(
  /^[a-z0-9][a-z0-9-]{1,63}$/,
  zodMessage({
    zh: '必须是基金编号，如 "conversion-2019"（小写字母、数字、短横线）',
    en: 'must be a fund id like "conversion-2019"',
  }),
);

export const FundBalanceSchema = z.object({
  fundId: FundIdSchema,
  totalFen: fenSchema,
  availableFen: fenSchema,
  reservedFen: fenSchema,
  committedFen: fenSchema,
  openedAt: instant,
  updatedAt: instant,
  /** Incremented by every move: a reader can tell two snapshots apart. */
  version: z.number().int().nonnegative(),
  /**
   * How many leads wait in the waitlist, kept in the same transactions that add and remove entries: nobody
   * takes available money while it is above 0, and "money available while leads wait" is one read.
   */
  waitingCount: z.number().int().nonnegative().default(0),
});
export type FundBalanceRecord = z.infer<typeof FundBalanceSchema>;

/**
 * One lead's claim on a fund (its transitions are `shared/domain/allocation.ts`):
 * - `reserved`: `reservedFen` is held for it (possibly less than its cap, or 0: a partial grant is final for
 *   that revision; a later revision with a higher cap asks again);
 * - `waitlisted`: it waits in the waitlist for `wantFen` more (holding `reservedFen`, often 0), in the
 *   order of `waitingSince`;
 * - `committed`: finance approved; `committedFen` is spent (paid or to be paid);
 * - `released`: rejected, or moved to another fund; nothing is held, and later messages change nothing.
 */
export const ALLOCATION_STATES = ['reserved', 'waitlisted', 'committed', 'released'] as const;
export const AllocationStateSchema = z.enum(ALLOCATION_STATES);
export type AllocationState = z.infer<typeof AllocationStateSchema>;

export const AllocationSchema = z.object({
  fundId: FundIdSchema,
  leadId: z.string().min(1),
  state: AllocationStateSchema,
  /** The decision revision this allocation reflects; a message for a revision at or below it is a duplicate. */
  revision: z.number().int().nonnegative(),
  capFen: fenSchema,
  reservedFen: fenSchema,
  committedFen: fenSchema,
  /** What the lead still waits for (waitlisted only; 0 otherwise). */
  wantFen: fenSchema,
  /** While waitlisted: when the decision that asked was made, its place in the waitlist. */
  waitingSince: instant.nullable(),
  /** Set by a one-case-one-policy outcome: later revisions no longer change the amount. */
  negotiated: z.boolean(),
  updatedAt: instant,
});
export type Allocation = z.infer<typeof AllocationSchema>;

export const WaitlistEntrySchema = z.object({
  leadId: z.string().min(1),
  revision: z.number().int().positive(),
  wantFen: fenSchema,
  /** When the decision that asked for the money was made: the waitlist is served in this order. */
  evaluatedAt: instant,
});
export type WaitlistEntry = z.infer<typeof WaitlistEntrySchema>;

export const FundViewSchema = z.object({
  fundId: FundIdSchema,
  totalFen: fenSchema,
  availableFen: fenSchema,
  reservedFen: fenSchema,
  committedFen: fenSchema,
  totalText: z.string(),
  availableText: z.string(),
  reservedText: z.string(),
  committedText: z.string(),
  availablePercent: z.number(),
  version: z.number().int(),
  waitlist: z.array(
    WaitlistEntrySchema.extend({ position: z.number().int().positive(), wantText: z.string() }),
  ),
});
export type FundView = z.infer<typeof FundViewSchema>;

const ActorSchema = z.object({ userId: z.string(), role: z.string() });

export const CaseOutcomeRecordSchema = z.object({
  rewardFen: fenSchema,
  fundFen: fenSchema,
  reason: z.string(),
  recordedBy: ActorSchema,
  recordedAt: instant,
  /** The decision revision the terms were negotiated on. */
  revision: z.number().int().positive(),
});
export type CaseOutcomeRecord = z.infer<typeof CaseOutcomeRecordSchema>;

/** Finance's verdict on a lead (one item per lead in the Leads table, `sk REVIEW`). */
export const ReviewRecordSchema = z.object({
  leadId: z.string(),
  state: z.enum(['APPROVED', 'REJECTED', 'PAID']),
  revision: z.number().int().positive(),
  rewardFen: fenSchema,
  fundFen: fenSchema,
  decidedBy: ActorSchema,
  decidedAt: instant,
  note: z.string().nullable(),
  payment: z
    .object({
      reference: z.string(),
      paidBy: ActorSchema,
      paidAt: instant,
      /** Offsets of the introducer's earlier clawbacks deducted from this payment (issue 17, part 6). */
      deductions: z.array(PaymentDeductionSchema).optional(),
    })
    .nullable(),
  /**
   * Staged payment (issue 17, part 5): what the paid stages add up to so far; absent when the reward is
   * paid at once. `payment` is the last stage's once every stage is paid.
   */
  paidFen: fenSchema.optional(),
});
export type ReviewRecord = z.infer<typeof ReviewRecordSchema>;

// Request bodies.

export const ActualInvestmentBodySchema = z
  .object({ amount: moneySchema, evidence: text(500).optional() })
  .strict();
export type ActualInvestmentBody = z.infer<typeof ActualInvestmentBodySchema>;

export const ApproveBodySchema = z
  .object({
    note: text(1000).optional(),
    /** The collective decision an approval above the last tier (or of a 一事一议 outcome) needs (issue 17). */
    collectiveDecision: CollectiveDecisionSchema.optional(),
  })
  .strict();

/** The approval complete: the review, every sign-off it rests on (the last is the approval's own). */
export const ApprovedAnswerSchema = ReviewRecordSchema.extend({
  signOffs: z.array(SignOffRecordSchema),
  missing: z.array(z.enum(APPROVAL_REQUIREMENTS)).max(0),
});
/** A sign-off recorded, the approval not yet complete: what is still missing. */
export const PendingSignOffSchema = z.object({
  leadId: z.string(),
  revision: z.number().int().positive(),
  state: z.literal('PENDING_SIGN_OFF'),
  signOffs: z.array(SignOffRecordSchema),
  missing: z.array(z.enum(APPROVAL_REQUIREMENTS)).min(1),
});
export const RejectBodySchema = z.object({ reason: text(1000) }).strict();
export const CaseOutcomeBodySchema = z
  .object({ rewardFen: fenSchema, fundFen: fenSchema, reason: text(1000) })
  .strict();
export const PaidBodySchema = z.object({ reference: text(200) }).strict();

export const OpenFundBodySchema = z
  .object({ fundId: FundIdSchema, totalFen: fenSchema.optional(), total: moneySchema.optional() })
  .strict()
  .refine((body) => (body.totalFen === undefined) !== (body.total === undefined), {
    message: zodMessage({
      zh: 'totalFen（整数，单位分）与 total（金额）须且只能填写其一',
      en: 'give exactly one of totalFen (integer fen) or total (an amount)',
    }),
    path: ['total'],
  })
  .transform((body) => ({ fundId: body.fundId, totalFen: body.totalFen ?? body.total ?? 0 }));

export const TopUpBodySchema = z.object({ amount: moneySchema }).strict();
