import * as z from 'zod';
import { DecisionSchema, FundResultSchema, InputHashFormSchema } from '#shared/schemas/decision.ts';
import type { Lead } from '#shared/schemas/lead.ts';

export const LEAD_STATUSES = [
  'RECEIVED',
  'EVALUATED',
  'PENDING_FINANCE',
  'PENDING_CASE_REVIEW',
  'APPROVED',
  'REJECTED',
  'PAID',
] as const;
export const LeadStatusSchema = z.enum(LEAD_STATUSES);
export type LeadStatus = z.infer<typeof LeadStatusSchema>;

/** Each status as the office calls it, for the Chinese texts of refusals. */
export const LEAD_STATUS_ZH: Readonly<Record<LeadStatus, string>> = {
  RECEIVED: '已受理',
  EVALUATED: '已评估',
  PENDING_FINANCE: '待财政审核',
  PENDING_CASE_REVIEW: '待一事一议审核',
  APPROVED: '已批准',
  REJECTED: '已驳回',
  PAID: '已支付',
};

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const instant = z.iso.datetime({ offset: true });

/** The stored lead is already parsed (amounts in fen): it is checked for shape, not parsed again. */
const ParsedLeadSchema = z.custom<Lead>(
  (value) => typeof value === 'object' && value !== null && 'sector' in value && 'plannedInvestment' in value,
);

export const LeadRecordSchema = z.object({
  leadId: z.string().min(1),
  sector: z.string().min(1),
  status: LeadStatusSchema,
  submittedAt: instant,
  submittedBy: z.object({ userId: z.string(), role: z.string() }),
  /**
   * Hash of the request body as sent (canonical JSON): the same Idempotency-Key with another body is
   * refused. HMAC-SHA-256 under the identifier key `requestHashKeyId`, as the body holds the resident ID as
   * sent; plain SHA-256 on leads stored before (no `requestHashKeyId`). Never shown.
   */
  requestHash: sha256,
  requestHashKeyId: z.string().min(1).optional(),
  lead: ParsedLeadSchema,
  /** The input hash of the lead as it stands (shared/policy/input-hash.ts), and its form (absent: form 1). */
  inputHash: sha256,
  inputHashForm: InputHashFormSchema.optional(),
  projectKey: sha256,
  /** Set when another lead registered the same investor and project first (撞单). */
  duplicateOf: z.string().nullable(),
  latestRevision: z.number().int().nonnegative(),
  /** Set when evaluation gave up and the message went to the dead-letter queue. */
  evaluationFailure: z.object({ at: instant, reason: z.string(), receiveCount: z.number().int() }).nullable(),
  /**
   * While a reported actual investment waits for its re-evaluation: that revision (review moves are
   * refused meanwhile) and who reported it (copied onto the decision, for maker-checker). Both go when
   * the revision's decision is recorded.
   */
  pendingRevision: z.number().int().positive().optional(),
  pendingReportedBy: z.object({ userId: z.string(), role: z.string() }).optional(),
  updatedAt: instant,
});
export type LeadRecord = z.infer<typeof LeadRecordSchema>;

export const LEAD_ADJUSTMENTS = ['DUPLICATE_PROJECT'] as const;

/** One evaluation of a lead: the engine's decision plus what the pipeline knew around it. */
export const DecisionRecordSchema = z.object({
  leadId: z.string(),
  revision: z.number().int().positive(),
  evaluatedAt: instant,
  /** The exact input the engine saw, so an auditor can replay it. */
  lead: ParsedLeadSchema,
  policyVersion: z.string(),
  decision: DecisionSchema,
  /** Facts outside the engine that change what is payable (a duplicate project earns no second reward). */
  adjustments: z.array(
    z.object({ code: z.enum(LEAD_ADJUSTMENTS), firstLeadId: z.string(), effect: z.string() }),
  ),
  /** The referral reward finance may pay on this revision, after adjustments; 0 when nothing is payable. */
  payableRewardFen: z.number().int().nonnegative(),
  status: LeadStatusSchema,
  /**
   * Who reported the actual investment this revision was evaluated on (maker-checker: they may neither
   * approve nor pay it). Absent on revision 1 and on revisions recorded before it was kept.
   */
  investmentReportedBy: z.object({ userId: z.string(), role: z.string() }).optional(),
});
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;

/**
 * What the fund allocation reads of a decision revision: its fund result and what decides whether it may
 * claim (adjustments), without the lead, the explanations and the other rules it does not use.
 */
export const DecisionFundAskSchema = DecisionRecordSchema.pick({
  leadId: true,
  revision: true,
  evaluatedAt: true,
  adjustments: true,
}).extend({ decision: z.object({ fund: FundResultSchema }) });
export type DecisionFundAsk = z.infer<typeof DecisionFundAskSchema>;
