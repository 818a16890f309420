/**
 * The contracts of the lead import (issue 16): the query of `POST /imports/leads`, the answers of it and
 * of `GET /imports/leads/{importId}`, the stored import and its rows, and the hint message the worker takes.
 */
import * as z from 'zod';
import { oneOf } from './zod-text.ts';

export const IMPORT_MODES = ['accept-valid', 'all-or-nothing'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const ImportLeadsQuerySchema = z
  .object({
    mode: z
      .enum(IMPORT_MODES, { error: oneOf(IMPORT_MODES) })
      .default('accept-valid')
      .meta({
        description:
          'accept-valid (default): the valid rows are imported, the others listed; all-or-nothing: nothing is imported unless every row is valid (422 naming the rows)',
      }),
  })
  .strict();

/** What `importIdFor` makes: `im_` and 24 lower-case hex digits. */
export const IMPORT_ID_PATTERN = /^im_[0-9a-f]{24}$/;

export const IMPORT_STATUSES = ['QUEUED', 'COMPLETE'] as const;
export const ImportStatusSchema = z.enum(IMPORT_STATUSES);
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

const RowNumberSchema = z.number().int().min(2).meta({ description: 'The row number as Excel shows it' });

export const AcceptedRowSchema = z.object({ row: RowNumberSchema, leadId: z.string() });

export const RefusedRowSchema = z
  .object({
    row: RowNumberSchema,
    status: z.number().int().meta({
      description: 'What POST /leads would have answered for this row alone: 400, or 403 (another sector)',
    }),
    errors: z.array(
      z.object({
        column: z
          .string()
          .meta({ description: 'The header text of the column (Chinese), as in the template' }),
        field: z.string().meta({ description: 'The lead field path, as POST /leads names it' }),
        message: z.string().meta({ description: "In the caller's language (Accept-Language)" }),
      }),
    ),
  })
  .meta({ id: 'ImportRefusedRow' });

export const SkippedRowSchema = z.object({
  row: RowNumberSchema,
  reason: z.literal('template_example').meta({ description: "The template's example row, left untouched" }),
});

export const ImportAnswerSchema = z
  .object({
    importId: z.string(),
    status: ImportStatusSchema,
    mode: z.enum(IMPORT_MODES),
    rowCount: z.number().int().meta({ description: 'Data rows read (accepted + refused + skipped)' }),
    accepted: z.array(AcceptedRowSchema).meta({
      description: 'Each accepted row and the id its lead has (known at once; the lead exists once created)',
    }),
    refused: z.array(RefusedRowSchema),
    skipped: z.array(SkippedRowSchema),
  })
  .meta({ id: 'LeadImportAccepted' });
export type ImportAnswer = z.infer<typeof ImportAnswerSchema>;

export const ImportViewSchema = z
  .object({
    importId: z.string(),
    status: ImportStatusSchema,
    mode: z.enum(IMPORT_MODES),
    rowCount: z.number().int(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    accepted: z.array(
      AcceptedRowSchema.extend({
        created: z.boolean().meta({ description: 'The lead exists (the worker has created it)' }),
      }),
    ),
    refusedRows: z.array(z.number().int()),
    skippedRows: z.array(z.number().int()),
  })
  .meta({ id: 'LeadImport' });
export type ImportView = z.infer<typeof ImportViewSchema>;

/** The stored import (Leads table, beside the leads whose resident IDs its rows also hold). */
export const LeadImportRecordSchema = z.object({
  importId: z.string(),
  /** The sector team(s) of the uploader: the scope of its idempotency and of who may read it. */
  team: z.array(z.string()).min(1),
  uploadedBy: z.object({ userId: z.string(), roles: z.array(z.string()) }),
  mode: z.enum(IMPORT_MODES),
  rowCount: z.number().int().nonnegative(),
  createdAt: z.string(),
  status: ImportStatusSchema,
  completedAt: z.string().nullable(),
  accepted: z.array(AcceptedRowSchema),
  refusedRows: z.array(z.number().int()),
  skippedRows: z.array(z.number().int()),
});
export type LeadImportRecord = z.infer<typeof LeadImportRecordSchema>;

/** One accepted row waiting to become a lead: the body exactly as read from the sheet. */
export const ImportRowRecordSchema = z.object({
  importId: z.string(),
  row: z.number().int(),
  leadId: z.string(),
  body: z.record(z.string(), z.unknown()),
  /** PENDING until the worker has created (or replayed) its lead; REFUSED if submitLead refused it. */
  state: z.enum(['PENDING', 'CREATED', 'REFUSED']),
  refusal: z.string().optional(),
});
export type ImportRowRecord = z.infer<typeof ImportRowRecordSchema>;

/** The hint that an import has rows to turn into leads (the table says which). */
export const CreateImportedLeadsMessageSchema = z.object({
  schemaVersion: z.literal(1),
  importId: z.string().regex(IMPORT_ID_PATTERN),
});
export type CreateImportedLeadsMessage = z.infer<typeof CreateImportedLeadsMessageSchema>;
