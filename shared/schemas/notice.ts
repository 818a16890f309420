/**
 * The public notice (公示) an approval opens (issue 17, part 4), the objections the admin records against
 * it and their resolutions. The notice item carries, from the moment of approval, everything the public
 * list shows (names already masked), so the public route reads nothing else of the lead.
 */
import * as z from 'zod';
import { textSchema } from './lead.ts';
import { LegalBasisSchema } from './legal-basis.ts';
import { requiredOr, zodMessage } from './zod-text.ts';

const DATE = zodMessage({ zh: '必须是日期（YYYY-MM-DD）', en: 'must be a date (YYYY-MM-DD)' });
const instant = z.iso.datetime({ offset: true });
const ActorSchema = z.object({ userId: z.string(), role: z.string() });

/** What the public sees of an approval: no identifier, the introducer's name masked when it is a person's. */
export const NoticeContentSchema = z.object({
  projectName: z.string(),
  investorName: z.string(),
  /** 张* for a person (or anyone without a credit code); an enterprise's name in full; null: no introducer. */
  introducerName: z.string().nullable(),
  rewardFen: z.number().int().nonnegative(),
  fundFen: z.number().int().nonnegative(),
  /** The bases of the amounts approved (the referral rule, the fund rule, the 一事一议 rule). */
  legalBasis: z.array(LegalBasisSchema.pick({ document: true, clauses: true })),
});
export type NoticeContent = z.infer<typeof NoticeContentSchema>;

export const NoticeRecordSchema = z.object({
  noticeId: z.string(),
  leadId: z.string(),
  /** The decision revision approved. */
  revision: z.number().int().positive(),
  openedAt: instant,
  /** The approval day in Asia/Shanghai; the notice's working days are counted after it. */
  openedOn: z.iso.date(),
  workingDays: z.number().int().positive(),
  /** The last day an objection is received (the `workingDays`-th working day after `openedOn`). */
  objectionDeadline: z.iso.date(),
  /** The end of the deadline day (00:00 Asia/Shanghai of the next day): payable from then, if clean. */
  endsAt: instant,
  content: NoticeContentSchema,
  /** Kept by the store in the same transactions as the objections and resolutions: the pay gate's check. */
  openObjections: z.number().int().nonnegative(),
  upheldObjections: z.number().int().nonnegative(),
});
export type NoticeRecord = z.infer<typeof NoticeRecordSchema>;

export const ObjectionBodySchema = z
  .object({
    /** The day the objection reached the office. */
    receivedOn: z.iso.date({ error: requiredOr(DATE) }),
    /** Who objected: a person's or an organisation's name (shown masked in public, never in full). */
    from: z.object({ name: textSchema(200), contact: textSchema(200).optional() }).strict(),
    summary: textSchema(2000),
  })
  .strict();
export type ObjectionBody = z.output<typeof ObjectionBodySchema>;

export const OBJECTION_OUTCOMES = ['upheld', 'dismissed'] as const;

export const ResolutionBodySchema = z
  .object({
    /** upheld: the objection stands, the reward is not paid; dismissed: the hold is lifted. */
    outcome: z.enum(OBJECTION_OUTCOMES, {
      error: zodMessage({ zh: '必须是 upheld 或 dismissed', en: 'must be upheld or dismissed' }),
    }),
    reason: textSchema(2000),
  })
  .strict();
export type ResolutionBody = z.output<typeof ResolutionBodySchema>;

export const ObjectionRecordSchema = z.object({
  objectionId: z.string(),
  noticeId: z.string(),
  leadId: z.string(),
  receivedOn: z.iso.date(),
  from: z.object({ name: z.string(), contact: z.string().optional() }),
  summary: z.string(),
  recordedBy: ActorSchema,
  recordedAt: instant,
});
export type ObjectionRecord = z.infer<typeof ObjectionRecordSchema>;

export const ResolutionRecordSchema = z.object({
  objectionId: z.string(),
  noticeId: z.string(),
  leadId: z.string(),
  outcome: z.enum(OBJECTION_OUTCOMES),
  reason: z.string(),
  resolvedBy: ActorSchema,
  resolvedAt: instant,
});
export type ResolutionRecord = z.infer<typeof ResolutionRecordSchema>;

export const NOTICE_STATUSES = ['open', 'held', 'upheld', 'ended'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** A notice with its objections, for finance, auditors and the admin (names in full). */
export const NoticeViewSchema = NoticeRecordSchema.omit({
  openObjections: true,
  upheldObjections: true,
}).extend({
  /** open: running; held: an objection unresolved; upheld: an objection upheld, never payable; ended: payable. */
  status: z.enum(NOTICE_STATUSES),
  objections: z.array(ObjectionRecordSchema.extend({ resolution: ResolutionRecordSchema.nullable() })),
});
export type NoticeView = z.infer<typeof NoticeViewSchema>;

/** One entry of the public list: only what the issue lists, nothing that could identify a person. */
export const PublicNoticeSchema = z.object({
  noticeId: z.string(),
  projectName: z.string(),
  investorName: z.string(),
  introducerName: z.string().nullable(),
  rewardFen: z.number().int().nonnegative(),
  fundFen: z.number().int().nonnegative(),
  legalBasis: z.array(z.object({ document: z.string(), clauses: z.array(z.string()) })),
  openedOn: z.iso.date(),
  objectionDeadline: z.iso.date(),
  /** open until the deadline day ends, ended after (objections are not published). */
  status: z.enum(['open', 'ended']),
});
export type PublicNotice = z.infer<typeof PublicNoticeSchema>;

export const PublicNoticePageSchema = z.object({
  items: z.array(PublicNoticeSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const PublicNoticesQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(2000).optional(),
  })
  .strict();
