/**
 * The exports over HTTP on the local cloud, each in both formats, read back by a reader that is not
 * exceljs (test/support/ooxml-reader.ts: yauzl and the raw OOXML parts; a small RFC 4180 CSV reader).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { leadStores } from '#shared/adapters/lead-adapters.ts';
import { PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';
import {
  api,
  cloud,
  freshLead,
  randomUscc,
  submit,
  tokenFor,
  useLocalCloudEnv,
  waitForEvaluation,
} from '#test/support/api.ts';
import { type OoxmlSheet, parseCsv, readSheet } from '#test/support/ooxml-reader.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DANGEROUS = ['=1+1', '@SUM(A1)', '-2+3'];

async function download(path: string, token: string) {
  const response = await fetch(`${cloud.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    text: Buffer.from(bytes).toString('utf8'),
  };
}

function fileNameOf(headers: Headers): string {
  const star = /filename\*=UTF-8''([^;]+)/.exec(headers.get('content-disposition') ?? '')?.[1] ?? '';
  return decodeURIComponent(star);
}

/** Sheet invariants every export keeps: frozen header, autofilter over it, no formula in any part. */
function expectSheetShape(sheet: OoxmlSheet, headerRow: number, headers: readonly string[]) {
  expect(sheet.row(headerRow).map((cell) => cell.text)).toEqual(headers);
  expect(sheet.sheetXml).toMatch(new RegExp(`<pane [^>]*ySplit="${headerRow}"[^>]*state="frozen"`));
  expect(sheet.sheetXml).toMatch(new RegExp(`<autoFilter ref="A${headerRow}:[A-Z]+\\d+"`));
  for (const [name, part] of sheet.parts) expect(part, name).not.toMatch(/<f[\s>]/);
  for (const cell of sheet.cells) expect(cell.type === undefined || cell.type === 's', cell.ref).toBe(true);
}

/** The amount cells of a column, as integer fen (the cell holds fen / 1,000,000 exactly). */
const fenOf = (text: string) => Math.round(Number(text) * 1_000_000);

let finance: string;
let auditor: string;

beforeAll(async () => {
  [finance, auditor] = await Promise.all([
    tokenFor('finance', 'fin-export-approver'),
    tokenFor('auditor', 'aud-export'),
  ]);
});

