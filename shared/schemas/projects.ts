/**
 * Contracts of project tracking (issue 15): the request bodies and queries of the project routes, the
 * records the store keeps, and the path parameters. Amounts come in as money (yuan strings, numbers or
 * Chinese units) and are integer fen inside; dates are Asia/Shanghai calendar dates.
 */
import * as z from 'zod';
import { isValidUscc } from '#shared/domain/identifiers.ts';
import { fenSchema, moneySchema } from '#shared/domain/money.ts';
import { DATE_PATTERN, isRealDate, MONTH_PATTERN } from '#shared/domain/projects/shanghai-time.ts';
import { SECTOR_CODE_PATTERN } from '#shared/domain/sectors.ts';
import { ProjectCategorySchema, SECTOR_CODE, textSchema } from '#shared/schemas/lead.ts';
import { LEAD_ID_PATTERN } from '#shared/schemas/path-parameters.ts';
import { cursorParam, limitParam } from '#shared/use-cases/query-params.ts';
import {
  HALF_MESSAGE as HALF,
  PROJECT_ID_PATTERN,
  SUPERVISION_ID_PATTERN,
  YEAR_MESSAGE as YEAR,
} from './project-path-parameters.ts';
import { oneOf, requiredOr, zodMessage } from './zod-text.ts';

export const PROJECT_KINDS = ['new', 'continued', 'completed', 'reserve'] as const;
export const ProjectKindSchema = z.enum(PROJECT_KINDS, { error: requiredOr(oneOf(PROJECT_KINDS)) });
export type ProjectKind = (typeof PROJECT_KINDS)[number];
export const MUNICIPAL_MAJOR_TYPES = ['implementation', 'preparatory'] as const;
/** 市级重大项目: 实施类 or 预备类. */
export const MunicipalMajorSchema = z.enum(MUNICIPAL_MAJOR_TYPES, { error: oneOf(MUNICIPAL_MAJOR_TYPES) });
export type MunicipalMajor = (typeof MUNICIPAL_MAJOR_TYPES)[number];

export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];
export const LightSchema = z.enum(LIGHTS, { error: oneOf(LIGHTS) });

export const SUPERVISION_LEVELS = ['blue', 'yellow', 'red'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];
export const SUPERVISION_STATUSES = ['open', 'resolved'] as const;

const DATE = zodMessage({ zh: '必须是日期 YYYY-MM-DD', en: 'must be a date YYYY-MM-DD' });
const MONTH = zodMessage({ zh: '必须是月份 YYYY-MM', en: 'must be a month YYYY-MM' });

export const DateSchema = z
  .string({ error: requiredOr(DATE) })
  .regex(DATE_PATTERN, DATE)
  .refine(isRealDate, zodMessage({ zh: '不是真实的日期', en: 'is not a real date' }));
export const MonthSchema = z.string({ error: requiredOr(MONTH) }).regex(MONTH_PATTERN, MONTH);

const sectorCode = z
  .string({ error: requiredOr(SECTOR_CODE) })
  .trim()
  .regex(SECTOR_CODE_PATTERN, SECTOR_CODE);

const usccSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(
    (value) => value.length === 18 && isValidUscc(value),
    zodMessage({
      zh: '不是有效的统一社会信用代码（GB 32100-2015）',
      en: 'is not a valid unified social credit code (GB 32100-2015)',
    }),
  );

/** 帮包: the county-level leader, the department, the township (street) and the responsible commissioner. */
export const TeamSchema = z
  .object({
    leader: textSchema(50),
    department: textSchema(100),
    township: textSchema(100),
    commissioner: textSchema(50),
  })
  .strict();

const noteSchema = textSchema(500);

export const CreateProjectBodySchema = z
  .object({
    name: textSchema(200),
    sector: sectorCode,
    /** A signed lead that becomes this project; its investor, investment and category are taken over. */
    leadId: z
      .string()
      .regex(LEAD_ID_PATTERN, zodMessage({ zh: '必须是线索编号 ld_…', en: 'must be a lead id ld_…' }))
      .optional(),
    kind: ProjectKindSchema,
    municipalMajor: MunicipalMajorSchema.nullable().default(null),
    team: TeamSchema,
    /** Required for a 新开工 project: its light turns when it has not started in time. */
    plannedStartMonth: MonthSchema.optional(),
    /** The stage it is at when registered (default: the signing stage) and since when (default: today). */
    stage: z.string().trim().min(1).max(40).optional(),
    stageOn: DateSchema.optional(),
    investor: z
      .object({ name: textSchema(200), uscc: usccSchema })
      .strict()
      .optional(),
    totalInvestment: moneySchema.optional(),
    category: ProjectCategorySchema.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.kind === 'new' && body.plannedStartMonth === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['plannedStartMonth'],
        message: zodMessage({
          zh: '新开工项目须填写计划开工月份',
          en: 'is required for a new (新开工) project',
        }),
      });
    }
  });
