/**
 * The import template (`GET /imports/leads/template`), written from the column declaration: the sheet
 * 线索 (Chinese headers, frozen, drop-downs for the coded columns, an example row) and the sheet 说明
 * (every column in Chinese and English: required or not, format, example).
 * Written with exceljs directly: the shared sheet helpers (shared/sheets/) were not committed yet.
 */
import ExcelJS from 'exceljs';
import { DEFAULT_SECTORS, type Sector } from '#shared/domain/sectors.ts';
import { LEAD_IMPORT_LIMITS } from './import-limits.ts';
import { LEAD_SHEET_NAME, type LeadColumn, leadColumns, NOTES_SHEET_NAME } from './lead-columns.ts';

/** Rows of the sheet that carry the drop-downs (the example row and the data rows an upload may hold). */
const VALIDATED_ROWS = LEAD_IMPORT_LIMITS.maxRows + 1;

function columnLetter(index: number): string {
  let n = index;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export async function leadImportTemplate(sectors: readonly Sector[] = DEFAULT_SECTORS): Promise<Uint8Array> {
  const columns = leadColumns(sectors);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'kfq-incentives';
  workbook.created = new Date(0);

  const sheet = workbook.addWorksheet(LEAD_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ key: column.field, width: column.width }));
  const header = sheet.getRow(1);
  columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.note = `${column.en}\n${column.required.zh}；${column.format.zh}`;
  });
  const example = sheet.getRow(2);
  columns.forEach((column, index) => {
    const cell = example.getCell(index + 1);
    if (column.example !== '') cell.value = column.example;
    // Identifiers as text, so Excel never turns 18 digits into a rounded number.
    if (column.kind === 'text') cell.numFmt = '@';
    if (column.kind === 'amount') cell.numFmt = '#,##0.00##';
  });

  // Drop-downs over whole ranges (no empty cells are created, so rows appended go right below the example).
  const validations = (
    sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }
  ).dataValidations;
  columns.forEach((column, index) => {
    const letter = columnLetter(index + 1);
    // Identifiers as text, so Excel never turns 18 digits into a rounded number.
    if (column.kind === 'text') sheet.getColumn(index + 1).numFmt = '@';
    const list = dropDownOf(column);
    if (list === undefined) return;
    validations.add(`${letter}2:${letter}${VALIDATED_ROWS}`, {
      type: 'list',
      allowBlank: true,
      formulae: [list],
      // Codes are accepted too, so a typed value is only warned about, never blocked.
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: column.header,
      error: `请从下拉列表中选择（${column.format.zh}）`,
    });
  });

  writeNotes(workbook.addWorksheet(NOTES_SHEET_NAME), columns);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

function dropDownOf(column: LeadColumn): string | undefined {
  if (column.kind === 'yesNo') return '"是,否"';
  if (column.choices === undefined) return undefined;
  return `"${column.choices.map((choice) => choice.label).join(',')}"`;
}

function writeNotes(sheet: ExcelJS.Worksheet, columns: readonly LeadColumn[]): void {
  sheet.columns = [
    { width: 24 },
    { width: 30 },
    { width: 16 },
    { width: 40 },
    { width: 48 },
    { width: 60 },
    { width: 24 },
  ];
  sheet.addRow(['线索导入说明 / How to fill in the lead sheet']).font = { bold: true, size: 14 };
  sheet.addRow([
    `在“${LEAD_SHEET_NAME}”表中每行填写一条线索（第 2 行是示例：可直接覆盖，也可保留并在其下方填写，原样保留的示例行不会导入）。每次最多 ${LEAD_IMPORT_LIMITS.maxRows} 行、${LEAD_IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB；不要修改第 1 行表头。`,
  ]);
  sheet.addRow([
    `One lead per row of the sheet ${LEAD_SHEET_NAME} (row 2 is an example: overwrite it or fill in below it; left untouched it is skipped). At most ${LEAD_IMPORT_LIMITS.maxRows} rows and ${LEAD_IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB per upload; keep the headers of row 1 as they are.`,
  ]);
  sheet.addRow([]);
  const head = sheet.addRow([
    '列名（表头）',
    'Column (English)',
    '是否必填',
    '填写要求',
    'Format',
    '可选值 / Choices',
    '示例 / Example',
  ]);
  head.font = { bold: true };
  for (const column of columns) {
    const choices =
      column.kind === 'yesNo'
        ? '是、否'
        : (column.choices ?? []).map((choice) => `${choice.label}（${choice.code}）`).join('、');
    const row = sheet.addRow([
      column.header,
      column.en,
      `${column.required.zh} / ${column.required.en}`,
      column.format.zh,
      column.format.en,
      choices,
      column.example === '' ? '' : String(column.example),
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
}
