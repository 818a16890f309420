import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { LEAD_IMPORT_LIMITS, XLSX_CONTENT_TYPE } from '#shared/lead-import/import-limits.ts';
import { LEAD_SHEET_NAME, leadColumns } from '#shared/lead-import/lead-columns.ts';
import { makeValidResidentId } from '#test/fixtures/identifiers.ts';
import { api, cloud, eventually, randomUscc, tokenFor } from '#test/support/api.ts';
import { compoundFileHeader, zipBomb } from '#test/support/zip.ts';

/** POST /imports/leads, the template → filled → import → progress round trip, and the files refused. */

const SECTOR = 'culture_tourism';
const SECTOR_ZH = '文化旅游';
const HEADERS = leadColumns().map((column) => column.header);

type Answer = {
  importId: string;
  status: string;
  mode: string;
  rowCount: number;
  accepted: { row: number; leadId: string }[];
  refused: { row: number; status: number; errors: { column: string; field: string; message: string }[] }[];
  skipped: { row: number; reason: string }[];
};
type Problem = {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  rows?: Answer['refused'];
};

async function upload<T = Answer>(
  token: string,
  bytes: Uint8Array,
  options: { mode?: string; language?: string; contentType?: string } = {},
) {
  const response = await fetch(
    `${cloud.baseUrl}/imports/leads${options.mode ? `?mode=${options.mode}` : ''}`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': options.contentType ?? XLSX_CONTENT_TYPE,
        ...(options.language === undefined ? {} : { 'accept-language': options.language }),
      },
      body: Buffer.from(bytes),
    },
  );
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