export type CreateProjectBody = z.output<typeof CreateProjectBodySchema>;

export const StageBodySchema = z
  .object({
    stage: z.string().trim().min(1).max(40),
    on: DateSchema,
    note: noteSchema.optional(),
    /** Required when the stage is earlier than the current one. */
    reason: noteSchema.optional(),
  })
  .strict();
export type StageBody = z.output<typeof StageBodySchema>;

export const PlanBodySchema = z
  .object({
    annual: moneySchema,
    /** Twelve monthly amounts summing to `annual`; without them the split is even, the remainder in December. */
    months: z
      .array(moneySchema)
      .length(12, zodMessage({ zh: '须为 12 个月的金额', en: 'must hold 12 amounts' }))
      .optional(),
  })
  .strict();
export type PlanBody = z.output<typeof PlanBodySchema>;

export const ProgressBodySchema = z
  .object({ month: MonthSchema, completed: moneySchema, note: noteSchema.optional() })
  .strict();
export type ProgressBody = z.output<typeof ProgressBodySchema>;

export const ResolveBodySchema = z.object({ note: noteSchema }).strict();

export const CalendarBodySchema = z
  .object({
    holidays: z.array(DateSchema).max(120),
    workdays: z.array(DateSchema).max(60).default([]),
  })
  .strict();

