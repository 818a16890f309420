import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Adapters } from '#shared/adapters/composition.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { parseIdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import { LEAD_SHEET_NAME, leadColumns } from '#shared/lead-import/lead-columns.ts';
import { leadImportTemplate } from '#shared/lead-import/lead-template.ts';
import type { LeadImportQueue, LeadImportStore } from '#shared/ports/lead-imports.ts';
import type { CreateImportedLeadsMessage } from '#shared/schemas/lead-import.ts';
import {
  type CreateImportedLeadsDeps,
  createImportedLeads,
} from '#shared/use-cases/create-imported-leads.ts';
import { getImport, type ImportLeadsDeps, importLeads } from '#shared/use-cases/import-leads.ts';
import { randomUscc, useLocalCloudEnv } from '#test/support/api.ts';
import { plus, reconcileAt } from '../reconcile/reconcile-support.ts';

/**
 * The import worker on the local engines: a crash between rows, a redelivered hint, two workers at once
 * and a lost hint found by the reconciler each end with every lead created exactly once.
 */

const SECTOR = 'logistics';
const HEADERS = leadColumns().map((column) => column.header);
// Earlier than anything other test files leave waiting, so a reconciler round at these instants finds ours.
const UPLOADED_AT = '2019-04-01T02:00:00.000Z';

let adapters: Adapters;
let imports: LeadImportStore;

beforeAll(async () => {
  useLocalCloudEnv();
  const { productionAdapters } = await import('#shared/adapters/composition.ts');
  const { leadImportStores } = await import('#shared/adapters/lead-import-adapters.ts');
  adapters = productionAdapters();
  imports = leadImportStores(adapters.config).imports;
});

/** A hint queue that loses every hint (kept here to look at): the worker runs only when a test says so. */
function lostHints() {
  const sent: CreateImportedLeadsMessage[] = [];
  const queue: LeadImportQueue = { send: async (message) => void sent.push(message) };
  return { sent, queue };
}

async function fileOf(rowCount: number): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await leadImportTemplate()) as never);
  const sheet = workbook.getWorksheet(LEAD_SHEET_NAME);
  if (sheet === undefined) throw new Error('no lead sheet');
  sheet.spliceRows(2, 1);
  for (let index = 0; index < rowCount; index += 1) {
    const cells: Record<string, unknown> = {
      专班: SECTOR,
      项目名称: `导入工作者测试 ${randomUUID().slice(0, 8)}`,
      投资方名称: '聊城物流投资有限公司',
      投资方统一社会信用代码: randomUscc(),
      引荐方类型: '无引荐方',
      '计划投资额（万元）': 8000 + index,
      项目类别: '其他',
    };
    sheet.addRow(HEADERS.map((header) => cells[header] ?? null));
  }
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

async function uploaded(rowCount: number, queue: LeadImportQueue) {
  const principal: Principal = { userId: `officer-${randomUUID().slice(0, 8)}`, roles: [`sector:${SECTOR}`] };
  const deps: ImportLeadsDeps = {
    imports,
    importQueue: queue,
    identifierKeys: adapters.identifierKeys,
    clock: { now: () => new Date(UPLOADED_AT) },
  };
  const answer = await importLeads(deps, { principal, bytes: await fileOf(rowCount), mode: 'accept-valid' });
  expect(answer.accepted).toHaveLength(rowCount);
  return { ...answer, principal };
}

function workerDeps(store: LeadImportStore = imports): CreateImportedLeadsDeps {
  return { ...adapters, imports: store };
}

