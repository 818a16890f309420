/**
 * Evidence of the actual investment (issue 17, part 2): a CPA's audit report (验资报告 or 专项审计报告) and an
 * on-site check (现场核查), each recorded by a person of the lead's sector team or of finance, as entries
 * that are never edited (a later entry of the same kind supersedes an earlier one, and both stay).
 *
 * The audit report's `amount` is the fixed-asset investment it certifies **within the contract's
 * construction period**: that is what counts. Land, rent, working capital and investment outside the
 * construction period are reported apart (`reportedApart`) and never counted.
 */
import * as z from 'zod';
import { fenSchema, moneySchema } from '#shared/domain/money.ts';
import { textSchema } from './lead.ts';
import { MUST_BE_BOOLEAN, oneOf, requiredOr, zodMessage } from './zod-text.ts';

const DATE = zodMessage({ zh: '必须是日期（YYYY-MM-DD）', en: 'must be a date (YYYY-MM-DD)' });
const dateSchema = z.iso.date({ error: requiredOr(DATE) });

export const AUDIT_REPORT_KINDS = ['capital_verification', 'special_audit'] as const;
/** 验资报告, 专项审计报告. */
export const AUDIT_REPORT_KIND_ZH = {
  capital_verification: '验资报告',
  special_audit: '专项审计报告',
} as const;

export const AuditReportBodySchema = z
  .object({
    kind: z.enum(AUDIT_REPORT_KINDS, { error: requiredOr(oneOf(AUDIT_REPORT_KINDS)) }),
    /** The report's number (文号). */
    number: textSchema(100),
    /** The accounting firm that signed it. */
    firm: textSchema(200),
    reportDate: dateSchema,
    /** The construction period of the investment contract: only investment within it counts. */
    constructionPeriod: z
      .object({ from: dateSchema, to: dateSchema })
      .strict()
      .refine(
        (period) => period.from <= period.to,
        zodMessage({ zh: '开始日期不能晚于结束日期', en: 'must not end before it starts' }),
      ),
    /** Fixed-asset investment certified within the construction period: what counts. */
    amount: moneySchema,
    /** Reported apart and never counted. */
    reportedApart: z
      .object({
        land: moneySchema.optional(),
        rent: moneySchema.optional(),
        workingCapital: moneySchema.optional(),
        outsideConstructionPeriod: moneySchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type AuditReportBody = z.output<typeof AuditReportBodySchema>;

export const SiteCheckBodySchema = z
  .object({
    /** Who checked on site (a name; the person recording it is in the audit entry). */
    checkedBy: textSchema(100),
    checkedOn: dateSchema,
    /** What was found (equipment installed, production lines running…). */
    finding: textSchema(1000),
    /** The check confirms the investment as reported; false records a check that did not. */
    confirmed: z.boolean({ error: MUST_BE_BOOLEAN }),
  })
  .strict();
export type SiteCheckBody = z.output<typeof SiteCheckBodySchema>;

const ActorSchema = z.object({ userId: z.string(), role: z.string() });
const instant = z.iso.datetime({ offset: true });

const AuditReportDetailsSchema = z.object({
  kind: z.enum(AUDIT_REPORT_KINDS),
  number: z.string(),
  firm: z.string(),
  reportDate: z.string(),
  constructionPeriod: z.object({ from: z.string(), to: z.string() }),
  amountFen: fenSchema,
  reportedApart: z.object({
    landFen: fenSchema,
    rentFen: fenSchema,
    workingCapitalFen: fenSchema,
    outsideConstructionPeriodFen: fenSchema,
  }),
});

/** One evidence entry as stored and shown. */
export const EvidenceRecordSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('audit_report'),
    evidenceId: z.string(),
    leadId: z.string(),
    recordedBy: ActorSchema,
    recordedAt: instant,
    auditReport: AuditReportDetailsSchema,
  }),
  z.object({
    kind: z.literal('site_check'),
    evidenceId: z.string(),
    leadId: z.string(),
    recordedBy: ActorSchema,
    recordedAt: instant,
    siteCheck: z.object({
      checkedBy: z.string(),
      checkedOn: z.string(),
      finding: z.string(),
      confirmed: z.boolean(),
    }),
  }),
]);
export type EvidenceRecord = z.infer<typeof EvidenceRecordSchema>;
export type AuditReportRecord = Extract<EvidenceRecord, { kind: 'audit_report' }>;
export type SiteCheckRecord = Extract<EvidenceRecord, { kind: 'site_check' }>;

export const EvidenceListSchema = z.object({ leadId: z.string(), items: z.array(EvidenceRecordSchema) });
export type EvidenceList = z.infer<typeof EvidenceListSchema>;
