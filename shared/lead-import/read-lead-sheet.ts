/**
 * Reads the sheet 线索 of a workbook that passed `inspectWorkbookFile` into one lead body per row, as a
 * client of `POST /leads` would have sent it: the header row says which column is which field
 * (lead-columns.ts), cells are normalised (rich text, hyperlinks, dates, numbers, cached formula results),
 * amounts in 万元 become amount texts the shared money parser reads exactly. What a cell alone makes
 * impossible (a formula without a cached value, an error value, a 18-digit number Excel has rounded, a
 * label not in the drop-down) is reported per cell; everything else is left to the lead schema.
 */
import ExcelJS from 'exceljs';
import { DEFAULT_SECTORS, type Sector } from '#shared/domain/sectors.ts';
import {
  type FieldProblem,
  type LocalText,
  PayloadTooLargeError,
  UnprocessableContentError,
  UnsupportedMediaTypeError,
} from '#shared/errors.ts';
import { LEAD_IMPORT_LIMITS, type LeadImportLimits } from './import-limits.ts';
import { LEAD_SHEET_NAME, type LeadColumn, leadColumns, yesNoOf } from './lead-columns.ts';

export type CellProblem = FieldProblem & { readonly column: string };

export interface SheetRow {
  /** The row number as Excel shows it. */
  readonly row: number;
  /** The lead body as `POST /leads` would take it (only the filled-in cells). */
  readonly body: Record<string, unknown>;
  readonly cellProblems: readonly CellProblem[];
  /** The row is the template's example, untouched. */
  readonly isExample: boolean;
}

export interface LeadSheet {
  readonly columns: readonly LeadColumn[];
  readonly rows: readonly SheetRow[];
}

/** A cell's value once formulas, rich text and hyperlinks are looked through. */
type CellContent =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'date'; readonly value: Date }
  | { readonly kind: 'error'; readonly code: string }
  | { readonly kind: 'formula-without-value' };

const EMPTY: CellContent = { kind: 'empty' };

export function cellContent(value: unknown): CellContent {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'string') return value.trim() === '' ? EMPTY : { kind: 'text', text: value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (value instanceof Date) return { kind: 'date', value };
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('formula' in object || 'sharedFormula' in object) {
      // A formula counts only by the value Excel saved with it; without one we would have to compute it.
      return object.result === undefined || object.result === null
        ? { kind: 'formula-without-value' }
        : cellContent(object.result);
    }
    if (Array.isArray(object.richText)) {
      const text = (object.richText as { text?: unknown }[]).map((run) => String(run.text ?? '')).join('');
      return cellContent(text);
    }
    if ('hyperlink' in object || 'text' in object) return cellContent(object.text);
    if (typeof object.error === 'string') return { kind: 'error', code: object.error };
  }
  return EMPTY;
}

