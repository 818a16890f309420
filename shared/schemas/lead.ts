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
  error: (issue) =>
    issue.input === undefined ? 'is required' : `must be one of ${PROJECT_CATEGORIES.join(', ')}`,
});

// C0, DEL and C1 controls, plus line/paragraph separators and bidi overrides that can disguise text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A trimmed, single-line text of 1..max characters without control characters. */
export function textSchema(max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL.test(value), 'must not contain control characters');
}

const usccSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .toUpperCase()
  .refine((value) => value.length === 18, 'must be 18 characters')
  .refine(
    (value) => value.length !== 18 || isValidUscc(value),
    'is not a valid unified social credit code (check character or alphabet, GB 32100-2015)',
  );

// The message never contains the value: it is personal data.
const residentIdSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .toUpperCase()
  .refine((value) => value.length === 18, 'must be 18 characters')
  .refine(
    (value) => value.length !== 18 || isValidResidentId(value),
    'is not a valid resident ID (birth date or check digit, GB 11643)',
  );

const positiveMoney = moneySchema.refine((fen) => fen > 0, 'must be more than 0');

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
  { error: `must be one of ${INTRODUCER_TYPES.join(', ')}` },
);

export const LeadSchema = z
  .object({
    sector: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .regex(SECTOR_CODE_PATTERN, 'must be a sector code (lower-case snake case)'),
    projectName: textSchema(200),
    investor: z.object({ name: textSchema(200), uscc: usccSchema }).strict(),
    introducer: IntroducerSchema,
    plannedInvestment: positiveMoney,
    actualInvestment: moneySchema.optional(),
    category: ProjectCategorySchema,
    fundRequest: positiveMoney.optional(),
    municipalMajorProject: z.boolean({ error: 'must be true or false' }).default(false),
    bespokeTermsRequested: z.boolean({ error: 'must be true or false' }).default(false),
    responsibleOfficer: z
      .object({
        name: textSchema(100),
        phone: z
          .string()
          .trim()
          .regex(/^\+?[0-9][0-9 -]{4,19}$/, 'must be a phone number (digits, spaces, dashes, optional +)')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A parsed lead: amounts in integer fen, texts trimmed, identifiers upper-case. */
export type Lead = z.output<typeof LeadSchema>;
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

/** Turns zod issues into field problems, one per field and message, unknown keys named individually. */
export function problemsFromZod(error: z.ZodError, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const join = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map((segment) => String(segment))].filter((part) => part !== '').join('.');
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push({ field: join([...issue.path, key]), message: 'is not a known field' });
      continue;
    }
    const field = join(issue.path);
    problems.push({ field: field === '' ? '(root)' : field, message: issue.message });
  }
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.field}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Parses and validates a lead, listing every bad field (never stopping at the first), including a sector
 * code that is not in the configured list.
 */
export function parseLead(input: unknown, options: ParseLeadOptions = {}): ParseLeadResult {
  const sectors = options.sectors ?? DEFAULT_SECTORS;
  const result = LeadSchema.safeParse(input);
  const problems = result.success ? [] : problemsFromZod(result.error);
  // The sector list is configuration: check membership even when other fields failed, so all are reported.
  if (typeof input === 'object' && input !== null && 'sector' in input) {
    const raw = (input as { sector: unknown }).sector;
    if (typeof raw === 'string') {
      const code = raw.trim();
      if (SECTOR_CODE_PATTERN.test(code) && !isSectorCode(code, sectors)) {
        problems.push({ field: 'sector', message: 'is not a configured sector team' });
      }
    }
  }
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  return { ok: true, lead: result.data };
}
