import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  PayloadTooLargeError,
  UnprocessableContentError,
  UnsupportedMediaTypeError,
} from '#shared/errors.ts';
import { LEAD_IMPORT_LIMITS } from '#shared/lead-import/import-limits.ts';
import { inspectWorkbookFile } from '#shared/lead-import/inspect-workbook-file.ts';
import { LEAD_SHEET_NAME, leadColumns, NOTES_SHEET_NAME } from '#shared/lead-import/lead-columns.ts';
import { leadImportTemplate } from '#shared/lead-import/lead-template.ts';
import { cellContent, plainDecimal, readLeadSheet } from '#shared/lead-import/read-lead-sheet.ts';
import { parseLead } from '#shared/schemas/lead.ts';
import { compoundFileHeader, zipBomb, zipOf } from '#test/support/zip.ts';

const HEADERS = leadColumns().map((column) => column.header);

/** The template with rows appended below its example (cells by header). */
async function filled(rows: readonly Record<string, unknown>[], keepExample = true): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await leadImportTemplate()) as never);
  const sheet = workbook.getWorksheet(LEAD_SHEET_NAME);
  if (sheet === undefined) throw new Error('no lead sheet');
  if (!keepExample) sheet.spliceRows(2, 1);
  for (const row of rows) sheet.addRow(HEADERS.map((header) => row[header] ?? null));
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

const ROW = {
  专班: '智能光电信息',
  项目名称: '单元测试项目',
  投资方名称: '聊城测试投资有限公司',
  投资方统一社会信用代码: '91371500MA3C8K2L1R',
  引荐方类型: '无引荐方',
  '计划投资额（万元）': 15000,
  项目类别: '其他',
};

describe('the import template', () => {
  it('has the sheet 线索 with every lead field as a header, drop-downs and an example row, and the sheet 说明', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await leadImportTemplate()) as never);
    const sheet = workbook.getWorksheet(LEAD_SHEET_NAME);
    const headers = ((sheet?.getRow(1).values ?? []) as unknown[]).slice(1);
    expect(headers).toEqual(HEADERS);
    expect(sheet?.getCell('A2').value).toBe('智能光电信息');
    expect(sheet?.getCell('A2').dataValidation).toMatchObject({ type: 'list' });
    expect(sheet?.getCell('E500').dataValidation?.formulae?.[0]).toContain('龙头企业');
    expect(workbook.getWorksheet(NOTES_SHEET_NAME)?.rowCount).toBeGreaterThan(HEADERS.length);
  });

  it('reads back its own example row as the example (skipped), valid by the lead schema', async () => {
    const sheet = await readLeadSheet(await leadImportTemplate());
    expect(sheet.rows).toHaveLength(1);
    expect(sheet.rows[0]).toMatchObject({ row: 2, isExample: true, cellProblems: [] });
    expect(parseLead(sheet.rows[0]?.body).ok).toBe(true);
  });
});