/** The shortest decimal that reads back as `value`, without an exponent: 1e-7 → "0.0000001", 1e21 → "1000…". */
export function plainDecimal(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (match === null) return text;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function dateText(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Excel keeps 15 significant digits: a longer number (an ID typed as a number) has lost its last ones. */
const EXCEL_EXACT_DIGITS_LIMIT = 1e15;

function fold(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

const problem = (column: LeadColumn, message: LocalText): CellProblem => ({
  field: column.field,
  column: column.header,
  message,
});

type CellReading =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: CellProblem };

/** The value a cell gives its field (undefined: left out of the body), or why it cannot give one. */
function readCell(column: LeadColumn, content: CellContent): CellReading {
  switch (content.kind) {
    case 'empty':
      return { ok: true, value: undefined };
    case 'formula-without-value':
      return {
        ok: false,
        problem: problem(column, {
          zh: '单元格是公式，但文件中没有保存其计算结果；请在 Excel/WPS 中打开并保存一次，或改填数值',
          en: 'the cell holds a formula without a saved result: open and save the file in Excel or WPS, or type the value',
        }),
      };
    case 'error':
      return {
        ok: false,
        problem: problem(column, {
          zh: `单元格是错误值 ${content.code}`,
          en: `the cell holds the error value ${content.code}`,
        }),
      };
    default:
  }
  switch (column.kind) {
    case 'amount':
      return readAmount(column, content);
    case 'choice':
      return readChoice(column, content);
    case 'yesNo': {
      if (content.kind === 'boolean') return { ok: true, value: content.value };
      const answer = yesNoOf(textOf(content));
      return answer === undefined
        ? {
            ok: false,
            problem: problem(column, { zh: '须填“是”或“否”', en: 'must be 是 (yes) or 否 (no)' }),
          }
        : { ok: true, value: answer };
    }
    default:
      if (content.kind === 'number' && Math.abs(content.value) >= EXCEL_EXACT_DIGITS_LIMIT) {
        return {
          ok: false,
          problem: problem(column, {
            zh: '该单元格是超过 15 位的数字，Excel 已丢失末尾数字；请将单元格设为文本格式后重新填写',
            en: 'the cell is a number of more than 15 digits, whose last digits Excel has lost: format the cell as text and type it again',
          }),
        };
      }
      return { ok: true, value: textOf(content) };
  }
}

function textOf(content: CellContent): string {
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'number':
      return plainDecimal(content.value);
    case 'boolean':
      return content.value ? 'TRUE' : 'FALSE';
    case 'date':
      return dateText(content.value);
    default:
      return '';
  }
}

const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
const GROUPED_DECIMAL = /^\d{1,3}([,，]\d{3})+(\.\d+)?$/;

/** A number is in 万元 (the header says so); so is a plain decimal text; a text with a unit keeps it. */
function readAmount(column: LeadColumn, content: CellContent): CellReading {
  if (content.kind === 'number') return { ok: true, value: `${plainDecimal(content.value)}万` };
  if (content.kind !== 'text') {
    return {
      ok: false,
      problem: problem(column, {
        zh: '须是金额：万元数，或带单位的文字如“1.5亿”“1200万”',
        en: 'must be an amount: a number in 万元, or text with its unit such as "1.5亿", "1200万"',
      }),
    };
  }
  const text = content.text.trim();
  if (PLAIN_DECIMAL.test(text)) return { ok: true, value: `${text}万` };
  if (GROUPED_DECIMAL.test(text)) return { ok: true, value: `${text.replace(/[,，]/g, '')}万` };
  return { ok: true, value: text };
}

function readChoice(column: LeadColumn, content: CellContent): CellReading {
  const text = textOf(content);
  const folded = fold(text);
  const choice = (column.choices ?? []).find(
    (candidate) => fold(candidate.label) === folded || candidate.code === folded,
  );
  if (choice !== undefined) return { ok: true, value: choice.code };
  const labels = (column.choices ?? []).map((candidate) => candidate.label);
  return {
    ok: false,
    problem: problem(column, {
      zh: `须是下拉列表中的一项：${labels.join('、')}`,
      en: `must be one of the drop-down's entries: ${labels.join(', ')} (or their codes)`,
    }),
  };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[part] = created;
      node = created;
    }
  }
  node[parts.at(-1) ?? path] = value;
}

const NOT_READABLE = {
  zh: '文件无法作为 .xlsx 工作簿打开。请用“线索导入模板.xlsx”填写，或在 Excel/WPS 中另存为 .xlsx 后再上传。',
  en: 'The file cannot be opened as an .xlsx workbook. Fill in the template 线索导入模板.xlsx, or save it as .xlsx in Excel or WPS.',
};

/**
 * The rows of the sheet 线索 (or the only sheet), by their headers. Throws a 422 naming missing or
 * unknown headers, a 413 past the row limit.
 */
