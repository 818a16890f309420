/**
 * Exports of 10,000 rows (issue 16): the 月度台账, the payment list and the audit extract, each as .xlsx
 * and .csv, on the local stack. The rows are written straight through the stores (copies of one project,
 * one approved lead; audit entries appended to the chain), then each export is
 * - fetched over HTTP from the local gateway (time to the last byte, the gateway's process doing the work),
 * - run once more in a child process of its own that loads the handler as deployed, one esbuild bundle (its
 *   peak RSS: what the export costs a Lambda of its own, without the rest of the local stack).
 * Targets: under 5 s and under 200 MB.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { loadDevIdentity } from '#infra/local/dev-identity.ts';
import { type LocalCloud, startLocalCloud } from '#infra/local/local-cloud.ts';
import { repoRoot } from '#infra/local/paths.ts';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { leadStores } from '#shared/adapters/lead-adapters.ts';
import { makeValidUscc } from '#test/fixtures/identifiers.ts';
import { leadInput, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';
import { bundle } from './cold-start.ts';
import { fmt } from './lib/stats.ts';

export interface ExportMeasure {
  readonly export: string;
  readonly format: 'xlsx' | 'csv';
  readonly rows: number;
  readonly bytes: number;
  /** Over HTTP from the local gateway: request sent → last byte received. */
  readonly httpMs: number;
  /** In a child process of its own: the handler's time and the process's peak RSS. */
  readonly childMs: number;
  readonly childMaxRssMb: number;
  /** The child's peak RSS once the handler was imported, before the call (runtime, SDK, zod). */
  readonly childBaseRssMb: number;
  /** At the highest RSS sampled during the call: the V8 heap in use and allocated. */
  readonly childHeapAtPeak: { readonly usedMb: number; readonly totalMb: number };
}

export interface ExportsBenchResult {
  readonly rows: number;
  readonly seedSeconds: number;
  readonly measures: readonly ExportMeasure[];
  readonly targets: { readonly seconds: number; readonly megabytes: number };
}

const TARGET_SECONDS = 5;
/**
 * The child runs as the Lambda runtime runs a function of this much memory: its bootstrap gives V8 a young
 * generation of a tenth of it (semi-spaces of half that) and an old generation of the rest. Below the
 * 200 MB target, so an export that fits here fits a function sized under the target; left to Node's own
 * sizing on a 23 GiB machine, V8 lets garbage pile up far past what an export keeps alive, and the peak
 * RSS would measure the machine's slack, not the export.
 */
const CHILD_LAMBDA_MB = 192;
const CHILD_SEMI_SPACE_MB = Math.floor(CHILD_LAMBDA_MB / 10 / 2);
const CHILD_OLD_SPACE_MB = CHILD_LAMBDA_MB - Math.floor(CHILD_LAMBDA_MB / 10);
const TARGET_MB = 200;