describe('reading the lead sheet', () => {
  it('turns a row into the body POST /leads takes: labels to codes, 万元 to amounts exact to the fen', async () => {
    const sheet = await readLeadSheet(
      await filled([
        { ...ROW, '实际投资额（万元）': 1.23456, '申请基金额（万元）': '1.5亿', 市重大项目: '是' },
      ]),
    );
    const row = sheet.rows.find((candidate) => !candidate.isExample);
    expect(row?.row).toBe(3);
    const parsed = parseLead(row?.body);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.lead).toMatchObject({
      sector: 'optoelectronics',
      introducer: { type: 'none' },
      category: 'other',
      plannedInvestment: 15_000 * 1_000_000,
      actualInvestment: 1_234_560,
      fundRequest: 15_000_000_000,
      municipalMajorProject: true,
    });
  });

  it('reads a formula by its cached value only; without one the row names the column', async () => {
    const sheet = await readLeadSheet(
      await filled([
        { ...ROW, '计划投资额（万元）': { formula: '10000+5000', result: 15000 } },
        { ...ROW, 项目名称: { formula: 'CONCAT("a","b")' } },
      ]),
    );
    const [cached, uncached] = sheet.rows.filter((row) => !row.isExample);
    expect(cached?.cellProblems).toEqual([]);
    expect(cached?.body.plannedInvestment).toBe('15000万');
    expect(uncached?.cellProblems).toEqual([
      expect.objectContaining({ column: '项目名称', field: 'projectName' }),
    ]);
  });

  it('normalises rich text, hyperlinks, dates and numbers', () => {
    expect(cellContent({ richText: [{ text: '智能' }, { text: '光电' }] })).toEqual({
      kind: 'text',
      text: '智能光电',
    });
    expect(cellContent({ text: '项目', hyperlink: 'https://example.com' })).toEqual({
      kind: 'text',
      text: '项目',
    });
    expect(cellContent({ formula: 'A1', result: { error: '#N/A' } })).toEqual({
      kind: 'error',
      code: '#N/A',
    });
    expect(cellContent('   ')).toEqual({ kind: 'empty' });
    expect(plainDecimal(0.1)).toBe('0.1');
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(1.5e21)).toBe('1500000000000000000000');
  });

  it('names an 18-digit number Excel has rounded, and a label not in the drop-down', async () => {
    const sheet = await readLeadSheet(
      await filled([{ ...ROW, 投资方统一社会信用代码: 913715001234567900, 项目类别: '新兴产业' }]),
    );
    const row = sheet.rows.find((candidate) => !candidate.isExample);
    expect(row?.cellProblems.map((problem) => problem.column).sort()).toEqual([
      '投资方统一社会信用代码',
      '项目类别',
    ]);
  });

  it('refuses a sheet whose headers are not the template’s (422, naming them)', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet(LEAD_SHEET_NAME).addRow(['项目', '金额']);
    const bytes = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const error = await readLeadSheet(bytes).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnprocessableContentError);
    expect((error as UnprocessableContentError).problems.map((problem) => problem.field)).toEqual(
      expect.arrayContaining(['专班', '项目名称', '项目']),
    );
  });

  it(`refuses more than ${LEAD_IMPORT_LIMITS.maxRows} data rows with 413 (the untouched example not counted)`, async () => {
    const rows = Array.from({ length: LEAD_IMPORT_LIMITS.maxRows }, (_, index) => ({
      ...ROW,
      项目名称: `项目${index}`,
    }));
    await expect(readLeadSheet(await filled(rows))).resolves.toBeDefined();
    await expect(readLeadSheet(await filled([...rows, ROW]))).rejects.toBeInstanceOf(PayloadTooLargeError);
  });
});

describe('checking the file before it is opened', () => {
  it('passes the template', async () => {
    await expect(inspectWorkbookFile(await leadImportTemplate())).resolves.toBeUndefined();
  });

  it('refuses a file that is not a zip with 415, and a zip that is no workbook with 415', async () => {
    await expect(inspectWorkbookFile(new TextEncoder().encode('项目名称,金额\n'))).rejects.toBeInstanceOf(
      UnsupportedMediaTypeError,
    );
    const notWorkbook = zipOf([{ name: 'readme.txt', data: new TextEncoder().encode('hello') }]);
    await expect(inspectWorkbookFile(notWorkbook)).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('refuses an encrypted workbook (an OLE compound file) with 422 saying it is encrypted', async () => {
    const error = await inspectWorkbookFile(compoundFileHeader()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnprocessableContentError);
    expect((error as UnprocessableContentError).text.zh).toContain('已加密');
    expect((error as UnprocessableContentError).text.en).toContain('encrypted');
  });

  it('refuses a zip bomb by its compression ratio and by its total size, before inflating it', async () => {
    const bomb = zipBomb(20);
    expect(bomb.byteLength).toBeLessThan(100 * 1024);
    await expect(inspectWorkbookFile(bomb)).rejects.toBeInstanceOf(PayloadTooLargeError);
    const lenient = { ...LEAD_IMPORT_LIMITS, maxCompressionRatio: 1_000_000 };
    await expect(inspectWorkbookFile(zipBomb(70), lenient)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('refuses a zip of too many entries, and a file over 5 MB, with 413', async () => {
    const many = zipOf(
      Array.from({ length: LEAD_IMPORT_LIMITS.maxZipEntries + 1 }, (_, index) => ({
        name: `xl/media/${index}.txt`,
        data: new Uint8Array(1),
      })),
    );
    await expect(inspectWorkbookFile(many)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(
      inspectWorkbookFile(new Uint8Array(LEAD_IMPORT_LIMITS.maxFileBytes + 1)),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
  });
});
