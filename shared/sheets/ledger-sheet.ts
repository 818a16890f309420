/**
 * One titled table as an .xlsx, written with exceljs's streaming `WorkbookWriter`: rows are committed one
 * by one as they come from an `AsyncIterable`, so a 10,000-row export never holds its rows in memory
 * (the zip is collected into the returned bytes; strings go through the workbook's shared-string table).
 *
 * Layout of the first sheet:
 *   row 1   title (merged across the table)
 *   row 2   填报单位：<unit>    日期：<yyyy-mm-dd>
 *   row 3   单位：万元                 (only when a column is an amount)
 *   …       `preamble` lines (the audit extract's verification result and digest)
 *   header  frozen below it (`views: frozen ySplit`), autofilter over header and data rows
 *   data    text cells are shared strings (t="s") with the text format `@`; amounts numbers in 万元
 *           (fen / 1,000,000) with the format `#,##0.00####`; dates real dates with `yyyy-mm-dd`
 *   合计    amounts summed in integer fen, converted once (not inside the autofilter range)
 * A second sheet `说明` lists each column's Chinese header, English name and kind.
 *
 * No cell is ever a formula: only strings, numbers and dates are written (exceljs writes a formula only
 * for a `{ formula }` object, which this module never builds). exceljs 4.4 cannot set Excel's
 * `quotePrefix`; text cells get the number format `@` instead, so a cell that begins with `=` stays text
 * even when someone edits it in Excel.
 */
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import {
  AMOUNT_UNIT,
  addFen,
  type Column,
  type ColumnKind,
  excelSerialOf,
  type RowSource,
  wanYuanOf,
  xmlSafeText,
} from './columns.ts';

export interface LedgerTable<Row> {
  /** The title row, e.g. `奖励支付清单（已批准，2026-01-01 至 2026-01-31）`. */
  readonly title: string;
  /** 填报单位: who the sheet is from. */
  readonly unit: string;
  /** The date the sheet is made, `yyyy-mm-dd` (Asia/Shanghai). */
  readonly date: string;
  /** The name of the sheet tab (at most 31 characters, none of `[]:*?/\`). */
  readonly sheetName: string;
  readonly columns: readonly Column<Row>[];
  /** Lines between the heading and the table (each one merged across the table). */
  readonly preamble?: readonly string[];
}

export const AMOUNT_FORMAT = '#,##0.00####';
export const DATE_FORMAT = 'yyyy-mm-dd';
export const COUNT_FORMAT = '#,##0';
export const PERCENT_FORMAT = '0.00"%"';
export const TEXT_FORMAT = '@';
export const TOTAL_LABEL = '合计';

const DEFAULT_WIDTH: Readonly<Record<ColumnKind, number>> = {
  text: 18,
  amount: 16,
  count: 10,
  percent: 12,
  date: 12,
};
const NUMBER_FORMAT: Readonly<Record<ColumnKind, string>> = {
  text: TEXT_FORMAT,
  amount: AMOUNT_FORMAT,
  count: COUNT_FORMAT,
  percent: PERCENT_FORMAT,
  date: DATE_FORMAT,
};

const KIND_ZH: Readonly<Record<ColumnKind, string>> = {
  text: '文本',
  amount: `金额（${AMOUNT_UNIT}）`,
  count: '数量',
  percent: '百分比',
  date: '日期',
};

/** Whether the column is summed in the 合计 row. */
export function isTotalled(column: Pick<Column<never>, 'kind' | 'total'>): boolean {
  return column.total ?? column.kind === 'amount';
}

/** The cell value exceljs writes for a column: never a formula object. */
function cellValue(kind: ColumnKind, value: string | number | null): string | number | null {
  if (value === null) return null;
  switch (kind) {
    case 'text':
      return xmlSafeText(String(value));
    case 'amount':
      return wanYuanOf(Number(value));
    case 'date':
      return excelSerialOf(String(value));
    default:
      return Number(value);
  }
}

/** Column letters: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * Runs `build` on a streaming workbook writer and answers the finished .xlsx bytes. For other sheets
 * made with the same settings (the import template): shared strings on, styles on.
 */
