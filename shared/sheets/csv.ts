/**
 * RFC 4180 CSV from the same column declaration as the .xlsx (`columns.ts`): UTF-8 with a BOM (so Excel
 * reads the Chinese), CRLF line ends, one header row (amount headers say `（万元）`), then one line per row.
 * No title, no 合计: a CSV is one table a program can read as it is.
 *
 * Text fields are always quoted; one that begins with `=`, `+`, `-`, `@`, tab or carriage return gets a
 * leading `'` first (OWASP CSV injection), so no spreadsheet runs it as a formula. Numbers are plain
 * decimals (amounts: the exact 万元 value of the integer fen, e.g. `2400.000001`); dates `yyyy-mm-dd`.
 */
import { AMOUNT_UNIT, type Column, type RowSource, startsLikeFormula, wanYuanText } from './columns.ts';

export const UTF8_BOM = '\ufeff';
const CRLF = '\r\n';

/** One text field, guarded against formula injection and quoted. */
export function csvText(text: string): string {
  const guarded = startsLikeFormula(text) ? `'${text}` : text;
  return `"${guarded.replaceAll('"', '""')}"`;
}

function csvField<Row>(column: Column<Row>, row: Row): string {
  const value = column.value(row);
  if (value === null) return '';
  switch (column.kind) {
    case 'text':
      return csvText(String(value));
    case 'amount':
      return wanYuanText(Number(value));
    case 'date':
      return String(value);
    default:
      return String(Number(value));
  }
}

/** The header line's names: an amount column names its unit. */
export function csvHeader<Row>(column: Column<Row>): string {
  return column.kind === 'amount' ? `${column.header}（${AMOUNT_UNIT}）` : column.header;
}

/** Writes the rows (read once, in order) as CSV and answers the bytes, BOM first. */
export async function writeCsv<Row>(
  columns: readonly Column<Row>[],
  rows: RowSource<Row>,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [
    Buffer.from(UTF8_BOM + columns.map((c) => csvText(csvHeader(c))).join(',') + CRLF),
  ];
  let pending: string[] = [];
  for await (const row of rows) {
    pending.push(columns.map((column) => csvField(column, row)).join(',') + CRLF);
    // Encode in batches: one Buffer per line would cost more than the text itself.
    if (pending.length >= 500) {
      chunks.push(Buffer.from(pending.join('')));
      pending = [];
    }
  }
  chunks.push(Buffer.from(pending.join('')));
  return new Uint8Array(Buffer.concat(chunks));
}