export const RatingsBodySchema = z
  .object({
    ratings: z
      .array(
        z
          .object({
            sector: sectorCode,
            park: z.number().min(0).max(1000),
            field: z.number().min(0).max(1000),
            note: noteSchema.optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------------
// Records

const actorSchema = z.object({ userId: z.string(), role: z.string() });

export const ProjectRecordSchema = z.object({
  projectId: z.string().regex(PROJECT_ID_PATTERN),
  name: z.string(),
  sector: z.string(),
  leadId: z.string().nullable(),
  kind: z.enum(PROJECT_KINDS),
  municipalMajor: z.enum(MUNICIPAL_MAJOR_TYPES).nullable(),
  team: TeamSchema,
  plannedStartMonth: z.string().nullable(),
  investor: z.object({ name: z.string(), uscc: z.string() }).nullable(),
  totalInvestmentFen: fenSchema.nullable(),
  category: ProjectCategorySchema.nullable(),
  stage: z.string(),
  stageOn: z.string(),
  /** The first day it reached the signing stage or a later one. */
  signedOn: z.string().nullable(),
  /** The first day it reached the construction stage or a later one (开工). */
  startedOn: z.string().nullable(),
  /** 复工 of a 续建 project, by year: the day it was back at work. */
  resumptions: z.record(z.string(), z.string()),
  createdAt: z.string(),
  createdBy: actorSchema,
  updatedAt: z.string(),
  /** Moves by one with every change; a change is written only over the version it read. */
  version: z.number().int().positive(),
  /** Hash of the creating request, to tell a retry from another body under the same Idempotency-Key. */
  requestHash: z.string(),
});
export type ProjectRecord = z.infer<typeof ProjectRecordSchema>;

export const StageEventSchema = z.object({
  projectId: z.string(),
  seq: z.number().int().positive(),
  from: z.string().nullable(),
  to: z.string(),
  on: z.string(),
  /** `initial` at registration; `back` needed a reason; `resume` is a 续建 project's 复工. */
  direction: z.enum(['initial', 'forward', 'back', 'resume']),
  note: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
  by: actorSchema,
});
export type StageEvent = z.infer<typeof StageEventSchema>;

export const PlanRecordSchema = z.object({
  projectId: z.string(),
  sector: z.string(),
  year: z.number().int(),
  /** 1, 2, …: a new plan for the year is a new revision; none is overwritten. */
  revision: z.number().int().positive(),
  annualFen: fenSchema,
  monthsFen: z.array(fenSchema).length(12),
  split: z.enum(['even', 'given']),
  at: z.string(),
  by: actorSchema,
});
export type PlanRecord = z.infer<typeof PlanRecordSchema>;

export const ProgressEntrySchema = z.object({
  projectId: z.string(),
  sector: z.string(),
  month: z.string(),
  /** 1, 2, … within the month: entry 2 corrects entry 1, which stays. */
  seq: z.number().int().positive(),
  completedFen: fenSchema,
  note: z.string().nullable(),
  reportedAt: z.string(),
  dueOn: z.string(),
  /** Reported after the due day (Asia/Shanghai). */
  late: z.boolean(),
  correctionOf: z.number().int().positive().nullable(),
  by: actorSchema,
});
export type ProgressEntry = z.infer<typeof ProgressEntrySchema>;

const LocalTextSchema = z.object({ zh: z.string(), en: z.string() });

export const LightReasonSchema = z.object({
  code: z.enum(['behind_plan', 'not_started', 'report_missing']),
  light: z.enum(['yellow', 'red']),
  text: LocalTextSchema,
});
export type LightReason = z.infer<typeof LightReasonSchema>;

export const SupervisionStepSchema = z.object({
  level: z.enum(SUPERVISION_LEVELS),
  on: z.string(),
  deadline: z.string(),
});

export const SupervisionItemSchema = z.object({
  itemId: z.string().regex(SUPERVISION_ID_PATTERN),
  projectId: z.string(),
  projectName: z.string(),
  sector: z.string(),
  /** A yellow or red light (behind the plan, not started), or an overdue monthly report. */
  cause: z.enum(['light', 'report_overdue']),
  /** The ledger month the item is about. */
  month: z.string(),
  light: LightSchema,
  reasons: z.array(LightReasonSchema),
  /** The 帮包 commissioner who must act. */
  owner: z.string(),
  /** Named once the item is red: the 帮包 leader who holds the talk. */
  escalatedTo: z.string().nullable(),
  level: z.enum(SUPERVISION_LEVELS),
  deadline: z.string(),
  status: z.enum(SUPERVISION_STATUSES),
  openedOn: z.string(),
  steps: z.array(SupervisionStepSchema),
  resolvedAt: z.string().nullable(),
  resolvedBy: actorSchema.nullable(),
  resolution: z.string().nullable(),
  version: z.number().int().positive(),
});
export type SupervisionItem = z.infer<typeof SupervisionItemSchema>;

export const YearCalendarSchema = z.object({
  year: z.number().int(),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
  revision: z.number().int().nonnegative(),
  /** Null for a year nobody entered (the default weekdays only). */
  at: z.string().nullable(),
});

export const RatingsRecordSchema = z.object({
  year: z.number().int(),
  half: z.number().int(),
  revision: z.number().int().positive(),
  ratings: z.array(
    z.object({ sector: z.string(), park: z.number(), field: z.number(), note: z.string().nullable() }),
  ),
  at: z.string(),
  by: actorSchema,
});
export type RatingsRecord = z.infer<typeof RatingsRecordSchema>;

// ---------------------------------------------------------------------------------------------------------
// Queries

const lightParam = LightSchema.optional();

export const ListProjectsQuerySchema = z
  .object({
    sector: sectorCode.optional(),
    stage: z.string().max(40).optional(),
    kind: z.enum(PROJECT_KINDS, { error: oneOf(PROJECT_KINDS) }).optional(),
    light: lightParam,
    /** The ledger month the lights are for (default: the latest month whose report is due). */
    month: MonthSchema.optional(),
    leadId: z
      .string()
      .regex(LEAD_ID_PATTERN, zodMessage({ zh: '必须是线索编号 ld_…', en: 'must be a lead id ld_…' }))
      .optional(),
    cursor: cursorParam.optional(),
    limit: limitParam,
  })
  .strict();

export const ProjectQuerySchema = z.object({ month: MonthSchema.optional() }).strict();

export const SupervisionQuerySchema = z
  .object({
    level: z.enum(SUPERVISION_LEVELS, { error: oneOf(SUPERVISION_LEVELS) }).optional(),
    status: z.enum(SUPERVISION_STATUSES, { error: oneOf(SUPERVISION_STATUSES) }).optional(),
    sector: sectorCode.optional(),
  })
  .strict();

const yearParam = z
  .string({ error: requiredOr(YEAR) })
  .regex(/^20\d{2}$/, YEAR)
  .transform(Number);
const halfParam = z
  .string({ error: requiredOr(HALF) })
  .regex(/^[12]$/, HALF)
  .transform(Number);

export const MonthlyReportQuerySchema = z
  .object({ month: MonthSchema, sector: sectorCode.optional() })
  .strict();
export const HalfYearQuerySchema = z.object({ year: yearParam, half: halfParam }).strict();
export const RankingQuerySchema = z.object({ year: yearParam, half: halfParam }).strict();
