/**
 * The column declaration shared by every sheet and CSV the API writes (exports, the import template):
 * each column is declared once, and the xlsx writer (`ledger-sheet.ts`) and the CSV writer (`csv.ts`)
 * are both driven by it, so the two files of one export cannot disagree.
 *
 * Kinds and what a row's `value` returns for each:
 * - `text`: a string (or null). Always stored as text, never as a formula (see {@link startsLikeFormula}).
 * - `amount`: integer fen (or null). Shown in 万元: the stored value is fen / 1,000,000 exactly as a JS
 *   number, with a display format; the 合计 is summed in integer fen and converted once.
 * - `count`: a whole number (or null); summed in the 合计 row when `total` is set.
 * - `percent`: a percentage as the API states it (85.33 means 85.33 %), or null.
 * - `date`: a calendar day `yyyy-mm-dd` (or null). In .xlsx a real date cell (the day's serial number,
 *   no time, no time zone) with the display format `yyyy-mm-dd`; in .csv the text `yyyy-mm-dd`.
 */

export type ColumnKind = 'text' | 'amount' | 'count' | 'percent' | 'date';

export interface Column<Row> {
  /** The header the office reads (Chinese). */
  readonly header: string;
  /** Its English name, listed on the workbook's 说明 (Notes) sheet and in the API docs. */
  readonly en: string;
  readonly kind: ColumnKind;
  readonly value: (row: Row) => string | number | null;
  /** Character width in the sheet; a default per kind otherwise. */
  readonly width?: number;
  /** Summed in the 合计 row: default true for amounts, false otherwise. */
  readonly total?: boolean;
}

/** The 单位 amounts are shown in, and the factor from integer fen. */
export const AMOUNT_UNIT = '万元';
export const FEN_PER_WAN_YUAN = 1_000_000;

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** The characters that make Excel, LibreOffice or Sheets read a typed or imported cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** True when text would run as a formula if typed into a cell or read from a CSV (OWASP CSV injection). */
export function startsLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** fen → 万元 as a JS number (display only: sums are made in fen). */
export function wanYuanOf(fen: number): number {
  return fen / FEN_PER_WAN_YUAN;
}

/** fen → the exact decimal text in 万元 (at least 2 decimals, no rounding): 2400000000 → "2400.00". */
export function wanYuanText(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`Not a whole number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(7, '0');
  const whole = digits.slice(0, -6);
  const decimals = digits.slice(-6).replace(/0+$/, '').padEnd(2, '0');
  return `${sign}${whole}.${decimals}`;
}

/** Sums integer fen, refusing a total JS numbers cannot hold exactly. */
export function addFen(total: number, fen: number): number {
  const sum = total + fen;
  if (!Number.isSafeInteger(sum)) throw new RangeError('The 合计 is beyond exact integer arithmetic');
  return sum;
}

/**
 * Text safe inside an OOXML part: characters XML 1.0 cannot carry become U+FFFD, a literal `_xHHHH_` is
 * escaped so that readers do not decode it as a character reference, and a carriage return is written as
 * `_x000D_` (ECMA-376 ST_Xstring), since XML parsers turn a raw CR into a line feed.
 */
export function xmlSafeText(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/_(x[0-9a-fA-F]{4}_)/g, '_x005F_$1')
      .replaceAll('\r', '_x000D_')
  );
}

/** A calendar day `yyyy-mm-dd` → its Excel serial number (1900 date system; days since 1899-12-30). */
export function excelSerialOf(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) throw new RangeError(`Not a day yyyy-mm-dd: ${day}`);
  const utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return (utc - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/** A row already turned into the values of its columns, in their order. */
export type Cells = readonly (string | number | null)[];

/** A row's cells: what an export that must hold its rows before writing them (to sort them) keeps. */
export function cellsOf<Row>(columns: readonly Column<Row>[], row: Row): Cells {
  return columns.map((column) => column.value(row));
}

/** The same columns, reading rows already turned into their cells by {@link cellsOf}. */
export function columnsOverCells<Row>(columns: readonly Column<Row>[]): readonly Column<Cells>[] {
  return columns.map((column, index) => ({ ...column, value: (cells: Cells) => cells[index] ?? null }));
}

/** Where rows come from: an array, a generator, or pages read from a store one after another. */
export type RowSource<Row> = AsyncIterable<Row> | Iterable<Row>;