function dynamo(cloud: LocalCloud) {
  return new DynamoDBClient({
    endpoint: cloud.endpoints.dynamodb,
    region: cloud.env.AWS_REGION ?? 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Copies every item of one partition `count` times, the id replaced by a new one (index keys follow). */
async function clonePartition(
  client: DynamoDBClient,
  table: string,
  pk: string,
  id: string,
  count: number,
  newId: (index: number) => string,
  edit: (item: Record<string, unknown>, index: number) => void = () => {},
): Promise<void> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': pk }),
    }),
  );
  const template = Items.map((item) => JSON.stringify(unmarshall(item))).filter(
    (text) => !text.includes('"PENDING#'),
  );
  const writes: WriteRequest[] = [];
  for (let index = 0; index < count; index += 1) {
    const copyId = newId(index);
    for (const text of template) {
      const item = JSON.parse(text.replaceAll(id, copyId)) as Record<string, unknown>;
      edit(item, index);
      writes.push({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } });
    }
  }
  const batches: WriteRequest[][] = [];
  for (let start = 0; start < writes.length; start += 25) batches.push(writes.slice(start, start + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let batch = batches[next++] ?? [];
      while (batch.length > 0) {
        const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: batch } }));
        batch = answer.UnprocessedItems?.[table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const hexId = (prefix: string, index: number) =>
  `${prefix}${createHash('sha256').update(`bench-export-${prefix}${index}`).digest('hex').slice(0, 24)}`;

async function call(cloud: LocalCloud, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${cloud.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function seed(cloud: LocalCloud, rows: number, log: (line: string) => void): Promise<void> {
  const identity = await loadDevIdentity();
  const admin = await identity.issue({ role: 'admin', userId: 'bench-admin' });
  const sector = await identity.issue({ role: 'sector:new_energy', userId: 'bench-officer' });
  const client = dynamo(cloud);
  const leadsTable = cloud.tables.Leads ?? '';
  const projectsTable = cloud.tables.Projects ?? '';

  // One project with a plan for 2030, copied.
  const project = await call(cloud, admin, 'POST', '/projects', {
    name: '=基准项目',
    sector: 'new_energy',
    kind: 'continued',
    team: { leader: '刘建华', department: '经济发展局', township: '蒋官屯街道', commissioner: '王磊' },
    stage: 'signed',
    stageOn: '2021-01-05',
    investor: { name: '测试投资有限公司', uscc: makeValidUscc('91371500MA3C8K2L1') },
    totalInvestment: '3亿',
    category: 'old_capacity_upgrade',
  });
  const projectId = String(project.projectId);
  await call(cloud, admin, 'PUT', `/projects/${projectId}/plans/2030`, { annual: '1234.56' });
  await clonePartition(
    client,
    projectsTable,
    `PROJECT#${projectId}`,
    projectId,
    rows - 1,
    (i) => hexId('pj_', i),
    (item, i) => {
      if (item.sk === 'PROJECT') item.name = `基准项目 ${i + 1}`;
    },
  );
  log(`  ${fmt(rows)} projects`);

  // One approved lead (natural-person introducer), copied.
  const submitted = await call(cloud, sector, 'POST', '/leads', {
    ...leadInput({ sector: 'new_energy', fundRequest: undefined }),
    introducer: { type: 'natural_person', name: '张三', residentId: PERSON_RESIDENT_ID },
  });
  const leadId = String(submitted.leadId);
  for (let waited = 0; ; waited += 1) {
    const lead = await call(cloud, sector, 'GET', `/leads/${leadId}`);
    if (lead.status === 'PENDING_FINANCE') break;
    if (waited > 100) throw new Error(`lead ${leadId} not evaluated: ${String(lead.status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  Object.assign(process.env, cloud.env);
  const { leads } = leadStores();
  const at = new Date().toISOString();
  const actor = { userId: 'bench-finance', role: 'finance' };
  await leads.transition(
    {
      leadId,
      revision: 1,
      fromStatus: 'PENDING_FINANCE',
      toStatus: 'APPROVED',
      at,
      review: {
        before: undefined,
        after: {
          leadId,
          state: 'APPROVED',
          revision: 1,
          rewardFen: 240_000_001,
          fundFen: 0,
          decidedBy: actor,
          decidedAt: at,
          note: null,
          payment: null,
        },
      },
    },
    {
      at,
      actor,
      action: 'reward.approved',
      subject: leadId,
      inputHash: null,
      policyVersion: null,
      details: {},
    },
  );
  await clonePartition(client, leadsTable, `LEAD#${leadId}`, leadId, rows - 1, (i) => hexId('ld_', i));
  log(`  ${fmt(rows)} approved leads`);

  // Audit entries: appended to the chain, one after another (the chain has one head).
  const audit = new DynamoAuditTrail(client, cloud.tables.Audit ?? '', cloud.env.AUDIT_CHAIN ?? 'main');
  const head = await audit.head();
  let next = 0;
  const appendSome = async () => {
    while (next < rows - head.seq) {
      next += 1;
      await audit.append({
        at: new Date().toISOString(),
        actor: { userId: 'bench', role: 'system' },
        action: 'bench.entry',
        subject: `bench-${next}`,
        inputHash: null,
        policyVersion: null,
        details: { n: next },
      });
    }
  };
  await appendSome();
  log(`  ${fmt(rows)} audit entries`);
  client.destroy();
}

const EXPORTS = [
  {
    export: '月度台账',
    entry: 'functions/project-reports/handler.ts',
    route: 'GET /reports/monthly',
    path: '/reports/monthly',
    query: { month: '2030-06' },
    role: 'finance',
  },
  {
    export: '奖励支付清单',
    entry: 'functions/export-rewards/handler.ts',
    route: 'GET /rewards/export',
    path: '/rewards/export',
    query: { status: 'APPROVED' },
    role: 'finance',
  },
  {
    export: '审计摘录',
    entry: 'functions/export-audit/handler.ts',
    route: 'GET /audit/export',
    path: '/audit/export',
    query: {},
    role: 'auditor',
  },
] as const;

const bundles = new Map<string, Promise<string>>();

/** The handler as it is deployed: one minified esbuild bundle (what a Lambda loads), built once per entry. */
function bundled(entry: string): Promise<string> {
  let file = bundles.get(entry);
  if (file === undefined) {
    file = bundle(entry, mkdtempSync(join(tmpdir(), 'kfq-export-bundle-'))).then((built) => built.file);
    bundles.set(entry, file);
  }
  return file;
}

/** The local cloud's settings, without the concurrent-invocation setting of this process's local runtime. */
function childEnv(cloud: LocalCloud): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...cloud.env,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(CHILD_LAMBDA_MB),
  };
  delete env.AWS_LAMBDA_MAX_CONCURRENCY;
  return env;
}

interface ChildAnswer {
  readonly ms: number;
  readonly maxRssKb: number;
  readonly rssBeforeKb: number;
  readonly status: number;
  readonly atPeak: { readonly heapUsed: number; readonly heapTotal: number };
}

function childRun(cloud: LocalCloud, entry: string, event: unknown): Promise<ChildAnswer> {
  const dir = mkdtempSync(join(tmpdir(), 'kfq-export-bench-'));
  const eventFile = join(dir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(event));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        `--max-semi-space-size=${CHILD_SEMI_SPACE_MB}`,
        `--max-old-space-size=${CHILD_OLD_SPACE_MB}`,
        join(repoRoot, 'bench/exports-child.ts'),
        entry,
        eventFile,
      ],
      {
        cwd: repoRoot,
        env: childEnv(cloud),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', () => {
      rmSync(dir, { recursive: true, force: true });
      const marker = /@@BENCH (.*)/.exec(stderr)?.[1];
      if (marker === undefined) return reject(new Error(`export child failed: ${stderr.slice(-2000)}`));
      resolve(JSON.parse(marker) as ChildAnswer);
    });
  });
}