async function template(token: string): Promise<{ bytes: Uint8Array; headers: Headers }> {
  const response = await fetch(`${cloud.baseUrl}/imports/leads/template`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return { bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

/** The template as a user fills it: rows appended below the example (cells by header). */
async function filledTemplate(
  base: Uint8Array,
  rows: readonly Record<string, unknown>[],
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base) as never);
  const sheet = workbook.getWorksheet(LEAD_SHEET_NAME);
  if (sheet === undefined) throw new Error('no lead sheet');
  for (const row of rows) sheet.addRow(HEADERS.map((header) => row[header] ?? null));
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

function row(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    专班: SECTOR_ZH,
    项目名称: `导入测试项目 ${randomUUID().slice(0, 8)}`,
    投资方名称: '聊城文旅投资有限公司',
    投资方统一社会信用代码: randomUscc(),
    引荐方类型: '龙头企业',
    引荐方名称: '山东文旅集团有限公司',
    引荐方统一社会信用代码: randomUscc(),
    '计划投资额（万元）': 15000,
    项目类别: '新型生产力培育',
    ...overrides,
  };
}

/** Every lead id the sector team sees (GET /leads, page after page). */
async function sectorLeadIds(token: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: { leadId: string }[]; nextCursor: string | null } } =
      await api('GET', `/leads?limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, {
        token,
      });
    expect(page.status).toBe(200);
    for (const lead of page.body.items) ids.add(lead.leadId);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return ids;
}

async function completed(token: string, importId: string) {
  return eventually(async () => {
    const view = await api<{ status: string; accepted: { leadId: string; created: boolean }[] }>(
      'GET',
      `/imports/leads/${importId}`,
      { token },
    );
    return view.body.status === 'COMPLETE' ? view : undefined;
  }, 30_000);
}

describe('lead import round trip', () => {
  it('template → filled → import → every lead created as given → the same file again creates nothing', async () => {
    const token = await tokenFor(`sector:${SECTOR}`);
    const colleague = await tokenFor(`sector:${SECTOR}`);
    const { bytes: base, headers } = await template(token);
    expect(headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
    expect(headers.get('content-disposition')).toContain(encodeURIComponent('线索导入模板.xlsx'));

    const residentId = makeValidResidentId('371502', '19800101', '123');
    const rows = [
      row({
        '实际投资额（万元）': '1.2亿',
        '申请基金额（万元）': 1000.5,
        市重大项目: '是',
        责任人姓名: '李四',
      }),
      row({
        项目名称: { richText: [{ text: '富文本' }, { text: `项目 ${randomUUID().slice(0, 6)}` }] },
        引荐方类型: '自然人',
        引荐方名称: '王五',
        引荐方统一社会信用代码: null,
        引荐方公民身份号码: residentId,
      }),
      // A formula counts by the value Excel saved with it.
      row({ '计划投资额（万元）': { formula: '10000+8000', result: 18000 }, 项目类别: 'other' }),
    ];
    const file = await filledTemplate(base, rows);
    const before = await sectorLeadIds(token);

    const first = await upload(token, file);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'QUEUED', mode: 'accept-valid', rowCount: 4, refused: [] });
    expect(first.body.skipped).toEqual([{ row: 2, reason: 'template_example' }]);
    expect(first.body.accepted.map((accepted) => accepted.row)).toEqual([3, 4, 5]);
    expect(first.headers.get('location')).toBe(`/imports/leads/${first.body.importId}`);

    const view = await completed(token, first.body.importId);
    expect(view.body.accepted.every((accepted) => accepted.created)).toBe(true);
    const [one, two, three] = first.body.accepted;
    const lead = await api<{ lead: Record<string, unknown>; sector: string }>(
      'GET',
      `/leads/${one?.leadId}`,
      {
        token,
      },
    );
    expect(lead.body.sector).toBe(SECTOR);
    expect(lead.body.lead).toMatchObject({
      projectName: rows[0]?.项目名称,
      plannedInvestment: 15_000_000_000,
      actualInvestment: 12_000_000_000,
      fundRequest: 1_000_500_000,
      category: 'new_productive_force',
      municipalMajorProject: true,
      responsibleOfficer: { name: '李四' },
    });
    const person = await api<{ lead: { projectName: string; introducer: Record<string, unknown> } }>(
      'GET',
      `/leads/${two?.leadId}`,
      { token },
    );
    expect(person.body.lead.projectName).toMatch(/^富文本项目 /);
    expect(person.body.lead.introducer).toMatchObject({ type: 'natural_person', name: '王五' });
    const formula = await api<{ lead: Record<string, unknown> }>('GET', `/leads/${three?.leadId}`, { token });
    expect(formula.body.lead).toMatchObject({ plannedInvestment: 18_000_000_000, category: 'other' });
    const created = await sectorLeadIds(token);
    expect(created.size - before.size).toBe(3);

    // A colleague of the same team uploads the very same file: the same import and leads, nothing new.
    const again = await upload(colleague, file);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.importId).toBe(first.body.importId);
    expect(again.body.accepted).toEqual(first.body.accepted);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await sectorLeadIds(token)).size).toBe(created.size);

    // Another sector's team neither reads this import nor learns it exists.
    const stranger = await tokenFor('sector:food');
    expect((await api('GET', `/imports/leads/${first.body.importId}`, { token: stranger })).status).toBe(404);
    expect((await api('GET', `/imports/leads/${first.body.importId}`, { token: colleague })).status).toBe(
      200,
    );
  });

  it('accepts the valid rows and lists the others by row, column header and message, in zh and in en', async () => {
    const token = await tokenFor(`sector:${SECTOR}`);
    const { bytes: base } = await template(token);
    const file = await filledTemplate(base, [
      row(),
      row({ 投资方统一社会信用代码: '91371500MA3C8K2L1X', 项目名称: null }),
      row({ 专班: '食品加工' }),
    ]);
    const zh = await upload(token, file);
    expect(zh.status).toBe(202);
    expect(zh.body.accepted.map((accepted) => accepted.row)).toEqual([3]);
    const [invalid, otherSector] = zh.body.refused;
    expect(invalid).toMatchObject({ row: 4, status: 400 });
    expect(invalid?.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ column: '项目名称', field: 'projectName', message: '必填' }),
        expect.objectContaining({
          column: '投资方统一社会信用代码',
          field: 'investor.uscc',
          message: expect.stringContaining('统一社会信用代码'),
        }),
      ]),
    );
    expect(otherSector).toMatchObject({ row: 5, status: 403, errors: [{ column: '专班', field: 'sector' }] });

    const en = await upload(token, file, { language: 'en' });
    expect(en.body.importId).toBe(zh.body.importId);
    expect(en.body.refused[0]?.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ column: '项目名称', message: 'is required' })]),
    );
  });

  it('all-or-nothing with one bad row: 422 naming the row and column, and nothing stored', async () => {
    const token = await tokenFor(`sector:${SECTOR}`);
    const { bytes: base } = await template(token);
    const file = await filledTemplate(base, [row(), row({ '计划投资额（万元）': '很多' })]);
    const before = await sectorLeadIds(token);
    const refused = await upload<Problem>(token, file, { mode: 'all-or-nothing' });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body.errors?.map((error) => error.field)).toEqual(['第4行 计划投资额（万元）']);
    expect(refused.body.rows).toEqual([
      expect.objectContaining({
        row: 4,
        status: 400,
        errors: [expect.objectContaining({ field: 'plannedInvestment' })],
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await sectorLeadIds(token)).size).toBe(before.size);
  });
});

describe('files refused before anything is read, with nothing stored', () => {
  it('refuses a non-xlsx, an encrypted workbook, over 5 MB, over 1,000 rows, a zip bomb and an unsaved formula', async () => {
    const token = await tokenFor(`sector:${SECTOR}`);
    const { bytes: base } = await template(token);
    const before = await sectorLeadIds(token);

    const text = await upload<Problem>(token, new TextEncoder().encode('项目名称,金额\n'));
    expect(text.status).toBe(415);
    const wrongType = await upload<Problem>(token, base, { contentType: 'text/csv' });
    expect(wrongType.status).toBe(415);

    const encrypted = await upload<Problem>(token, compoundFileHeader(), { language: 'en' });
    expect(encrypted.status).toBe(422);
    expect(encrypted.body.detail).toMatch(/encrypted/);

    const tooBig = await upload<Problem>(token, new Uint8Array(LEAD_IMPORT_LIMITS.maxFileBytes + 1));
    expect(tooBig.status).toBe(413);

    const tooMany = await filledTemplate(
      base,
      Array.from({ length: LEAD_IMPORT_LIMITS.maxRows + 1 }, (_, index) =>
        row({ 项目名称: `项目 ${index}` }),
      ),
    );
    const rows = await upload<Problem>(token, tooMany);
    expect(rows.status).toBe(413);
    expect(rows.body.detail).toContain(String(LEAD_IMPORT_LIMITS.maxRows));

    const bomb = await upload<Problem>(token, zipBomb(200));
    expect(bomb.status).toBe(413);

    const unsaved = await upload<Problem>(
      token,
      await filledTemplate(base, [row({ 项目名称: { formula: 'A1&B1' } })]),
    );
    expect(unsaved.status).toBe(422);
    expect(unsaved.body.rows?.[0]?.errors).toEqual([expect.objectContaining({ column: '项目名称' })]);

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await sectorLeadIds(token)).size).toBe(before.size);
  });

  it('is for sector teams only', async () => {
    const finance = await tokenFor('finance');
    expect((await upload<Problem>(finance, new Uint8Array(10))).status).toBe(403);
    expect((await api('GET', '/imports/leads/template', { token: finance })).status).toBe(403);
  });
});
