/**
 * Benchmark 2: cold start. Each function of infra/resources.ts is bundled as CDK deploys it (esbuild,
 * minified ESM, the require banner, source maps, the AWS SDK inside), then imported and asked to answer
 * one event in a fresh Node process, N times; beside a naive baseline bundle of the same libraries.
 *
 * The esbuild options mirror `bundling` in infra/constructs/kfq-function.ts (its options object is not
 * exported; the banner and the built-in aliases are, and are imported from there): format esm, target
 * node24, platform node, mainFields module,main, minify, sourcemap (linked file, no sourcesContent), no
 * external modules, `node:http` and `node:process` aliased to CommonJS re-exports.
 * The children run with NODE_OPTIONS=--enable-source-maps and the Powertools settings, as deployed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import {
  ESBUILD_ALIAS,
  ESM_REQUIRE_BANNER,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from '#infra/constructs/kfq-function.ts';
import { eventSources, functions, queues, routes, schedules, tables } from '#infra/resources.ts';
import { median, percentile } from './lib/stats.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHILD = fileURLToPath(new URL('./cold-start-child.ts', import.meta.url));
const BASELINE_ENTRY = 'bench/lib/baseline-entry.ts';

export const BUNDLE_LIMIT_BYTES = 600 * 1024;
export const INIT_LIMIT_MS = 100;

export interface ColdStartRow {
  readonly id: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly event: string;
  readonly outcome: string;
  readonly samples: number;
  /** Import + first answer, measured inside the fresh process (median, p90). */
  readonly initMedianMs: number;
  readonly initP90Ms: number;
  readonly importMedianMs: number;
  readonly invokeMedianMs: number;
  /** From process start (Node's own boot included) to the answer, median. */
  readonly processMedianMs: number;
  /** The largest contributors to the bundle, bytes in the output by package. */
  readonly topPackages: readonly (readonly [string, number])[];
  readonly bundleMet: boolean;
  readonly initMet: boolean;
}

export interface ColdStartResult {
  readonly samples: number;
  readonly rows: readonly ColdStartRow[];
  readonly baseline: ColdStartRow;
  readonly esbuild: string;
  /** What `--enable-source-maps` (as deployed) costs: the slowest function, with and without, alternating. */
  readonly sourceMaps: {
    readonly id: string;
    readonly withMedianMs: number;
    readonly withoutMedianMs: number;
    readonly importWithMedianMs: number;
    readonly importWithoutMedianMs: number;
  };
}

/** Bytes in the output per package (node_modules name, or "(ours)" for the repository's own code). */
function byPackage(metafile: Metafile): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const name = match?.[1] ?? '(ours)';
      totals[name] = (totals[name] ?? 0) + input.bytesInOutput;
    }
  }
  return totals;
}

export async function bundle(
  entry: string,
  outdir: string,
): Promise<{ file: string; packages: Record<string, number> }> {
  const outfile = join(outdir, 'index.mjs');
  const result = await build({
    metafile: true,
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: [],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: Object.fromEntries(Object.entries(ESBUILD_ALIAS).map(([from, to]) => [from, join(REPO_ROOT, to)])),
    logLevel: 'warning',
  });
  return { file: outfile, packages: byPackage(result.metafile) };
}

type Described = { readonly event: unknown; readonly description: string };

function httpEvent(routeKey: string, rawPath: string): unknown {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      http: {
        method: routeKey.split(' ')[0],
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey,
      stage: '$default',
      time: new Date(0).toISOString(),
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

/** An event each function answers without touching a store (or, for the scheduled reconciler, a stub). */
function eventFor(id: string): Described {
  const consumer = eventSources.find((source) => source.functionId === id);
  if (consumer !== undefined) {
    return {
      description: 'SQS batch of one poison record (not JSON): failed by the contract check, no I/O',
      event: {
        Records: [
          {
            messageId: 'bench-1',
            receiptHandle: 'bench',
            body: 'not json',
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: '0',
              SenderId: 'bench',
              ApproximateFirstReceiveTimestamp: '0',
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: `arn:aws-cn:sqs:cn-north-1:000000000000:${consumer.queueId}`,
            awsRegion: 'cn-north-1',
          },
        ],
      },
    };
  }
  if (schedules.some((schedule) => schedule.functionId === id)) {
    return {
      description:
        'scheduled event; its DynamoDB queries go to a loopback stub answering empty pages (so the SDK’s first request, signing included, is in the figure)',
      event: {
        version: '0',
        id: 'bench',
        'detail-type': 'Scheduled Event',
        source: 'aws.scheduler',
        detail: {},
      },
    };
  }
  const route = routes.find((candidate) => candidate.functionId === id);
  if (route === undefined) throw new Error(`no event known for function ${id}`);
  const path = route.path.replace(/\{[^}]+\}/g, 'bench');
  if (route.access !== 'public') {
    return {
      description: `${route.method} ${route.path} without a token: 401 from the middleware before any I/O`,
      event: httpEvent(`${route.method} ${route.path}`, path),
    };
  }
  if (id === 'health') {
    return {
      description:
        'an undeclared route key: 403 from the middleware before the probes run (every real health check does I/O)',
      event: httpEvent('GET /bench-undeclared', '/bench-undeclared'),
    };
  }
  return {
    description: `${route.method} ${route.path} (public, answered from memory)`,
    event: httpEvent(`${route.method} ${route.path}`, path),
  };
}

/** A loopback stand-in for DynamoDB and SQS: every request gets an empty, successful answer. */
async function startStub() {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end('{"Items":[],"Count":0,"ScannedCount":0}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function childEnv(endpoint: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_OPTIONS: '--enable-source-maps',
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    // As in the cloud: the ARN only (the secret is read on first use, never in these events).
    IDENTIFIER_KEYS_SECRET_ARN:
      'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:bench-identifier-keys',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  for (const table of tables) env[table.envVar] = `bench-${table.id}`;
  for (const queue of queues) {
    env[queue.envVar] = `${endpoint}/000000000000/${queue.id}`;
    env[queue.deadLetterQueue.envVar] = `${endpoint}/000000000000/${queue.deadLetterQueue.id}`;
  }
  return env;
}

interface Sample {
  importMs: number;
  invokeMs: number;
  totalMs: number;
  outcome: string;
  uptimeMs: number;
}

function sample(bundlePath: string, eventFile: string, id: string, env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, bundlePath, eventFile, id], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', () => {
      const line = stderr.split('\n').find((text) => text.startsWith('@@BENCH '));
      if (line === undefined) reject(new Error(`${id}: no measurement; stderr: ${stderr.slice(0, 2000)}`));
      else resolve(JSON.parse(line.slice('@@BENCH '.length)) as Sample);
    });
  });
}

