import { describe, expect, it } from 'vitest';
import { type Column, excelSerialOf, wanYuanText, xmlSafeText } from '#shared/sheets/columns.ts';
import { csvText, writeCsv } from '#shared/sheets/csv.ts';
import { AMOUNT_FORMAT, columnLetter, writeLedgerSheet } from '#shared/sheets/ledger-sheet.ts';
import { parseCsv, readSheet } from '#test/support/ooxml-reader.ts';

interface Row {
  name: string;
  fen: number;
  count: number;
  day: string;
}

const columns: readonly Column<Row>[] = [
  { header: '项目名称', en: 'Project', kind: 'text', value: (row) => row.name },
  { header: '金额', en: 'Amount', kind: 'amount', value: (row) => row.fen },
  { header: '件数', en: 'Count', kind: 'count', value: (row) => row.count, total: true },
  { header: '日期', en: 'Date', kind: 'date', value: (row) => row.day },
];

const DANGEROUS = ['=1+1', '@SUM(A1)', '-2+3', '+1', '\tTAB', '\rCR', '=HYPERLINK("http://x")'];

async function* slowly(rows: readonly Row[]): AsyncIterable<Row> {
  for (const row of rows) {
    await Promise.resolve();
    yield row;
  }
}

const rows: Row[] = [
  ...DANGEROUS.map((name, i) => ({ name, fen: 1 + i, count: 1, day: '2026-01-31' })),
  // 0.1 + 0.2 in 万元 is not 0.3 as a float: the 合计 must come from the fen.
  { name: '甲', fen: 100_000, count: 2, day: '2026-02-01' },
  { name: '乙', fen: 200_000, count: 3, day: '2026-02-02' },
];
const totalFen = rows.reduce((sum, row) => sum + row.fen, 0);

describe('the ledger sheet', () => {
  it('writes title, unit line, 单位：万元, a frozen header, an autofilter and an exact 合计, with no formula anywhere', async () => {
    const bytes = await writeLedgerSheet(
      { title: '测试台账', unit: '某专班', date: '2026-03-01', sheetName: '台账', columns },
      slowly(rows),
    );
    const sheet = await readSheet(bytes);
    expect(sheet.cell('A1')?.text).toBe('测试台账');
    expect(sheet.cell('A2')?.text).toBe('填报单位：某专班    日期：2026-03-01');
    expect(sheet.cell('A3')?.text).toBe('单位：万元');
    expect(sheet.row(4).map((cell) => cell.text)).toEqual(['项目名称', '金额', '件数', '日期']);
    expect(sheet.sheetXml).toMatch(/<pane [^>]*ySplit="4"[^>]*state="frozen"/);
    const lastData = 4 + rows.length;
    expect(sheet.sheetXml).toContain(`<autoFilter ref="A4:D${lastData}"`);
    expect(sheet.sheetXml).toContain('<mergeCell ref="A1:D1"/>');
    for (const part of sheet.parts.values()) expect(part).not.toMatch(/<f[\s>]/);

    const total = sheet.row(lastData + 1);
    expect(total[0]?.text).toBe('合计');
    expect(Number(total[1]?.text)).toBe(totalFen / 1_000_000);
    expect(Number(total[2]?.text)).toBe(rows.length + 3);
    expect(sheet.formatOf(total[1]?.style ?? 0)).toBe(AMOUNT_FORMAT);

    const first = sheet.row(5);
    expect(first[0]?.type).toBe('s');
    expect(first[1]?.type).toBeUndefined();
    expect(Number(first[1]?.text)).toBe(1 / 1_000_000);
    expect(sheet.formatOf(first[1]?.style ?? 0)).toBe(AMOUNT_FORMAT);
    expect(Number(first[3]?.text)).toBe(excelSerialOf('2026-01-31'));
    expect(sheet.formatOf(first[3]?.style ?? 0)).toBe('yyyy-mm-dd');
    expect(sheet.formatOf(first[0]?.style ?? 0)).toMatch(/^(@|builtin:49)$/);
  });

  it('stores text that looks like a formula as text, exactly as given', async () => {
    const bytes = await writeLedgerSheet(
      { title: 't', unit: 'u', date: '2026-03-01', sheetName: 's', columns },
      rows,
    );
    const sheet = await readSheet(bytes);
    const names = sheet.cells.filter(
      (cell) => cell.column === 'A' && cell.row >= 5 && cell.row < 5 + DANGEROUS.length,
    );
    expect(names.map((cell) => cell.type)).toEqual(DANGEROUS.map(() => 's'));
    expect(names.map((cell) => cell.text)).toEqual(DANGEROUS);
  });

  it('lists each column in both languages on the 说明 sheet', async () => {
    const bytes = await writeLedgerSheet(
      { title: 't', unit: 'u', date: '2026-03-01', sheetName: 's', columns },
      [],
    );
    const notes = await readSheet(bytes, 'xl/worksheets/sheet2.xml');
    expect(notes.row(3).map((cell) => cell.text)).toEqual(['金额', 'Amount', '金额（万元）']);
    const sheet = await readSheet(bytes);
    expect(sheet.sheetXml).toContain('<autoFilter ref="A4:D4"');
    expect(sheet.row(5)[0]?.text).toBe('合计');
  });
});

describe('the CSV writer', () => {
  it('writes a BOM, CRLF records, quoted text with formula starts prefixed, exact 万元 decimals', async () => {
    const bytes = await writeCsv(columns, slowly(rows));
    const text = Buffer.from(bytes).toString('utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const records = parseCsv(text.slice(1));
    expect(records[0]).toEqual(['项目名称', '金额（万元）', '件数', '日期']);
    expect(records.slice(1, 1 + DANGEROUS.length).map((record) => record[0])).toEqual(
      DANGEROUS.map((name) => `'${name}`),
    );
    expect(records[1]?.slice(1)).toEqual(['0.000001', '1', '2026-01-31']);
    expect(records.at(-1)).toEqual(['乙', '0.20', '3', '2026-02-02']);
    expect(records).toHaveLength(rows.length + 1);
  });

  it('quotes commas, quotes and line breaks inside text', () => {
    expect(csvText('a,"b"\r\nc')).toBe('"a,""b""\r\nc"');
    expect(parseCsv(`${csvText('a,"b"\r\nc')}\r\n`)).toEqual([['a,"b"\r\nc']]);
  });
});

describe('the helpers', () => {
  it('convert fen to exact 万元 text, day serials and column letters', () => {
    expect(wanYuanText(2_400_000_000)).toBe('2400.00');
    expect(wanYuanText(1)).toBe('0.000001');
    expect(wanYuanText(-1_234_567)).toBe('-1.234567');
    expect(excelSerialOf('1900-03-01')).toBe(61);
    expect(excelSerialOf('2026-01-01')).toBe(46023);
    expect([1, 26, 27, 52].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ']);
  });

  it('keeps text XML can carry and escapes what readers would decode', () => {
    expect(xmlSafeText('a\u0001b')).toBe('a\ufffdb');
    expect(xmlSafeText('_x0041_')).toBe('_x005F_x0041_');
    expect(xmlSafeText('\t=1')).toBe('\t=1');
  });
});
