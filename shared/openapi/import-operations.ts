import { LEAD_IMPORT_LIMITS, XLSX_CONTENT_TYPE } from '#shared/lead-import/import-limits.ts';
import { ImportAnswerSchema, ImportLeadsQuerySchema, ImportViewSchema } from '#shared/schemas/lead-import.ts';
import { type Operation, XlsxFile } from './operation.ts';

export const importOperations: Readonly<Record<string, Operation>> = {
  'GET /imports/leads/template': {
    summary: 'The lead import template (.xlsx): sheet 线索 with drop-downs and an example row, sheet 说明',
    responses: {
      200: {
        description: 'The template, as an attachment named 线索导入模板.xlsx',
        content: { [XLSX_CONTENT_TYPE]: { schema: XlsxFile } },
      },
    },
  },
  'POST /imports/leads': {
    summary: 'Import leads from an .xlsx (the sector team’s own sector only)',
    description: `The body is the file itself (${XLSX_CONTENT_TYPE} or application/octet-stream), at most ${LEAD_IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB and ${LEAD_IMPORT_LIMITS.maxRows} rows. The file and every row are checked at once, with the rules of POST /leads; the answer (202) lists the accepted rows with their lead ids, the refused rows with their errors (row, column header, message in the caller's language; status 403 for another sector's row) and the skipped template example. The leads are then created in the background: follow \`Location\`. The same file uploaded again by the same team answers the same import and leads (\`Idempotent-Replayed: true\`) and creates nothing. 413: file or row count over the limit, or a zip bomb; 415: not an .xlsx; 422: encrypted (or a legacy .xls), wrong headers, no valid row, or (all-or-nothing) any refused row, with \`errors\` (field \`第5行 项目名称\`) and \`rows\`; nothing is stored.`,
    requestParams: { query: ImportLeadsQuerySchema },
    requestBody: {
      required: true,
      content: {
        [XLSX_CONTENT_TYPE]: { schema: XlsxFile },
        'application/octet-stream': { schema: XlsxFile },
      },
    },
    responses: {
      202: {
        description: 'Checked; the accepted rows are queued to become leads',
        content: { 'application/json': { schema: ImportAnswerSchema } },
      },
    },
    errors: [400, 413, 415, 422],
  },
  'GET /imports/leads/{importId}': {
    summary:
      'An import’s progress: each accepted row, its lead id and whether the lead exists (its own team only)',
    responses: {
      200: {
        description: 'QUEUED while leads are being created; COMPLETE once every row is done',
        content: { 'application/json': { schema: ImportViewSchema } },
      },
    },
    errors: [400, 404],
  },
};
