/**
 * The settings of project tracking (issue 15): every number the ledger, the traffic lights, the 督办 and
 * the half-year ranking use, in one versioned document the admin publishes (`PUT /project-settings`),
 * like the incentive policy. The defaults are the zone's source (the 25th, percentages cut after two
 * decimals as its review prints them) and, where the source is silent, the published rules of other
 * zones (../shared/docs/domain.md: 10 / 30 points, 1 / 3 months, blue → yellow → red, the 30/20/20/15/15
 * weights). Deadlines of the 督办 are not in any source: 5 and 3 working days are an assumption.
 */
import * as z from 'zod';
import { fenSchema } from '#shared/domain/money.ts';
import { PROJECT_CATEGORIES } from '#shared/schemas/lead.ts';
import { zodMessage } from '#shared/schemas/zod-text.ts';

export const ROUNDINGS = ['cut', 'half_up'] as const;
const RoundingSchema = z.enum(ROUNDINGS);

const StageSchema = z
  .object({
    code: z
      .string()
      .regex(
        /^[a-z][a-z_]{1,39}$/,
        zodMessage({ zh: '阶段代码须为小写字母和下划线', en: 'must be lower-case snake case' }),
      ),
    zh: z.string().trim().min(1).max(20),
    en: z.string().trim().min(1).max(60),
  })
  .strict();
export type Stage = z.infer<typeof StageSchema>;

const FormatSchema = z
  .object({ decimals: z.number().int().min(0).max(4), rounding: RoundingSchema })
  .strict();

const wholeDays = z.number().int().min(1).max(60);

export const ProjectSettingsSchema = z
  .object({
    version: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,63}$/,
        zodMessage({ zh: '版本号须为小写字母、数字和连字符', en: 'must be kebab-case' }),
      ),
    /** The stages in order (推介 → … → 竣工投产); a move to an earlier one needs a reason. */
    stages: z.array(StageSchema).min(2).max(20),
    /** Reaching this stage (or a later one) is the project's signing: it counts once, at the first. */
    signedStage: z.string(),
    /** Reaching this stage (or a later one) is 开工 for a 新开工 project and 复工 for a 续建 one. */
    startedStage: z.string(),
    /** A month's progress is due by this day of the month (the month's last day in a shorter month). */
    progressDueDay: z.number().int().min(1).max(31),
    /** 完成序时计划%, 完成年度计划%, 开工率, 复工率. */
    percent: FormatSchema,
    /** Amounts the half-year review prints in 亿元. */
    yiAmounts: FormatSchema,
    /**
     * 开工率's denominator: the 新开工 projects of the year's ledger planned to start in that year
     * (`planned_in_year`) or by the month reported (`planned_to_date`).
     */
    startRateBase: z.enum(['planned_in_year', 'planned_to_date']),
    lights: z
      .object({
        /** Green at most this many points behind the plan to date (inclusive). */
        greenMaxPointsBehind: z.number().int().min(0).max(100),
        /** Yellow up to this many points behind (inclusive); red beyond. */
        yellowMaxPointsBehind: z.number().int().min(0).max(100),
        /** Not started this many months after the planned start month: yellow; then red. */
        notStartedYellowMonths: z.number().int().min(1).max(24),
        notStartedRedMonths: z.number().int().min(1).max(24),
        /** The light of a project whose monthly report is overdue. */
        missingReport: z.enum(['yellow', 'red']),
      })
      .strict(),
    supervision: z
      .object({
        /** Working days to fix an item at each level before it escalates (red: before the talk). */
        deadlineWorkingDays: z.object({ blue: wholeDays, yellow: wholeDays, red: wholeDays }).strict(),
        /** The daily run opens and escalates nothing on a day off. */
        onlyOnWorkingDays: z.boolean(),
      })
      .strict(),
    calendar: z
      .object({
        /** ISO weekdays worked when the year's calendar says nothing else (1 = Monday). */
        weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
      })
      .strict(),
    ranking: z
      .object({
        weights: z
          .object({
            outsideProvinceProjects: z.number().int().min(0).max(100),
            investmentInPlace: z.number().int().min(0).max(100),
            targetCategoryShare: z.number().int().min(0).max(100),
            parkRating: z.number().int().min(0).max(100),
            fieldRating: z.number().int().min(0).max(100),
          })
          .strict(),
        /** A project counts as a new 亿元 project from outside the province from this investment. */
        outsideProvinceThresholdFen: fenSchema,
        /** 以上 includes the bound (Civil Code art. 1259). */
        thresholdInclusive: z.boolean(),
        /** The zone's province: the first two digits of a USCC's administrative division code (37 山东). */
        homeProvinceCode: z.string().regex(/^\d{2}$/),
        targetCategories: z.array(z.enum(PROJECT_CATEGORIES)).min(1),
        /** Ratings are entered out of this many points. */
        ratingScale: z.number().int().min(1).max(1000),
      })
      .strict(),
  })
  .strict()
  .superRefine((settings, ctx) => {
    const codes = settings.stages.map((stage) => stage.code);
    const issue = (path: (string | number)[], zh: string, en: string) =>
      ctx.addIssue({ code: 'custom', path, message: zodMessage({ zh, en }) });
    codes.forEach((code, index) => {
      if (codes.indexOf(code) !== index)
        issue(['stages', index, 'code'], '阶段代码重复', 'duplicate stage code');
    });
    for (const key of ['signedStage', 'startedStage'] as const) {
      if (!codes.includes(settings[key]))
        issue([key], '须为 stages 中的阶段代码', 'must be a stage code of `stages`');
    }
    if (codes.indexOf(settings.startedStage) < codes.indexOf(settings.signedStage)) {
      issue(['startedStage'], '开工阶段不能早于签约阶段', 'must not come before signedStage');
    }
    const { lights } = settings;
    if (lights.yellowMaxPointsBehind < lights.greenMaxPointsBehind) {
      issue(
        ['lights', 'yellowMaxPointsBehind'],
        '不能小于绿灯界限',
        'must not be below greenMaxPointsBehind',
      );
    }
    if (lights.notStartedRedMonths < lights.notStartedYellowMonths) {
      issue(
        ['lights', 'notStartedRedMonths'],
        '不能小于黄灯月数',
        'must not be below notStartedYellowMonths',
      );
    }
    if (new Set(settings.calendar.weekdays).size !== settings.calendar.weekdays.length) {
      issue(['calendar', 'weekdays'], '星期重复', 'duplicate weekday');
    }
  });
