/**
 * `npm run bench` — every benchmark of issue 7, one after the other, then docs/benchmarks.md.
 * `npm run bench -- --quick`: fewer leads and samples (under 2 minutes), writes bench/results/ instead.
 * `--only engine|cold-start|pipeline|console|exports` runs one part (several `--only` allowed).
 * The pipeline part runs twice, the single audit chain (AUDIT_SHARDS=1) then the sharded trail, each in a
 * process and a local cloud of its own; `--leads N` and `--consumers N` change its lead count and the
 * concurrent invocations per queue (default 5, as Lambda starts an SQS event source), `--shards N` the
 * sharded design's AUDIT_SHARDS (default: the trail's own default).
 * Exits non-zero when the engines disagree beyond a fen, or when a part fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runColdStartBench } from './cold-start.ts';
import { runConsoleBench } from './console.ts';
import { runDynamoDbLocalCosts } from './dynamodb-local-costs.ts';
import { runEngineBench } from './engine.ts';
import { runExportsBench } from './exports.ts';
import { machine } from './lib/machine.ts';
import { type Report, renderReport } from './lib/report.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    out: { type: 'string' },
    /** Re-render the doc from a saved result (bench/results/full.json) without measuring again. */
    from: { type: 'string' },
    leads: { type: 'string' },
    consumers: { type: 'string' },
    shards: { type: 'string' },
  },
});
if (values.from !== undefined) {
  const saved = JSON.parse(readFileSync(values.from, 'utf8')) as Report;
  const target = values.out ?? fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  writeFileSync(target, renderReport(saved));
  process.stderr.write(`re-rendered ${values.from} → ${target}\n`);
  process.exit(0);
}
const quick = values.quick === true;
const parts = new Set(values.only ?? ['engine', 'cold-start', 'pipeline', 'console', 'exports']);
for (const part of parts) {
  if (!['engine', 'cold-start', 'pipeline', 'console', 'exports'].includes(part)) {
    throw new Error(`--only: unknown part ${part}`);
  }
}
const settings = quick
  ? { leads: 20_000, rounds: 3, samples: 11, pipelineLeads: 100, clients: 10, pacedLeads: 20 }
  : { leads: 100_000, rounds: 5, samples: 20, pipelineLeads: 1_000, clients: 20, pacedLeads: 50 };
const pipelineLeads = values.leads === undefined ? settings.pipelineLeads : Number(values.leads);
const consumers = values.consumers === undefined ? undefined : Number(values.consumers);
const shards = values.shards === undefined ? undefined : Number(values.shards);
for (const [flag, value] of [
  ['--leads', pipelineLeads],
  ['--consumers', consumers ?? 1],
  ['--shards', shards ?? 2],
] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag}: a whole number above 0`);
}
/** Console: page loads per measure (each in a fresh browser context). */
const pageLoads = quick ? 3 : 7;

const log = (line: string) => process.stderr.write(`${line}\n`);
const started = performance.now();
const machineAtStart = machine();
let report: Report = {
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  machine: machineAtStart,
  loadAfter: [],
  seconds: 0,
  ...(values.only === undefined &&
  values.leads === undefined &&
  values.consumers === undefined &&
  values.shards === undefined
    ? {}
    : { command: `npm run bench -- ${process.argv.slice(2).join(' ')}` }),
};

if (parts.has('engine')) {
  log(`engine: ${settings.leads} leads, ${settings.rounds} rounds…`);
  const engine = await runEngineBench({ leads: settings.leads, rounds: settings.rounds });
  report = { ...report, engine };
  log(
    `  json-rules-engine ${Math.round(engine.rates.jsonRulesEngine)}/s, full ${Math.round(engine.rates.full)}/s (${engine.ratios.full.toFixed(2)}×), replay ${Math.round(engine.rates.replay)}/s (${engine.ratios.replay.toFixed(2)}×), bare ${Math.round(engine.rates.bare)}/s (${engine.ratios.bare.toFixed(1)}×), ${engine.agreement.fenDisagreements} one-fen disagreements`,
  );
}
if (parts.has('cold-start')) {
  log(`cold start: ${settings.samples} samples per function…`);
  report = { ...report, coldStart: await runColdStartBench({ samples: settings.samples, log }) };
}
if (parts.has('pipeline')) {
  log(`pipeline: ${pipelineLeads} leads, ${settings.clients} clients, single chain then sharded…`);
  // Imported when asked for: it brings test helpers the other parts need not load.
  const pipeline = await (await import('./pipeline.ts')).runPipelineComparison({
    leads: pipelineLeads,
    clients: settings.clients,
    pacedLeads: settings.pacedLeads,
    ...(consumers === undefined ? {} : { consumers }),
    ...(shards === undefined ? {} : { shards }),
    log,
  });
  log('DynamoDB Local alone: its CPU per audited transaction and per read…');
  const dynamoDbLocal = await runDynamoDbLocalCosts({
    writers: 16,
    callsPerRound: quick ? 800 : 1_600,
    rounds: quick ? 2 : 3,
    log,
  });
  report = { ...report, pipeline, dynamoDbLocal };
  for (const design of pipeline.designs) {
    log(
      `  ${design.design}: ${design.leadsPerSecond.toFixed(1)} leads/s, 202 → decision p99 ${Math.round(design.decisionMs.p99)} ms (paced ${Math.round(design.paced.decisionMs.p99)} ms), ${design.cancelledPerLead.toFixed(2)} cancelled transactions per lead`,
    );
  }
}

if (parts.has('console')) {
  log(`console: initial JavaScript, then ${pageLoads} page loads in Chromium with 25 and 10,025 leads…`);
  report = {
    ...report,
    console: await runConsoleBench({ samples: pageLoads, largeList: 10_000, log }),
  };
}

if (parts.has('exports')) {
  // 10,000 rows in both modes: the target is stated for 10,000.
  log('exports: 10,000 rows of each export, .xlsx and .csv…');
  report = { ...report, exports: await runExportsBench({ rows: 10_000, log }) };
}

report = {
  ...report,
  loadAfter: loadavg().map((value) => Math.round(value * 100) / 100),
  seconds: (performance.now() - started) / 1000,
};
const markdown = renderReport(report);
const defaultOut =
  quick || values.only !== undefined ? '../bench/results/benchmarks-quick.md' : '../docs/benchmarks.md';
const out = values.out ?? fileURLToPath(new URL(defaultOut, import.meta.url));
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(out, markdown);
writeFileSync(
  fileURLToPath(new URL(`./results/${quick ? 'quick' : 'full'}.json`, import.meta.url)),
  JSON.stringify(report, null, 2),
);
process.stdout.write(`${markdown}\n`);
log(`written: ${out}`);

const failures = report.engine?.agreement.failures ?? [];
if (failures.length > 0) {
  log(`the engines disagree beyond a fen on ${failures.length} lead(s): ${failures.join('; ')}`);
  process.exitCode = 1;
}
