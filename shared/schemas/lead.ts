/**
 * The lead: what a sector team submits (the body of `POST /leads` later). Amounts come in as yuan strings,
 * numbers or Chinese units and leave as integer fen. Every string is trimmed, bounded and free of control
 * characters; every object is strict (an unknown field is an error). Identifiers are validated with their
 * check characters, and no message ever repeats a resident ID.
 *
 * Decisions where the brief was silent:
 * - introducer `none` carries no other field (no name, no identifiers);
 * - `leading_enterprise` must carry `name` and a valid `uscc`, and no `residentId`;
 * - `natural_person` must carry `name` and a valid `residentId`, and no `uscc`;
 * - `intermediary` and `professional_team` carry `name` and may carry a `uscc` or a `residentId` (a firm or a
 *   person), validated when present;
 * - `municipalMajorProject` and `bespokeTermsRequested` default to false, so a lead that omits them and one
 *   that says false are the same lead (same input hash);
 * - `plannedInvestment` must be more than 0; `actualInvestment` may be 0; `fundRequest`, when present, must
 *   be more than 0 (omit it to request nothing);
 * - `responsibleOfficer` is an object `{ name, phone? }`.
 */
import * as z from 'zod';
import { isValidResidentId, isValidUscc } from '#shared/domain/identifiers.ts';
import { moneySchema } from '#shared/domain/money.ts';
import { DEFAULT_SECTORS, isSectorCode, SECTOR_CODE_PATTERN, type Sector } from '#shared/domain/sectors.ts';
import type { FieldProblem } from '#shared/errors.ts';
import type { ReferrerRegistration } from './referrer-registration.ts';
import {
  atMostCharacters,
  inBothLanguages,
  MUST_BE_BOOLEAN,
  MUST_BE_MORE_THAN_ZERO,
  MUST_BE_TEXT,
  NO_CONTROL_CHARACTERS,
  NOT_EMPTY,
  oneOf,
  problemsFromZod,
  requiredOr,
  zodMessage,
} from './zod-text.ts';

export const INTRODUCER_TYPES = [
  'leading_enterprise',
  'natural_person',
  'intermediary',
  'professional_team',
  'none',
] as const;
export type IntroducerType = (typeof INTRODUCER_TYPES)[number];
export const IntroducerTypeSchema = z.enum(INTRODUCER_TYPES);

export const PROJECT_CATEGORIES = ['new_productive_force', 'old_capacity_upgrade', 'other'] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];
export const ProjectCategorySchema = z.enum(PROJECT_CATEGORIES, {
  error: requiredOr(oneOf(PROJECT_CATEGORIES)),
});

// C0, DEL and C1 controls, plus line/paragraph separators and bidi overrides that can disguise text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A trimmed, single-line text of 1..max characters without control characters. */
export function textSchema(max: number) {
  return z
    .string({ error: requiredOr(MUST_BE_TEXT) })
    .trim()
    .min(1, NOT_EMPTY)
    .max(max, atMostCharacters(max))
    .refine((value) => !CONTROL.test(value), NO_CONTROL_CHARACTERS);
}

const EIGHTEEN_CHARACTERS = zodMessage({ zh: '必须为 18 位', en: 'must be 18 characters' });

export const usccSchema = z
  .string({ error: requiredOr(MUST_BE_TEXT) })
  .trim()
  .toUpperCase()
  .refine((value) => value.length === 18, EIGHTEEN_CHARACTERS)
  .refine(
    (value) => value.length !== 18 || isValidUscc(value),
    zodMessage({
      zh: '统一社会信用代码校验位或字符错误（GB 32100-2015）',
      en: 'is not a valid unified social credit code (check character or alphabet, GB 32100-2015)',
    }),
  );

// The message never contains the value: it is personal data.
export const residentIdSchema = z
  .string({ error: requiredOr(MUST_BE_TEXT) })
  .trim()
  .toUpperCase()
  .refine((value) => value.length === 18, EIGHTEEN_CHARACTERS)
  .refine(
    (value) => value.length !== 18 || isValidResidentId(value),
    zodMessage({
      zh: '公民身份号码的出生日期或校验码错误（GB 11643）',
      en: 'is not a valid resident ID (birth date or check digit, GB 11643)',
    }),
  );

