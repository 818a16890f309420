/**
 * Sign-offs of an approval (issue 17, part 3): each approver's signature, and the collective decision an
 * amount above the last tier (or a 一事一议 outcome) needs, as entries beside the lead that are never edited.
 * The last required sign-off is the approval itself (the review record and its `reward.approved` entry).
 */
import * as z from 'zod';
import { textSchema } from './lead.ts';
import { requiredOr, zodMessage } from './zod-text.ts';

const DATE = zodMessage({ zh: '必须是日期（YYYY-MM-DD）', en: 'must be a date (YYYY-MM-DD)' });

/** 集体决策: the body that decided (领导小组, 县政府常务会议), when, and its minutes' number. */
export const CollectiveDecisionSchema = z
  .object({
    body: textSchema(200),
    meetingDate: z.iso.date({ error: requiredOr(DATE) }),
    minutesNumber: textSchema(100),
  })
  .strict();
export type CollectiveDecision = z.output<typeof CollectiveDecisionSchema>;

export const APPROVAL_REQUIREMENTS = ['finance', 'financeHead', 'collectiveDecision'] as const;
export type ApprovalRequirement = (typeof APPROVAL_REQUIREMENTS)[number];
export type SignOffSlot = Exclude<ApprovalRequirement, 'collectiveDecision'>;

export const SignOffRecordSchema = z.object({
  signOffId: z.string(),
  leadId: z.string(),
  /** The decision revision signed: a sign-off on an earlier revision does not count for a later one. */
  revision: z.number().int().positive(),
  /** Which signature this is; null: the entry only adds the collective decision. */
  slot: z.enum(['finance', 'financeHead']).nullable(),
  collectiveDecision: CollectiveDecisionSchema.optional(),
  signedBy: z.object({ userId: z.string(), role: z.string() }),
  signedAt: z.iso.datetime({ offset: true }),
});
export type SignOffRecord = z.infer<typeof SignOffRecordSchema>;