describe('GET /rewards/export, the payment list', () => {
  const leadIds = new Map<string, string>();

  beforeAll(async () => {
    const sector = await tokenFor('sector:new_energy', `officer-${randomUUID().slice(0, 6)}`);
    for (const name of [...DANGEROUS, '自然人引荐项目']) {
      const lead = freshLead('new_energy', {
        projectName: name === '自然人引荐项目' ? `${name} ${randomUUID().slice(0, 6)}` : name,
        investor: { name: `投资方 ${randomUUID().slice(0, 6)}`, uscc: randomUscc() },
        introducer: { type: 'natural_person', name: '张三', residentId: PERSON_RESIDENT_ID },
        fundRequest: undefined,
      });
      const leadId = await submit(sector, lead);
      await waitForEvaluation(sector, leadId);
      leadIds.set(name, leadId);
    }
    // Approval and payment are written through the store, as finance's commands write them: this file
    // tests the export of what they leave, not their rules (test/e2e/fund-review.test.ts does).
    useLocalCloudEnv();
    const { leads } = leadStores();
    const paidId = leadIds.get('自然人引荐项目') ?? '';
    for (const leadId of leadIds.values()) {
      const decided = { userId: 'fin-export-approver', role: 'finance' };
      const at = new Date().toISOString();
      const review = {
        leadId,
        state: 'APPROVED' as const,
        revision: 1,
        rewardFen: 240_000_000,
        fundFen: 0,
        decidedBy: decided,
        decidedAt: at,
        note: null,
        payment: null,
      };
      const audit = (action: string) => ({
        at,
        actor: decided,
        action,
        subject: leadId,
        inputHash: null,
        policyVersion: null,
        details: {},
      });
      const approved = await leads.transition(
        {
          leadId,
          revision: 1,
          fromStatus: 'PENDING_FINANCE',
          toStatus: 'APPROVED',
          at,
          review: { before: undefined, after: review },
        },
        audit('reward.approved'),
      );
      expect(approved).toBe('applied');
      if (leadId !== paidId) continue;
      const paid = {
        ...review,
        state: 'PAID' as const,
        payment: {
          reference: '=PAY(1)',
          paidBy: { userId: 'fin-export-payer', role: 'finance' },
          paidAt: at,
        },
      };
      const paying = await leads.transition(
        {
          leadId,
          revision: 1,
          fromStatus: 'APPROVED',
          toStatus: 'PAID',
          at,
          review: { before: review, after: paid },
        },
        audit('reward.paid'),
      );
      expect(paying).toBe('applied');
    }
  });

  it('answers the approved rewards as a sheet: formula-looking names as text, IDs masked, an exact 合计', async () => {
    const answer = await download('/rewards/export?status=APPROVED&format=xlsx', finance);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(XLSX);
    expect(fileNameOf(answer.headers)).toMatch(/^奖励支付清单-APPROVED-不限-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const sheet = await readSheet(answer.bytes);
    expect(sheet.cell('A3')?.text).toBe('单位：万元');
    expect(sheet.cell('A2')?.text).toMatch(/^填报单位：.+ {4}日期：\d{4}-\d{2}-\d{2}$/);
    const header = sheet.row(4).map((cell) => cell.text);
    expectSheetShape(sheet, 4, header);
    expect(header).toEqual(
      expect.arrayContaining(['项目名称', '引荐方证件号（脱敏）', '奖励金额', '审批人', '支付凭证号']),
    );
    const column = (name: string) => String.fromCharCode(65 + header.indexOf(name));

    const rows = sheet.cells.filter(
      (cell) => cell.row > 4 && cell.column === 'A' && cell.text.startsWith('ld_'),
    );
    for (const name of DANGEROUS) {
      const row = rows.find((cell) => cell.text === leadIds.get(name))?.row;
      const project = sheet.cell(`${column('项目名称')}${row}`);
      expect(project?.type).toBe('s');
      expect(project?.text).toBe(name);
      expect(sheet.cell(`${column('引荐方证件号（脱敏）')}${row}`)?.text).toBe(
        `${PERSON_RESIDENT_ID.slice(0, 6)}${'*'.repeat(10)}${PERSON_RESIDENT_ID.slice(16)}`,
      );
      const amount = sheet.cell(`${column('奖励金额')}${row}`);
      expect(amount?.type).toBeUndefined();
      expect(fenOf(amount?.text ?? '')).toBe(240_000_000);
      expect(sheet.formatOf(amount?.style ?? 0)).toBe('#,##0.00####');
      expect(sheet.cell(`${column('审批人')}${row}`)?.text).toBe('fin-export-approver');
    }
    // The 合计 row follows the last data row and equals the sum of every amount above it, in fen.
    const lastRow = Math.max(...rows.map((cell) => cell.row));
    expect(sheet.cell(`A${lastRow + 1}`)?.text).toBe('合计');
    const amounts = sheet.cells.filter(
      (cell) => cell.column === column('奖励金额') && cell.row > 4 && cell.row <= lastRow,
    );
    const totalFen = amounts.reduce((sum, cell) => sum + fenOf(cell.text), 0);
    expect(Number(sheet.cell(`${column('奖励金额')}${lastRow + 1}`)?.text)).toBe(totalFen / 1_000_000);
    expect(sheet.sheetXml).toContain(
      `<autoFilter ref="A4:${String.fromCharCode(64 + header.length)}${lastRow}"/>`,
    );
    expect(answer.text).not.toContain(PERSON_RESIDENT_ID);
    for (const part of sheet.parts.values()) expect(part).not.toContain(PERSON_RESIDENT_ID);
  });

  it('answers the paid rewards as CSV: BOM, CRLF, formula starts prefixed, masked IDs, the payment reference', async () => {
    const answer = await download('/rewards/export?status=PAID&format=csv', finance);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(fileNameOf(answer.headers)).toMatch(/^奖励支付清单-PAID-不限-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(answer.text.startsWith('\ufeff')).toBe(true);
    expect(answer.text).not.toContain(PERSON_RESIDENT_ID);
    const [header = [], ...rows] = parseCsv(answer.text.slice(1));
    expect(header).toContain('奖励金额（万元）');
    const mine = rows.find((row) => row[0] === leadIds.get('自然人引荐项目'));
    expect(mine?.[header.indexOf('奖励金额（万元）')]).toBe('240.00');
    expect(mine?.[header.indexOf('支付凭证号')]).toBe("'=PAY(1)");
    expect(mine?.[header.indexOf('支付经办人')]).toBe('fin-export-payer');
    expect(mine?.[header.indexOf('引荐方证件号（脱敏）')]).toMatch(/^371502\*{10}[0-9X]{2}$/);
  });

  it('lists formula-looking project names prefixed in the CSV of approved rewards', async () => {
    const answer = await download('/rewards/export?status=APPROVED&format=csv', finance);
    const [header = [], ...rows] = parseCsv(answer.text.slice(1));
    const project = header.indexOf('项目名称');
    for (const name of DANGEROUS) {
      expect(rows.find((row) => row[0] === leadIds.get(name))?.[project]).toBe(`'${name}`);
    }
  });

  it('refuses a bad format, a status it does not export and a period that ends before it starts, naming each', async () => {
    const fields = async (query: string) =>
      (
        await api<{ errors?: { field: string }[] }>('GET', `/rewards/export?${query}`, { token: finance })
      ).body.errors?.map((error) => error.field);
    expect(await fields('status=PAID&format=pdf')).toEqual(['format']);
    expect(await fields('status=PENDING_FINANCE')).toEqual(['status']);
    expect(await fields('status=PAID&from=2026-02-01&to=2026-01-31')).toEqual(['from']);
    expect((await api('GET', '/rewards/export?status=PAID', { token: auditor })).status).toBe(403);
  });
});

describe('GET /audit/export, the audit extract', () => {
  it('states the verification and the digest above the entries in the sheet, and in headers for both formats', async () => {
    const digest = await api<{ chain: string; seq: number; hash: string }>('GET', '/audit/digest', {
      token: auditor,
    });
    const sheetAnswer = await download('/audit/export?format=xlsx', auditor);
    expect(sheetAnswer.status).toBe(200);
    expect(fileNameOf(sheetAnswer.headers)).toMatch(/^审计摘录-不限-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(sheetAnswer.headers.get('audit-verification')).toMatch(/^ok; checked=\d+; headSeq=\d+$/);
    const sheet = await readSheet(sheetAnswer.bytes);
    expect(sheet.cell('A3')?.text).toMatch(/^校验结果：通过/);
    expect(sheet.cell('A4')?.text).toMatch(/^摘要：链 \S+，序号 \d+，哈希 [0-9a-f]{64}/);
    const header = sheet.row(5).map((cell) => cell.text);
    expectSheetShape(sheet, 5, header);
    expect(header).toEqual(expect.arrayContaining(['序号', '操作', '对象', '前一哈希', '哈希']));
    const hash = String.fromCharCode(65 + header.indexOf('哈希'));
    const seq = sheet.cell('A6');
    expect(seq?.type).toBeUndefined();
    expect(Number(seq?.text)).toBeGreaterThan(0);
    expect(sheet.cell(`${hash}6`)?.text).toMatch(/^[0-9a-f]{64}$/);
    // The digest is the newest global one over every chain's head (issue 18), or a later one.
    expect(sheet.cell('A4')?.text).toContain(`链 ${digest.body.chain}`);
    expect(Number(/序号 (\d+)/.exec(sheet.cell('A4')?.text ?? '')?.[1])).toBeGreaterThanOrEqual(
      digest.body.seq,
    );

    const csv = await download('/audit/export?format=csv&from=2000-01-01', auditor);
    expect(csv.headers.get('audit-verification')).toMatch(/^ok; /);
    expect(csv.headers.get('audit-digest')).toMatch(/^chain=\S+; seq=\d+; hash=[0-9a-f]{64}; takenAt=/);
    const [csvHeader = [], ...rows] = parseCsv(csv.text.slice(1));
    expect(csvHeader).toEqual(header);
    expect(rows.length).toBeGreaterThan(0);
    expect(csv.text).not.toContain(PERSON_RESIDENT_ID);
  });

  it('filters by subject and refuses a period that ends before it starts', async () => {
    const sector = await tokenFor('sector:food', `officer-${randomUUID().slice(0, 6)}`);
    const leadId = await submit(sector, freshLead('food'));
    await waitForEvaluation(sector, leadId);
    const csv = await download(`/audit/export?format=csv&subject=${leadId}`, auditor);
    const [header = [], ...rows] = parseCsv(csv.text.slice(1));
    const subject = header.indexOf('对象');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row[subject] === leadId)).toBe(true);
    const bad = await api<{ errors?: { field: string }[] }>(
      'GET',
      '/audit/export?from=2026-02-01&to=2026-01-01',
      {
        token: auditor,
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((error) => error.field)).toEqual(['from']);
    expect((await api('GET', '/audit/export', { token: finance })).status).toBe(403);
  });
});

/** Registers a project as the admin and gives it an annual plan for `year`; answers the plan's fen. */
async function plannedProject(name: string, sector: string, year: number, annual: string): Promise<number> {
  const admin = await tokenFor('admin');
  const created = await api<{ projectId: string }>('POST', '/projects', {
    token: admin,
    body: {
      name,
      sector,
      kind: 'continued',
      team: { leader: '刘建华', department: '经济发展局', township: '蒋官屯街道', commissioner: '王磊' },
      stage: 'signed',
      stageOn: '2021-01-05',
      investor: { name: '测试投资有限公司', uscc: randomUscc() },
      totalInvestment: '3亿',
      category: 'old_capacity_upgrade',
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const plan = await api<{ annualFen: number }>('PUT', `/projects/${created.body.projectId}/plans/${year}`, {
    token: admin,
    body: { annual },
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  return plan.body.annualFen;
}

describe('GET /reports/monthly?format=', () => {
  it('answers the 月度台账 as a sheet and as CSV: names as text, amounts in 万元 with an exact 合计', async () => {
    const plans = ['100.01', '0.01', '12345678.90', '3亿'];
    const names = [...DANGEROUS, `文旅项目 ${randomUUID().slice(0, 6)}`];
    let expectedFen = 0;
    for (const [index, name] of names.entries()) {
      expectedFen += await plannedProject(name, 'culture_tourism', 2033, plans[index] ?? '1');
    }
    const query = 'month=2033-06&sector=culture_tourism';
    const json = await api<{ rows: unknown[] }>('GET', `/reports/monthly?${query}`, { token: finance });
    expect(json.status).toBe(200);
    expect(json.body.rows).toHaveLength(names.length);

    const answer = await download(`/reports/monthly?${query}&format=xlsx`, finance);
    expect(answer.status).toBe(200);
    expect(fileNameOf(answer.headers)).toBe('月度台账-2033-06.xlsx');
    const sheet = await readSheet(answer.bytes);
    expect(sheet.cell('A2')?.text).toMatch(/^填报单位：文化旅游专班 {4}日期：/);
    const header = sheet.row(4).map((cell) => cell.text);
    expectSheetShape(sheet, 4, header);
    const annual = String.fromCharCode(65 + header.indexOf('全年计划投资'));
    const nameColumn = String.fromCharCode(65 + header.indexOf('项目名称'));
    const dataRows = [5, 6, 7, 8];
    expect(dataRows.map((row) => sheet.cell(`${nameColumn}${row}`)?.text).sort()).toEqual([...names].sort());
    expect(dataRows.map((row) => sheet.cell(`${nameColumn}${row}`)?.type)).toEqual(['s', 's', 's', 's']);
    expect(sheet.cell('A9')?.text).toBe('合计');
    expect(Number(sheet.cell(`${annual}9`)?.text)).toBe(expectedFen / 1_000_000);
    expect(sheet.formatOf(sheet.cell(`${annual}9`)?.style ?? 0)).toBe('#,##0.00####');

    const csv = await download(`/reports/monthly?${query}&format=csv`, finance);
    expect(fileNameOf(csv.headers)).toBe('月度台账-2033-06.csv');
    const [csvHeader = [], ...rows] = parseCsv(csv.text.slice(1));
    expect(csvHeader).toContain('全年计划投资（万元）');
    const csvNames = rows.map((row) => row[csvHeader.indexOf('项目名称')]);
    for (const name of DANGEROUS) expect(csvNames).toContain(`'${name}`);
    expect(rows).toHaveLength(names.length);

    const bad = await api<{ errors?: { field: string }[] }>('GET', `/reports/monthly?${query}&format=pdf`, {
      token: finance,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((error) => error.field)).toEqual(['format']);
  });

  it('answers the same rows as the JSON report, in its order, across sectors', async () => {
    // Registered out of the catalogue's order: the ledger lists 智能光电信息 before 文化旅游.
    const sectors = ['culture_tourism', 'optoelectronics', 'culture_tourism', 'optoelectronics'];
    for (const [index, sector] of sectors.entries()) {
      await plannedProject(`跨专班项目 ${index} ${randomUUID().slice(0, 6)}`, sector, 2037, '10');
    }
    const json = await api<{ rows: { name: string }[] }>('GET', '/reports/monthly?month=2037-03', {
      token: finance,
    });
    expect(json.status).toBe(200);
    const jsonNames = json.body.rows.map((row) => row.name);
    expect(jsonNames.length).toBeGreaterThanOrEqual(sectors.length);
    expect(jsonNames.findIndex((name) => name.startsWith('跨专班项目 1'))).toBeLessThan(
      jsonNames.findIndex((name) => name.startsWith('跨专班项目 0')),
    );

    const csv = await download('/reports/monthly?month=2037-03&format=csv', finance);
    const [csvHeader = [], ...rows] = parseCsv(csv.text.slice(1));
    expect(rows.map((row) => row[csvHeader.indexOf('项目名称')])).toEqual(jsonNames);

    const sheet = await readSheet(
      (await download('/reports/monthly?month=2037-03&format=xlsx', finance)).bytes,
    );
    const header = sheet.row(4).map((cell) => cell.text);
    const nameColumn = String.fromCharCode(65 + header.indexOf('项目名称'));
    const sheetNames = jsonNames.map((_, index) => sheet.cell(`${nameColumn}${5 + index}`)?.text);
    expect(sheetNames).toEqual(jsonNames);
    expect(sheet.cell(`A${5 + jsonNames.length}`)?.text).toBe('合计');
  });
});
