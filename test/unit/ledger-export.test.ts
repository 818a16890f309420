import { beforeAll, describe, expect, it } from 'vitest';
import { applyDemoProjects } from '#infra/local/demo-project-seeder.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { exportMonthlyLedger } from '#shared/use-cases/exports/monthly-ledger-export.ts';
import { monthlyReport } from '#shared/use-cases/projects/project-reports.ts';
import { MemoryProjectStores } from '#test/fixtures/project-stores.ts';

/** The 月度台账 export reads projects by id in batches while the plans are read: the 2019 demo data. */

const finance: Principal = { userId: 'fin-1', roles: ['finance'] };
const clock = { now: () => new Date('2019-07-30T10:00:00+08:00') };
let stores: MemoryProjectStores;

beforeAll(async () => {
  stores = new MemoryProjectStores();
  await applyDemoProjects(stores);
});

const csvNames = (bytes: Uint8Array) => {
  const [header = '', ...lines] = new TextDecoder()
    .decode(bytes)
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  const column = header.split(',').indexOf('"项目名称"');
  return lines.map((line) => line.split(',')[column]?.replaceAll('"', ''));
};

describe('the 月度台账 export', () => {
  it('lists the JSON report’s projects in its order, reading each project once in batches of at most 100', async () => {
    const asked: string[][] = [];
    const projects = {
      ...stores.projects,
      getMany: (ids: readonly string[]) => {
        asked.push([...ids]);
        return stores.projects.getMany(ids);
      },
    };
    const deps = { ...stores, projects, clock, zoneUnit: '开发区管委会' };
    const query = { month: '2019-06' } as const;
    const report = await monthlyReport(deps, { principal: finance, query });
    const file = await exportMonthlyLedger(deps, {
      principal: finance,
      query: { ...query, format: 'csv' },
      format: 'csv',
    });
    expect(report.rows.length).toBeGreaterThan(30);
    expect(csvNames(file.bytes)).toEqual(report.rows.map((row) => row.name));
    expect(asked.every((batch) => batch.length > 0 && batch.length <= 100)).toBe(true);
    const ids = asked.flat();
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails when a batch cannot be read, without a rejection left unhandled', async () => {
    const projects = {
      ...stores.projects,
      getMany: async () => {
        throw new Error('the table is gone');
      },
    };
    const deps = { ...stores, projects, clock, zoneUnit: '开发区管委会' };
    await expect(
      exportMonthlyLedger(deps, {
        principal: finance,
        query: { month: '2019-06', format: 'xlsx' },
        format: 'xlsx',
      }),
    ).rejects.toThrow('the table is gone');
  });
});