export async function runExportsBench(options: {
  readonly rows: number;
  readonly log: (line: string) => void;
}): Promise<ExportsBenchResult> {
  const { rows, log } = options;
  const cloud = await startLocalCloud({ port: 0, seed: true, demo: false, schedules: false, log: () => {} });
  try {
    const seeding = performance.now();
    await seed(cloud, rows, log);
    const seedSeconds = (performance.now() - seeding) / 1000;
    const identity = await loadDevIdentity();
    const measures: ExportMeasure[] = [];
    for (const spec of EXPORTS) {
      for (const format of ['xlsx', 'csv'] as const) {
        const token = await identity.issue({ role: spec.role, userId: `bench-${spec.role}` });
        const query = new URLSearchParams({ ...spec.query, format });
        const started = performance.now();
        const response = await fetch(`${cloud.baseUrl}${spec.path}?${query}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const bytes = new Uint8Array(await response.arrayBuffer());
        const httpMs = performance.now() - started;
        if (response.status !== 200)
          throw new Error(`${spec.path}: ${response.status} ${Buffer.from(bytes).toString()}`);
        const lines =
          format === 'csv' ? Buffer.from(bytes).toString('utf8').split('\r\n').length - 2 : Number.NaN;
        const event = {
          version: '2.0',
          routeKey: spec.route,
          rawPath: spec.path,
          rawQueryString: query.toString(),
          queryStringParameters: Object.fromEntries(query),
          headers: { authorization: `Bearer ${token}` },
          isBase64Encoded: false,
          requestContext: {
            requestId: randomUUID(),
            routeKey: spec.route,
            http: { method: 'GET', path: spec.path },
            authorizer: {
              jwt: { claims: { sub: `bench-${spec.role}`, 'cognito:groups': `[${spec.role}]` }, scopes: [] },
            },
          },
        };
        const child = await childRun(cloud, await bundled(spec.entry), event);
        if (child.status !== 200) throw new Error(`${spec.export} in a child answered ${child.status}`);
        const measure: ExportMeasure = {
          export: spec.export,
          format,
          rows: Number.isNaN(lines) ? rows : lines,
          bytes: bytes.byteLength,
          httpMs,
          childMs: child.ms,
          childMaxRssMb: child.maxRssKb / 1024,
          childBaseRssMb: child.rssBeforeKb / 1024,
          childHeapAtPeak: { usedMb: child.atPeak.heapUsed, totalMb: child.atPeak.heapTotal },
        };
        measures.push(measure);
        log(
          `  ${spec.export} .${format}: ${fmt(measure.rows)} rows, ${fmt(bytes.byteLength / 1024)} KB, HTTP ${fmt(httpMs)} ms; child ${fmt(child.ms)} ms, peak RSS ${fmt(measure.childMaxRssMb)} MB (${fmt(measure.childBaseRssMb)} MB before the call)`,
        );
      }
    }
    return { rows, seedSeconds, measures, targets: { seconds: TARGET_SECONDS, megabytes: TARGET_MB } };
  } finally {
    await cloud.stop();
  }
}

const met = (ok: boolean) => (ok ? '**met**' : '**not met**');

export function exportsSummaryRows(result: ExportsBenchResult): string[] {
  const slowest = Math.max(...result.measures.map((m) => Math.max(m.httpMs, m.childMs)));
  const biggest = Math.max(...result.measures.map((m) => m.childMaxRssMb));
  return [
    `| exports: ${fmt(result.rows)} rows, slowest of 6 (time to last byte) | ${fmt(slowest)} ms | < ${result.targets.seconds} s | ${met(slowest < result.targets.seconds * 1000)} |`,
    `| exports: peak RSS of the exporting process, largest of 6 | ${fmt(biggest)} MB | < ${result.targets.megabytes} MB | ${met(biggest < result.targets.megabytes)} |`,
  ];
}

export function exportsSection(mode: 'quick' | 'full', result: ExportsBenchResult): string[] {
  return [
    '## 5. Exports',
    '',
    `Command: \`npm run bench -- ${mode === 'quick' ? '--quick ' : ''}--only exports\`. ${fmt(result.rows)} projects (a 2030 plan each), approved leads and audit entries written through the stores in ${fmt(result.seedSeconds, 1)} s, then each export fetched over HTTP from the local stack (time to the last byte) and run once more in a child process of its own that loads the handler's deployed bundle (esbuild, minified, as the Lambda runs it) with V8 sized as the Lambda runtime sizes a ${CHILD_LAMBDA_MB} MB function (\`--max-semi-space-size=${CHILD_SEMI_SPACE_MB} --max-old-space-size=${CHILD_OLD_SPACE_MB}\`, the runtime bootstrap's formula); its time and \`process.resourceUsage().maxRSS\`, the whole Node process: runtime, SDK, exceljs and the export.`,
    '',
    '| export | format | rows | file | HTTP, to last byte | child process | child peak RSS | child RSS before the call | V8 heap at the peak (used / allocated) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.measures.map(
      (m) =>
        `| ${m.export} | ${m.format} | ${fmt(m.rows)} | ${fmt(m.bytes / 1024)} KB | ${fmt(m.httpMs)} ms | ${fmt(m.childMs)} ms | ${fmt(m.childMaxRssMb)} MB | ${fmt(m.childBaseRssMb)} MB | ${fmt(m.childHeapAtPeak.usedMb)} / ${fmt(m.childHeapAtPeak.totalMb)} MB |`,
    ),
    '',
    `Targets: under ${result.targets.seconds} s and under ${result.targets.megabytes} MB for every export.`,
  ];
}