export type ProjectSettings = z.infer<typeof ProjectSettingsSchema>;

export const DEFAULT_PROJECT_SETTINGS: ProjectSettings = ProjectSettingsSchema.parse({
  version: 'kfq-projects-2019',
  stages: [
    { code: 'promotion', zh: '推介', en: 'Promotion' },
    { code: 'negotiation', zh: '在谈', en: 'Negotiation' },
    { code: 'signed', zh: '签约', en: 'Signed' },
    { code: 'pre_construction', zh: '拟开工', en: 'Preparing to build' },
    { code: 'under_construction', zh: '在建', en: 'Under construction' },
    { code: 'in_production', zh: '竣工投产', en: 'Completed, in production' },
  ],
  signedStage: 'signed',
  startedStage: 'under_construction',
  progressDueDay: 25,
  percent: { decimals: 2, rounding: 'cut' },
  yiAmounts: { decimals: 2, rounding: 'half_up' },
  startRateBase: 'planned_in_year',
  lights: {
    greenMaxPointsBehind: 10,
    yellowMaxPointsBehind: 30,
    notStartedYellowMonths: 1,
    notStartedRedMonths: 3,
    missingReport: 'yellow',
  },
  supervision: { deadlineWorkingDays: { blue: 5, yellow: 3, red: 3 }, onlyOnWorkingDays: true },
  calendar: { weekdays: [1, 2, 3, 4, 5] },
  ranking: {
    weights: {
      outsideProvinceProjects: 30,
      investmentInPlace: 20,
      targetCategoryShare: 20,
      parkRating: 15,
      fieldRating: 15,
    },
    outsideProvinceThresholdFen: 10_000_000_000,
    thresholdInclusive: true,
    homeProvinceCode: '37',
    targetCategories: ['new_productive_force', 'old_capacity_upgrade'],
    ratingScale: 100,
  },
});

export function stageIndexOf(settings: ProjectSettings, code: string): number {
  return settings.stages.findIndex((stage) => stage.code === code);
}