export async function xlsxBytes(
  build: (workbook: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>,
): Promise<Uint8Array> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  // Loaded with the first sheet: a CSV or JSON answer never needs exceljs (~30 MB resident once loaded).
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: true,
  });
  await build(workbook);
  await workbook.commit();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

/** Writes `table` with `rows` (read once, in order) and answers the .xlsx bytes. */
export async function writeLedgerSheet<Row>(
  table: LedgerTable<Row>,
  rows: RowSource<Row>,
): Promise<Uint8Array> {
  return xlsxBytes(async (workbook) => {
    await writeTableSheet(workbook, table, rows);
    writeNotesSheet(workbook, table.columns);
  });
}

async function writeTableSheet<Row>(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  table: LedgerTable<Row>,
  rows: RowSource<Row>,
): Promise<void> {
  const { columns } = table;
  const width = Math.max(columns.length, 1);
  const lastLetter = columnLetter(width);
  const hasAmounts = columns.some((column) => column.kind === 'amount');
  const heading = [
    `填报单位：${table.unit}    日期：${table.date}`,
    ...(hasAmounts ? [`单位：${AMOUNT_UNIT}`] : []),
    ...(table.preamble ?? []),
  ];
  const headerRow = 2 + heading.length;
  // Excel repairs a workbook that merges a single cell.
  const mergeAcross = (row: number) => {
    if (width > 1) sheet.mergeCells(`A${row}:${lastLetter}${row}`);
  };
  const sheet = workbook.addWorksheet(table.sheetName, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}` }],
  });
  sheet.columns = columns.map((column) => ({ width: column.width ?? DEFAULT_WIDTH[column.kind] }));

  const title = sheet.getRow(1);
  title.getCell(1).value = xmlSafeText(table.title);
  title.getCell(1).font = { bold: true, size: 14 };
  title.getCell(1).alignment = { horizontal: 'center' };
  title.height = 24;
  mergeAcross(1);
  title.commit();
  heading.forEach((line, index) => {
    const rowNumber = 2 + index;
    const row = sheet.getRow(rowNumber);
    row.getCell(1).value = xmlSafeText(line);
    mergeAcross(rowNumber);
    row.commit();
  });

  const header = sheet.getRow(headerRow);
  columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = xmlSafeText(column.header);
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();

  const totals = columns.map(() => 0);
  let rowNumber = headerRow;
  for await (const item of rows) {
    rowNumber += 1;
    const row = sheet.getRow(rowNumber);
    columns.forEach((column, index) => {
      const raw = column.value(item);
      const cell = row.getCell(index + 1);
      cell.value = cellValue(column.kind, raw);
      cell.numFmt = NUMBER_FORMAT[column.kind];
      if (raw !== null && isTotalled(column)) totals[index] = addFen(totals[index] ?? 0, Number(raw));
    });
    row.commit();
  }
  const lastDataRow = rowNumber;

  if (columns.some(isTotalled)) {
    const total = sheet.getRow(lastDataRow + 1);
    total.getCell(1).value = TOTAL_LABEL;
    total.getCell(1).numFmt = TEXT_FORMAT;
    columns.forEach((column, index) => {
      if (!isTotalled(column)) return;
      const cell = total.getCell(index + 1);
      const sum = totals[index] ?? 0;
      cell.value = column.kind === 'amount' ? wanYuanOf(sum) : sum;
      cell.numFmt = NUMBER_FORMAT[column.kind];
    });
    total.font = { bold: true };
    total.commit();
  }
  sheet.autoFilter = `A${headerRow}:${lastLetter}${lastDataRow}`;
  sheet.commit();
}

function writeNotesSheet<Row>(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  columns: readonly Column<Row>[],
): void {
  const notes = workbook.addWorksheet('说明');
  notes.columns = [{ width: 24 }, { width: 32 }, { width: 16 }];
  const header = notes.addRow(['列 Column', '英文 English', '类型 Kind']);
  header.font = { bold: true };
  header.commit();
  for (const column of columns) {
    notes.addRow([xmlSafeText(column.header), xmlSafeText(column.en), KIND_ZH[column.kind]]).commit();
  }
  notes.commit();
}