export async function readLeadSheet(
  bytes: Uint8Array,
  options: { readonly sectors?: readonly Sector[]; readonly limits?: LeadImportLimits } = {},
): Promise<LeadSheet> {
  const limits = options.limits ?? LEAD_IMPORT_LIMITS;
  const columns = leadColumns(options.sectors ?? DEFAULT_SECTORS);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch {
    throw new UnsupportedMediaTypeError(NOT_READABLE);
  }
  const sheet =
    workbook.getWorksheet(LEAD_SHEET_NAME) ??
    (workbook.worksheets.length === 1 ? workbook.worksheets[0] : undefined);
  if (sheet === undefined) {
    throw new UnprocessableContentError({
      zh: `工作簿中没有名为“${LEAD_SHEET_NAME}”的工作表。请使用线索导入模板。`,
      en: `The workbook has no sheet named ${LEAD_SHEET_NAME}. Use the import template.`,
    });
  }

  const byColumnNumber = readHeaders(sheet.getRow(1), columns);
  const example = exampleTexts(columns);
  const rows: SheetRow[] = [];
  let dataRows = 0;
  sheet.eachRow({ includeEmpty: false }, (sheetRow, rowNumber) => {
    if (rowNumber === 1) return;
    const body: Record<string, unknown> = {};
    const cellProblems: CellProblem[] = [];
    const texts = new Map<string, string>();
    let filled = false;
    for (const [columnNumber, column] of byColumnNumber) {
      const content = cellContent(sheetRow.getCell(columnNumber).value);
      if (content.kind === 'empty') continue;
      filled = true;
      texts.set(column.header, textOf(content));
      const reading = readCell(column, content);
      if (!reading.ok) cellProblems.push(reading.problem);
      else if (reading.value !== undefined) setPath(body, column.field, reading.value);
    }
    if (!filled) return;
    const isExample =
      rowNumber === 2 &&
      columns.every((column) => (texts.get(column.header) ?? '') === example.get(column.header));
    if (!isExample) dataRows += 1;
    if (dataRows > limits.maxRows) return;
    rows.push({ row: rowNumber, body, cellProblems, isExample });
  });
  if (dataRows > limits.maxRows) {
    throw new PayloadTooLargeError({
      zh: `文件有 ${dataRows} 行数据，超过每次 ${limits.maxRows} 行的上限。请分成几个文件上传。`,
      en: `The file has ${dataRows} data rows, more than the ${limits.maxRows} an upload may hold. Split it into several files.`,
    });
  }
  return { columns, rows };
}

/** Header texts are matched folded (full-width brackets, spaces, case), as people retype them. */
function readHeaders(headerRow: ExcelJS.Row, columns: readonly LeadColumn[]): Map<number, LeadColumn> {
  const byHeader = new Map(columns.map((column) => [fold(column.header), column]));
  const found = new Map<number, LeadColumn>();
  const unknown: string[] = [];
  headerRow.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
    const content = cellContent(cell.value);
    if (content.kind === 'empty') return;
    const header = textOf(content).trim();
    const column = byHeader.get(fold(header));
    if (column === undefined) unknown.push(header);
    else found.set(columnNumber, column);
  });
  const present = new Set([...found.values()].map((column) => column.header));
  const missing = columns.filter((column) => isRequiredColumn(column) && !present.has(column.header));
  if (missing.length > 0 || unknown.length > 0) {
    const problems: FieldProblem[] = [
      ...missing.map((column) => ({
        field: column.header,
        message: {
          zh: '缺少此列（第 1 行须是模板的表头）',
          en: 'this column is missing (row 1 must hold the template headers)',
        },
      })),
      ...unknown.map((header) => ({
        field: header.slice(0, 50),
        message: { zh: '不是模板中的列', en: 'is not a column of the template' },
      })),
    ];
    throw new UnprocessableContentError(
      {
        zh: `第 1 行的表头与线索导入模板不符：${problems.map((p) => p.field).join('、')}`,
        en: `Row 1 does not hold the template's headers: ${problems.map((p) => p.field).join(', ')}`,
      },
      problems,
    );
  }
  return found;
}

/** Columns a lead cannot do without: a sheet without them is not a lead sheet. */
function isRequiredColumn(column: LeadColumn): boolean {
  return column.required.zh.startsWith('必填');
}

/** The example row's cells as text, the way `textOf` reads them back. */
export function exampleTexts(columns: readonly LeadColumn[]): Map<string, string> {
  return new Map(
    columns.map((column) => [
      column.header,
      typeof column.example === 'number' ? plainDecimal(column.example) : column.example,
    ]),
  );
}