/** The store, except that settling a row fails from the `failAt`-th time on (a crash after the lead was made). */
function crashingAfter(failAt: number): LeadImportStore {
  let settled = 0;
  return new Proxy(imports, {
    get(target, property) {
      if (property === 'rowSettled') {
        return async (...args: Parameters<LeadImportStore['rowSettled']>) => {
          settled += 1;
          if (settled >= failAt) throw new Error('crash: the worker died after creating the lead');
          return target.rowSettled(...args);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** How many times the audit trail recorded each lead's intake. */
async function intakesOf(leadIds: readonly string[]): Promise<number[]> {
  return Promise.all(
    leadIds.map(async (leadId) => {
      const page = await adapters.audit.query({ subject: leadId, limit: 100 });
      return page.entries.filter((entry) => entry.action === 'lead.received').length;
    }),
  );
}

describe('creating the leads of an import', () => {
  it('after a crash between rows, runs again from where it stopped: every lead once, none lost', async () => {
    const { importId, accepted, principal } = await uploaded(4, lostHints().queue);
    await expect(createImportedLeads(workerDeps(crashingAfter(2)), importId)).rejects.toThrow(/crash/);

    const halfway = await getImport({ imports }, { principal, importId });
    expect(halfway.status).toBe('QUEUED');
    expect(halfway.accepted.map((row) => row.created)).toEqual([true, true, false, false]);

    expect(await createImportedLeads(workerDeps(), importId)).toBe('complete');
    // The same hint delivered again once it is done: nothing changes.
    expect(await createImportedLeads(workerDeps(), importId)).toBe('complete');
    const done = await getImport({ imports }, { principal, importId });
    expect(done.status).toBe('COMPLETE');
    expect(done.accepted.every((row) => row.created)).toBe(true);
    const leadIds = accepted.map((row) => row.leadId);
    expect(await intakesOf(leadIds)).toEqual([1, 1, 1, 1]);
    for (const leadId of leadIds) expect((await adapters.leads.get(leadId))?.sector).toBe(SECTOR);
  });

  it('two workers on the same import at once (a redelivered hint) create each lead once', async () => {
    const { importId, accepted } = await uploaded(5, lostHints().queue);
    const outcomes = await Promise.all([
      createImportedLeads(workerDeps(), importId),
      createImportedLeads(workerDeps(), importId),
    ]);
    expect(outcomes).toEqual(['complete', 'complete']);
    expect(await intakesOf(accepted.map((row) => row.leadId))).toEqual([1, 1, 1, 1, 1]);
  });

  it('pauses between rows when told to (its time running out) and goes on from there on the next hint', async () => {
    const { importId, accepted, principal } = await uploaded(3, lostHints().queue);
    let rowsStarted = 0;
    const pausing = { shouldPause: () => rowsStarted++ >= 1 };
    expect(await createImportedLeads(workerDeps(), importId, pausing)).toBe('paused');
    expect(
      (await getImport({ imports }, { principal, importId })).accepted.map((row) => row.created),
    ).toEqual([true, false, false]);
    expect(await createImportedLeads(workerDeps(), importId)).toBe('complete');
    expect(await intakesOf(accepted.map((row) => row.leadId))).toEqual([1, 1, 1]);
  });

  it('answers the same import for the same file after the identifier key was rotated', async () => {
    const principal: Principal = { userId: 'officer-rotation', roles: [`sector:${SECTOR}`] };
    const bytes = await fileOf(1);
    const withKey = (keyring: string): ImportLeadsDeps => ({
      imports,
      importQueue: lostHints().queue,
      identifierKeys: { keyring: async () => parseIdentifierKeyring(keyring) },
      clock: { now: () => new Date(UPLOADED_AT) },
    });
    const k1 = 'a'.repeat(40);
    const first = await importLeads(withKey(JSON.stringify({ current: 'k1', k1 })), {
      principal,
      bytes,
      mode: 'accept-valid',
    });
    const rotated = JSON.stringify({ current: 'k2', k1, k2: 'b'.repeat(40) });
    const again = await importLeads(withKey(rotated), { principal, bytes, mode: 'accept-valid' });
    expect(again.replayed).toBe(true);
    expect(again.importId).toBe(first.importId);
    expect(again.accepted).toEqual(first.accepted);
    await createImportedLeads(workerDeps(), first.importId);
  });

  it('the reconciler sends the hint again for an import left waiting too long, and no more once it is done', async () => {
    const lost = lostHints();
    const { importId } = await uploaded(1, lost.queue);
    expect(lost.sent).toEqual([{ schemaVersion: 1, importId }]);
    const resent = lostHints();
    const pendingImports = { imports, importQueue: resent.queue };

    const early = await reconcileAt({ ...adapters, pendingImports }, plus(UPLOADED_AT, 30));
    expect(early.imports).toMatchObject({ due: 0 });
    const late = await reconcileAt({ ...adapters, pendingImports }, plus(UPLOADED_AT, 120));
    expect(late.imports?.resent).toBeGreaterThanOrEqual(1);
    expect(resent.sent).toContainEqual({ schemaVersion: 1, importId });

    for (const message of resent.sent) await createImportedLeads(workerDeps(), message.importId);
    const after = lostHints();
    const settled = await reconcileAt(
      { ...adapters, pendingImports: { imports, importQueue: after.queue } },
      plus(UPLOADED_AT, 7200),
    );
    expect(after.sent).not.toContainEqual({ schemaVersion: 1, importId });
    expect(settled.imports?.oldestAgeSeconds).toBe(0);
  });
});
