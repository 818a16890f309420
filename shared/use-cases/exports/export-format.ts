/**
 * What every export shares: the `format` query parameter, and turning a column declaration and its rows
 * into the file of that format (shared/sheets drives both from one declaration).
 */
import * as z from 'zod';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import type { ExportFile } from '#shared/ports/export-delivery.ts';
import { oneOf } from '#shared/schemas/zod-text.ts';
import { type Column, CSV_CONTENT_TYPE, type RowSource, XLSX_CONTENT_TYPE } from '#shared/sheets/columns.ts';
import { writeCsv } from '#shared/sheets/csv.ts';
import { type LedgerTable, writeLedgerSheet } from '#shared/sheets/ledger-sheet.ts';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `?format=xlsx|csv` of the export routes (default xlsx: an export route has no JSON form). */
export const ExportFormatSchema = z
  .enum(EXPORT_FORMATS, { error: oneOf(EXPORT_FORMATS) })
  .default('xlsx')
  .meta({ description: 'xlsx (default: a titled sheet) or csv (one table, UTF-8 with BOM)' });

/** The day (Asia/Shanghai) of an instant the query parsed, for file names: `2026-01-31`. */
export function dayOfInstant(instant: string): string {
  return shanghaiDateOf(new Date(instant));
}

/** The file of one table: a titled sheet, or the CSV of the same columns and rows. */
export async function tableFile<Row>(
  format: ExportFormat,
  baseName: string,
  table: LedgerTable<Row>,
  rows: RowSource<Row>,
): Promise<ExportFile> {
  const fileName = `${baseName}.${format}`;
  return format === 'xlsx'
    ? { bytes: await writeLedgerSheet(table, rows), contentType: XLSX_CONTENT_TYPE, fileName }
    : {
        bytes: await writeCsv(table.columns as readonly Column<Row>[], rows),
        contentType: CSV_CONTENT_TYPE,
        fileName,
      };
}