const positiveMoney = moneySchema.refine((fen) => fen > 0, MUST_BE_MORE_THAN_ZERO);

const IntroducerSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('leading_enterprise'), name: textSchema(200), uscc: usccSchema }).strict(),
    z
      .object({ type: z.literal('natural_person'), name: textSchema(100), residentId: residentIdSchema })
      .strict(),
    z
      .object({
        type: z.literal('intermediary'),
        name: textSchema(200),
        uscc: usccSchema.optional(),
        residentId: residentIdSchema.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('professional_team'),
        name: textSchema(200),
        uscc: usccSchema.optional(),
        residentId: residentIdSchema.optional(),
      })
      .strict(),
    z.object({ type: z.literal('none') }).strict(),
  ],
  { error: oneOf(INTRODUCER_TYPES) },
);

/** Also the message of a sector filter in a query (shared/use-cases/list-leads.ts). */
export const SECTOR_CODE = zodMessage({
  zh: '必须是专班代码（小写字母加下划线）',
  en: 'must be a sector code (lower-case snake case)',
});

export const LeadSchema = z
  .object({
    sector: z
      .string({ error: requiredOr(MUST_BE_TEXT) })
      .trim()
      .regex(SECTOR_CODE_PATTERN, SECTOR_CODE),
    projectName: textSchema(200),
    investor: z.object({ name: textSchema(200), uscc: usccSchema }).strict(),
    introducer: IntroducerSchema,
    plannedInvestment: positiveMoney,
    actualInvestment: moneySchema.optional(),
    category: ProjectCategorySchema,
    fundRequest: positiveMoney.optional(),
    municipalMajorProject: z.boolean({ error: MUST_BE_BOOLEAN }).default(false),
    bespokeTermsRequested: z.boolean({ error: MUST_BE_BOOLEAN }).default(false),
    responsibleOfficer: z
      .object({
        name: textSchema(100),
        phone: z
          .string()
          .trim()
          .regex(
            /^\+?[0-9][0-9 -]{4,19}$/,
            zodMessage({
              zh: '必须是电话号码（数字、空格、短横线，可带 +）',
              en: 'must be a phone number (digits, spaces, dashes, optional +)',
            }),
          )
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * A parsed lead: amounts in integer fen, texts trimmed, identifiers upper-case. The referrer's
 * registration is not submitted with the lead: it is recorded later (`POST /leads/{id}/referrer-registration`)
 * and becomes part of the lead the engine evaluates from then on.
 */
export type Lead = z.output<typeof LeadSchema> & {
  readonly referrerRegistration?: ReferrerRegistration;
};
/** What a client sends. */
export type LeadInput = z.input<typeof LeadSchema>;
export type Introducer = Lead['introducer'];

export type ParseLeadResult =
  | { readonly ok: true; readonly lead: Lead }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

export interface ParseLeadOptions {
  /** The configured sector list the sector code must belong to (default: the 10 default teams). */
  readonly sectors?: readonly Sector[];
}

/**
 * Parses and validates a lead, listing every bad field (never stopping at the first), including a sector
 * code that is not in the configured list.
 */
export function parseLead(input: unknown, options: ParseLeadOptions = {}): ParseLeadResult {
  const sectors = options.sectors ?? DEFAULT_SECTORS;
  const result = LeadSchema.safeParse(input, inBothLanguages);
  const problems = result.success ? [] : problemsFromZod(result.error);
  // The sector list is configuration: check membership even when other fields failed, so all are reported.
  if (typeof input === 'object' && input !== null && 'sector' in input) {
    const raw = (input as { sector: unknown }).sector;
    if (typeof raw === 'string') {
      const code = raw.trim();
      if (SECTOR_CODE_PATTERN.test(code) && !isSectorCode(code, sectors)) {
        problems.push({
          field: 'sector',
          message: { zh: '不是已配置的招商专班', en: 'is not a configured sector team' },
        });
      }
    }
  }
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  return { ok: true, lead: result.data };
}