async function measure(
  id: string,
  entry: string,
  described: Described,
  samples: number,
  work: string,
  env: NodeJS.ProcessEnv,
): Promise<ColdStartRow> {
  const outdir = join(work, id);
  mkdirSync(outdir, { recursive: true });
  const { file, packages } = await bundle(entry, outdir);
  const eventFile = join(outdir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(described.event));
  const runs: Sample[] = [];
  for (let index = 0; index < samples; index += 1) runs.push(await sample(file, eventFile, id, env));
  const bytes = statSync(file).size;
  const init = runs.map((run) => run.totalMs);
  const initMedianMs = median(init);
  return {
    id,
    bytes,
    gzipBytes: gzipSync(readFileSync(file)).byteLength,
    event: described.description,
    outcome: runs[0]?.outcome ?? '',
    samples,
    initMedianMs,
    initP90Ms: percentile(init, 90),
    importMedianMs: median(runs.map((run) => run.importMs)),
    invokeMedianMs: median(runs.map((run) => run.invokeMs)),
    processMedianMs: median(runs.map((run) => run.uptimeMs)),
    topPackages: Object.entries(packages)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6),
    bundleMet: bytes < BUNDLE_LIMIT_BYTES,
    initMet: initMedianMs < INIT_LIMIT_MS,
  };
}

/**
 * Node reads a bundle's source map when it loads the bundle under `--enable-source-maps`: the slowest
 * function's bundle again, in fresh processes alternating with and without it, so both see the same machine.
 */
async function measureSourceMapCost(
  rows: readonly ColdStartRow[],
  samples: number,
  work: string,
  env: NodeJS.ProcessEnv,
): Promise<ColdStartResult['sourceMaps']> {
  const slowest = [...rows].sort((a, b) => b.initMedianMs - a.initMedianMs)[0];
  if (slowest === undefined) throw new Error('no function measured');
  // The bundle and event `measure` left in its folder.
  const file = join(work, slowest.id, 'index.mjs');
  const eventFile = join(work, slowest.id, 'event.json');
  const withoutEnv = { ...env, NODE_OPTIONS: '' };
  const withMaps: Sample[] = [];
  const withoutMaps: Sample[] = [];
  for (let index = 0; index < samples; index += 1) {
    withMaps.push(await sample(file, eventFile, slowest.id, env));
    withoutMaps.push(await sample(file, eventFile, slowest.id, withoutEnv));
  }
  return {
    id: slowest.id,
    withMedianMs: median(withMaps.map((run) => run.totalMs)),
    withoutMedianMs: median(withoutMaps.map((run) => run.totalMs)),
    importWithMedianMs: median(withMaps.map((run) => run.importMs)),
    importWithoutMedianMs: median(withoutMaps.map((run) => run.importMs)),
  };
}

export async function runColdStartBench(options: {
  samples: number;
  log?: (line: string) => void;
}): Promise<ColdStartResult> {
  const work = mkdtempSync(join(tmpdir(), 'kfq-cold-start-'));
  const stub = await startStub();
  const env = childEnv(stub.endpoint);
  try {
    const rows: ColdStartRow[] = [];
    for (const fn of functions) {
      const row = await measure(fn.id, fn.entry, eventFor(fn.id), options.samples, work, env);
      options.log?.(
        `  ${row.id}: ${(row.bytes / 1024).toFixed(1)} KB, init ${row.initMedianMs.toFixed(1)} ms (${row.outcome})`,
      );
      rows.push(row);
    }
    const baseline = await measure(
      'baseline (naive imports)',
      BASELINE_ENTRY,
      {
        description: 'a JSON body parsed with zod, answered 200/400 from memory',
        event: httpEvent('POST /bench', '/bench'),
      },
      options.samples,
      work,
      env,
    );
    options.log?.(
      `  baseline: ${(baseline.bytes / 1024).toFixed(1)} KB, init ${baseline.initMedianMs.toFixed(1)} ms`,
    );
    const sourceMaps = await measureSourceMapCost(rows, options.samples, work, env);
    options.log?.(
      `  ${sourceMaps.id} without --enable-source-maps: init ${sourceMaps.withoutMedianMs.toFixed(1)} ms (with: ${sourceMaps.withMedianMs.toFixed(1)} ms)`,
    );
    const esbuild = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/esbuild/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    return { samples: options.samples, rows, baseline, esbuild, sourceMaps };
  } finally {
    await stub.close();
    rmSync(work, { recursive: true, force: true });
  }
}
