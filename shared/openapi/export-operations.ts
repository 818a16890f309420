/**
 * The OpenAPI operations of the exports (issue 16), merged into the document by `document.ts` (before the
 * other tables: `GET /reports/monthly` gains `format`). Each export answers the file (200, attachment),
 * or in the cloud, when the file is bigger than a Lambda response can carry, `303 See Other` to a
 * pre-signed URL that expires within 15 minutes.
 */
import * as z from 'zod';
import type { ZodOpenApiResponsesObject } from 'zod-openapi';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '#shared/sheets/columns.ts';
import {
  AUDIT_EXTRACT_COLUMNS,
  AuditExportQuerySchema,
} from '#shared/use-cases/exports/audit-extract-export.ts';
import {
  DISCRETIONARY_COLUMNS,
  DiscretionaryExportQuerySchema,
} from '#shared/use-cases/exports/discretionary-export.ts';
import {
  MonthlyReportExportQuerySchema,
  monthlyLedgerColumns,
} from '#shared/use-cases/exports/monthly-ledger-export.ts';
import {
  PAYMENT_LIST_COLUMNS,
  RewardsExportQuerySchema,
} from '#shared/use-cases/exports/payment-list-export.ts';
import { MonthlyReportSchema } from '#shared/use-cases/projects/project-reports.ts';
import { type Operation, XlsxFile } from './operation.ts';

const CsvFile = z.string().meta({ description: 'RFC 4180 CSV, UTF-8 with a BOM, CRLF line ends' });

const ExportLinkSchema = z
  .object({
    url: z.string().meta({ description: 'Pre-signed GET URL of the file (also in `Location`)' }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .meta({ description: 'When the URL stops working (≤ 15 min)' }),
  })
  .meta({ id: 'ExportLink' });

const columnsText = (columns: readonly { header: string; en: string; kind: string }[]) =>
  columns
    .map((column) => `${column.header} (${column.en}${column.kind === 'amount' ? ', 万元' : ''})`)
    .join('; ');

const COMMON = `.xlsx: a title row, 填报单位 and the date, 单位：万元 where amounts are in 万元, a frozen header with an autofilter, a 合计 row summed from integer fen where there are amounts (stored as exact numbers with a display format), text always stored as text, no formula anywhere; a second sheet 说明 lists each column in Chinese and English. .csv: the same columns as one table, UTF-8 with a BOM, CRLF, text quoted, text beginning with = + - @ tab or CR prefixed with an apostrophe. Bigger than 4 MB (a setting) in the cloud: 303 with Location a pre-signed URL (≤ 15 minutes) and the body {url, expiresAt}.`;

const LINK_RESPONSE = {
  description:
    'In the cloud, a file too big for a Lambda response: fetch it from `Location` before `expiresAt`',
  headers: z.object({ location: z.string().meta({ description: 'The pre-signed URL' }) }),
  content: { 'application/json': { schema: ExportLinkSchema } },
};

function fileResponses(fileName: string): ZodOpenApiResponsesObject {
  return {
    200: {
      description: `The file, as an attachment named ${fileName}`,
      content: { [XLSX_CONTENT_TYPE]: { schema: XlsxFile }, [CSV_CONTENT_TYPE]: { schema: CsvFile } },
    },
    303: LINK_RESPONSE,
  };
}

export const exportOperations: Readonly<Record<string, Operation>> = {
  'GET /reports/monthly': {
    summary:
      'The 月度台账 of a month: one row per project of the year’s ledger and a 合计 row, with 开工率 and 复工率; ?format=xlsx|csv for the sheet',
    description: `format=json (default) answers the ledger as JSON; xlsx and csv answer the file 月度台账-<yyyy-mm>.<format>. Columns: ${columnsText(monthlyLedgerColumns(6)).replaceAll('1—6月', '1—M月')}. ${COMMON}`,
    requestParams: { query: MonthlyReportExportQuerySchema },
    responses: {
      200: {
        description: 'The ledger (JSON), or the file as an attachment named 月度台账-<yyyy-mm>.xlsx|csv',
        content: {
          'application/json': { schema: MonthlyReportSchema.meta({ id: 'MonthlyLedger' }) },
          [XLSX_CONTENT_TYPE]: { schema: XlsxFile },
          [CSV_CONTENT_TYPE]: { schema: CsvFile },
        },
      },
      303: LINK_RESPONSE,
    },
    errors: [400],
  },
  'GET /rewards/export': {
    summary: 'The payment list for finance (.xlsx or .csv): approved or paid rewards, resident IDs masked',
    description: `Every lead of the status (APPROVED or PAID), newest first; from/to bound the submission time as in GET /rewards (a date is a day in Asia/Shanghai). File name 奖励支付清单-<status>-<from>-<to>.<format>. Columns: ${columnsText(PAYMENT_LIST_COLUMNS)}. A natural person's resident ID is masked (region and last two characters), never whole. ${COMMON}`,
    requestParams: { query: RewardsExportQuerySchema },
    responses: fileResponses('奖励支付清单-<status>-<from>-<to>.xlsx|csv'),
    errors: [400],
  },
  'GET /discretionary-rewards/export': {
    summary:
      'A year’s rewards by decision (重奖, .xlsx or .csv), apart from the 2% rewards, with the year’s 合计',
    description: `Every reward by decision proposed in the year (Asia/Shanghai), oldest first, in every state. File name 重奖清单-<year>.<format>. Columns: ${columnsText(DISCRETIONARY_COLUMNS)}. A person's resident ID is masked. ${COMMON}`,
    requestParams: { query: DiscretionaryExportQuerySchema },
    responses: fileResponses('重奖清单-<year>.xlsx|csv'),
    errors: [400],
  },
  'GET /audit/export': {
    summary:
      'The audit extract (.xlsx or .csv): entries with their hashes, the verification result and the digest',
    description: `The entries of the period (and subject), newest first, as GET /audit finds them, with their hashes; the whole chain is verified (GET /audit/verify) and its digest read (GET /audit/digest). The sheet states both above the table; every answer also carries them in the headers audit-verification (\`ok; checked=N; headSeq=S\` or \`broken; checked=N; firstBrokenSeq=S; reason=R\`) and audit-digest (\`chain=C; seq=S; hash=H; takenAt=T\`), the only place a CSV has for them. File name 审计摘录-<from>-<to>.<format>. Columns: ${columnsText(AUDIT_EXTRACT_COLUMNS)}. ${COMMON}`,
    requestParams: { query: AuditExportQuerySchema },
    responses: fileResponses('审计摘录-<from>-<to>.xlsx|csv'),
    errors: [400],
  },
};
