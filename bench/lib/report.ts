/** Turns the three results into docs/benchmarks.md (and the console output of `npm run bench`). */
import type { ColdStartResult, ColdStartRow } from '../cold-start.ts';
import { type ConsoleBenchResult, consoleSection, consoleSummaryRows } from '../console.ts';
import type { DynamoDbLocalCosts } from '../dynamodb-local-costs.ts';
import type { EngineResult } from '../engine.ts';
import { type ExportsBenchResult, exportsSection, exportsSummaryRows } from '../exports.ts';
import type { PipelineComparison, PipelineResult } from '../pipeline.ts';
import type { Machine } from './machine.ts';
import { PIPELINE_TARGETS } from './pipeline-targets.ts';
import { fmt, kb } from './stats.ts';

export interface Report {
  readonly mode: 'quick' | 'full';
  readonly date: string;
  readonly machine: Machine;
  readonly loadAfter: readonly number[];
  readonly seconds: number;
  /** The command that wrote it, when it ran only some parts (`npm run bench -- --only …`). */
  readonly command?: string;
  readonly engine?: EngineResult;
  readonly coldStart?: ColdStartResult;
  /** Both designs (a result saved before the comparison holds one run). */
  readonly pipeline?: PipelineComparison | PipelineResult;
  /** DynamoDB Local alone, measured with the pipeline: its CPU per call. */
  readonly dynamoDbLocal?: DynamoDbLocalCosts;
  readonly console?: ConsoleBenchResult;
  readonly exports?: ExportsBenchResult;
}

const met = (ok: boolean) => (ok ? '**met**' : '**not met**');
const ms = (value: number) => `${fmt(value, value < 10 ? 1 : 0)} ms`;

function command(mode: Report['mode'], only: string): string {
  return `npm run bench -- ${mode === 'quick' ? '--quick ' : ''}--only ${only}`;
}

function engineSection(report: Report, engine: EngineResult): string[] {
  const b = engine.breakdownMicros;
  const lines = [
    '## 1. Policy engine vs json-rules-engine',
    '',
    `Command: \`${command(report.mode, 'engine')}\` (${fmt(engine.leads)} leads from seed ${engine.seed}, ${engine.rounds} alternating rounds, median round reported; the order of the four runs rotates each round).`,
    '',
    '| engine | decisions/s (median round) | rounds | ratio to json-rules-engine | target | |',
    '| --- | ---: | --- | ---: | ---: | --- |',
    `| json-rules-engine 7 (three rules, floats in yuan) | ${fmt(engine.rates.jsonRulesEngine)} | ${engine.roundRates.jsonRulesEngine.map((r) => fmt(r)).join(', ')} | 1× | | |`,
    `| ours, full decision as the pipeline makes it (\`evaluateLeadWithInputHash\`: explanations zh/en, legal bases, policy hash, the input hash stored at intake) | ${fmt(engine.rates.full)} | ${engine.roundRates.full.map((r) => fmt(r)).join(', ')} | ${fmt(engine.ratios.full, 2)}× | ≥ 10× | ${met(engine.targets.fullMet)} |`,
    `| ours, full decision as replay makes it (\`evaluateLead\`: the same, hashing the lead again) | ${fmt(engine.rates.replay)} | ${engine.roundRates.replay.map((r) => fmt(r)).join(', ')} | ${fmt(engine.ratios.replay, 2)}× | | |`,
    `| ours, bare rule evaluation (\`computeOutcome\`) | ${fmt(engine.rates.bare)} | ${engine.roundRates.bare.map((r) => fmt(r)).join(', ')} | ${fmt(engine.ratios.bare, 1)}× | ≥ 100× | ${met(engine.targets.bareMet)} |`,
    '',
    'json-rules-engine is timed once per round and used for every ratio: its `engine.run` plus the float amount',
    'arithmetic is the whole of what it produces (no explanation texts, no hashes). The input hash of a lead revision',
    'is made once, when intake (or a reported investment, or a referrer registration) stores the revision, and',
    'stored with it; evaluation records that hash, and replay makes it again and compares (issue 18, part 3).',
    '',
    `**Agreement**: ${fmt(engine.agreement.compared)} leads compared on referral eligibility, payable, one-case-one-policy,`,
    `fund eligibility, reward amount and fund cap. Hard disagreements: ${engine.agreement.failures.length === 0 ? 'none' : engine.agreement.failures.join('; ')}.`,
    `One-fen disagreements (the float version off by a fen from our exact half-up result): **${fmt(engine.agreement.fenDisagreements)}**`,
    `(reward amount: ${engine.agreement.byField.referralAmount ?? 0}, fund cap: ${engine.agreement.byField.fundCap ?? 0}).`,
  ];
  // Every disagreement is listed (the issue asks for each one); a run with more than a page of them would be
  // a sign that something other than float rounding differs, and the JSON result keeps them all.
  const listed = engine.agreement.disagreements.slice(0, 100);
  if (listed.length > 0) {
    lines.push('', '| lead # | amount | base (fen) | exact value | ours (fen) | json-rules-engine (fen) |');
    lines.push('| ---: | --- | ---: | --- | ---: | ---: |');
    for (const example of listed) {
      lines.push(
        `| ${example.index} | ${example.field === 'fundCap' ? 'fund cap (10% share)' : 'reward (2%)'} | ${example.baseFen} | ${example.exact} | ${example.oursFen} | ${example.floatFen} |`,
      );
    }
    const unlisted = engine.agreement.fenDisagreements - listed.length;
    if (unlisted > 0) lines.push(`| … | ${fmt(unlisted)} more in the run’s JSON result | | | | |`);
    lines.push(
      '',
      'Each exact value ends in a half fen; half up gives ours. `Math.round(yuan × rate × 100) / 100` rounds the',
      'binary product, which lands just below the half (e.g. 21497661.95 yuan × 0.1 × 100 gives 214976619.49999997).',
    );
  }
  lines.push(
    '',
    `**Where a full decision's time goes** (µs per decision): full ${fmt(b.full, 2)} = bare evaluation ${fmt(b.bare, 2)}`,
    `+ policy hash ${fmt(b.policyHash, 2)} (canonical JSON of the whole policy and SHA-256, computed once per parsed policy`,
    `object and cached) + explanations and the decision object ≈ ${fmt(b.explanationsAndShape, 2)}. Replay ${fmt(b.replay, 2)} adds`,
    `the lead hash, ${fmt(b.leadHash, 2)} measured alone (hashed form with the HMAC of each personal identifier, and its canonical JSON ${fmt(b.leadCanonicalJson, 2)}, SHA-256 of the text`,
    `${fmt(b.leadSha256, 2)}, measured apart), which intake pays once per lead revision.`,
    'Done for this figure (each kept byte-identical: golden decision hashes and 300,000 decisions under three policy',
    'variants compared with the previous code): the rules, and every text that depends only on the policy (thresholds,',
    'rates, caps, eligible lists, citations, whole sentences per introducer type and category), are made once per parsed',
    'policy object; each amount is printed once per decision, without BigInt or regular expressions; basis points are',
    'applied exactly in doubles (split at 10^4) instead of BigInt; canonical JSON sorts keys by insertion, quotes strings',
    'that need no escaping directly and keeps a path for error messages only when a value is refused.',
  );
  if (!engine.targets.fullMet) {
    const budget = 1e6 / (engine.rates.jsonRulesEngine * 10);
    lines.push(
      '',
      `The full-decision target is **not met**: ${fmt(engine.ratios.full, 2)}× instead of 10×. 10× json-rules-engine`,
      `leaves ${fmt(budget, 2)} µs per decision against ${fmt(b.full, 2)} µs measured.`,
      'At this cost a decision still takes a few microseconds, beside 10–100 ms of DynamoDB per lead (section 3).',
    );
  }
  return lines;
}

function coldRow(row: ColdStartRow): string {
  return `| ${row.id} | ${kb(row.bytes)} | ${kb(row.gzipBytes)} | ${ms(row.initMedianMs)} | ${ms(row.initP90Ms)} | ${ms(row.importMedianMs)} | ${ms(row.invokeMedianMs)} | ${ms(row.processMedianMs)} | ${row.outcome} | ${row.bundleMet ? 'met' : '**not met**'} | ${row.initMet ? 'met' : '**not met**'} |`;
}

/** The cost of `--enable-source-maps`, measured beside the table. */
function sourceMapLines(cold: ColdStartResult): string[] {
  const maps = cold.sourceMaps;
  return [
    '',
    `Source maps: the functions run with NODE_OPTIONS=--enable-source-maps (as deployed), so Node reads each`,
    `bundle’s source map when it loads it. ${maps.id} again, alternating fresh processes with and without it: init`,
    `${ms(maps.withMedianMs)} with, ${ms(maps.withoutMedianMs)} without (import ${ms(maps.importWithMedianMs)} against ${ms(maps.importWithoutMedianMs)}). We keep them:`,
    'an error logged by a function then points at our TypeScript lines, not at a column of minified code.',
  ];
}

function coldStartSection(report: Report, cold: ColdStartResult): string[] {
  const rows = cold.rows;
  const zod = rows.map((row) => row.topPackages.find(([name]) => name === 'zod')?.[1] ?? 0);
  const events = new Map<string, string[]>();
  for (const row of rows) events.set(row.event, [...(events.get(row.event) ?? []), row.id]);
  const lines = [
    '## 2. Cold start',
    '',
    `Command: \`${command(report.mode, 'cold-start')}\` (esbuild ${cold.esbuild}, ${cold.samples} fresh Node processes per function).`,
    '',
    'Bundles are built with the options of `infra/constructs/kfq-function.ts` (mirrored: its `bundling` object is',
    'not exported; the require banner and the built-in aliases are imported from it): minified ESM, target node24,',
    'platform node, mainFields module,main, linked source map without sources content, every dependency inside (the',
    'AWS SDK too), `node:http` and `node:process` aliased to CommonJS re-exports (an ESM import of a built-in reads',
    'every export: for `http` that loads undici through its WebSocket getters, 11–13 ms of every cold start here,',
    'pulled in by the SDK’s instance-metadata credential code that Lambda never runs). Each sample is a fresh',
    '`node` process (NODE_OPTIONS=--enable-source-maps, the Powertools settings, dummy table names and queue URLs)',
    'that imports the bundle and answers one event; "init" is import + that answer,',
    'measured inside the process; "process" adds Node’s own start-up (which Lambda’s runtime also pays, outside',
    'the function’s init).',
    '',
    '| function | bundle | gzip | init median | init p90 | import | answer | process (from Node start) | answer given | < 600 KB | init < 100 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...rows.map(coldRow),
    coldRow(cold.baseline),
    '',
    'Events (none of them reaches a store, except the scheduled ones’, which reach a loopback stub):',
    ...[...events.entries()].map(([event, ids]) => `- ${ids.join(', ')}: ${event}.`),
    `- baseline: ${cold.baseline.event}.`,
    '',
    `Bundles under 600 KB: ${rows.filter((row) => row.bundleMet).length} of ${rows.length}; init under 100 ms (median): ${rows.filter((row) => row.initMet).length} of ${rows.length}.`,
    ...sourceMapLines(cold),
    '',
    'The largest parts of each bundle (bytes in the output):',
    '',
    '| function | largest packages |',
    '| --- | --- |',
    ...[...rows, cold.baseline].map(
      (row) => `| ${row.id} | ${row.topPackages.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')} |`,
    ),
  ];
  lines.push(
    '',
    "zod is imported as a namespace everywhere (`import * as z from 'zod'`, enforced by Biome): esbuild can then",
    'drop the ~350 KB of locales that the named `{ z }` import (the baseline’s way) drags into every bundle.',
  );
  const slowInit = rows.filter((row) => !row.initMet);
  if (slowInit.length > 0) {
    lines.push(
      '',
      `Init over 100 ms: ${slowInit.map((row) => `${row.id} (${ms(row.initMedianMs)}: import ${ms(row.importMedianMs)} + answer ${ms(row.invokeMedianMs)})`).join(', ')}.`,
      'Where the answer makes the SDK’s first request (credentials, signing, a connection), that first call is',
      'in the figure; the import alone is what every function shares.',
    );
  }
  const failing = rows.filter((row) => !row.bundleMet);
  if (failing.length > 0) {
    lines.push(
      '',
      `**Why the size target is not met for ${failing.map((row) => row.id).join(', ')}**: zod 4’s classic API is not`,
      `tree-shakable — about ${kb(Math.max(...zod))} of every bundle that parses a schema, whatever it uses. Moving the`,
      'schemas to `zod/mini` (same validation, functional API that esbuild can shake) or keeping classic zod out of',
      'the handlers’ import graph would bring these bundles to roughly their size minus that. The baseline is',
      'smaller than the issue’s 1.2 MB estimate because the AWS SDK v3 clients are modular: even imported whole,',
      'DynamoDB + SQS come to a few hundred KB.',
    );
  }
  return lines;
}

function callsTable(calls: PipelineResult['calls'], per: number, perName: string): string[] {
  return [
    `| call (made by the handlers) | count | per ${perName} | mean | p95 |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(calls).map(
      ([name, stats]) =>
        `| ${name} | ${fmt(stats.count)} | ${fmt(stats.count / per, 1)} | ${ms(stats.meanMs)} | ${ms(stats.p95Ms)} |`,
    ),
  ];
}

/** The calls by function, command and the kinds of item they touched (bench/pipeline.ts `callTarget`). */
function breakdownTable(
  breakdown: PipelineResult['callBreakdown'] | undefined,
  per: number,
  perName: string,
) {
  if (breakdown === undefined) return [];
  return [
    '',
    `| function | call | what it touched | count | per ${perName} |`,
    '| --- | --- | --- | ---: | ---: |',
    ...Object.entries(breakdown).map(([key, count]) => {
      const [fn, call, target] = key.split(' | ');
      return `| ${fn} | ${call} | ${target} | ${fmt(count)} | ${fmt(count / per, 2)} |`;
    }),
  ];
}

const three = (t: { p50: number; p95: number; p99: number }) => `${ms(t.p50)} / ${ms(t.p95)} / ${ms(t.p99)}`;

/** Counts of calls whose name starts with `prefix` (failed ones apart). */
function callCount(p: PipelineResult, prefix: string, failed = false): number {
  return Object.entries(p.calls)
    .filter(([name]) => name.startsWith(prefix) && name.includes('of which failed') === failed)
    .reduce((sum, [, stats]) => sum + stats.count, 0);
}

/** Leads per second the machine's cores could carry at the CPU the run spent per lead (all else free). */
export function cpuCeiling(p: PipelineResult): number {
  const perLead = (p.cpuSeconds.node + p.cpuSeconds.dynamoDbLocal) / p.leads;
  return p.cpuSeconds.cores / perLead;
}

const designName = (p: PipelineResult) =>
  p.design === 'single-chain'
    ? 'single chain (AUDIT_SHARDS=1, baseline)'
    : `sharded (AUDIT_SHARDS=${p.auditShards})`;

/** Whether the sharded design meets each target of issue 18 (the baseline is shown beside it, not judged). */
export function pipelineTargets(p: PipelineResult) {
  return {
    throughput: p.leadsPerSecond >= PIPELINE_TARGETS.leadsPerSecond,
    saturated: p.decisionMs.p99 < PIPELINE_TARGETS.saturatedP99Ms,
    paced: p.paced.decisionMs.p99 < PIPELINE_TARGETS.pacedP99Ms,
    cancelled: p.cancelledPerLead < PIPELINE_TARGETS.cancelledPerLead,
  };
}

/** The designs of a result: a comparison, or a single run saved before the comparison existed. */
export function designsOf(pipeline: PipelineComparison | PipelineResult): readonly PipelineResult[] {
  return 'designs' in pipeline ? pipeline.designs : [pipeline];
}

/**
 * The least CPU a lead costs in DynamoDB Local alone, from the calls the sharded run made per lead and the
 * engine's own CPU per call measured apart: what no change to our code can go below while each lead keeps
 * its audited transactions.
 */
export function dynamoDbLocalFloor(p: PipelineResult, costs: DynamoDbLocalCosts) {
  const attempts = callCount(p, 'DynamoDB TransactWriteItemsCommand') / p.leads;
  const others = callCount(p, 'DynamoDB') / p.leads - attempts;
  const cpuMsPerLead = attempts * costs.cpuMsPerTransaction + others * costs.cpuMsPerGet;
  const restCpuMsPerLead = (1000 * p.cpuSeconds.node) / p.leads;
  return {
    attempts,
    others,
    cpuMsPerLead,
    measuredCpuMsPerLead: (1000 * p.cpuSeconds.dynamoDbLocal) / p.leads,
    /** What the gateway, handlers, SDK and SQS server measured per lead in the run. */
    restCpuMsPerLead,
    /** Leads/s the cores carry at DynamoDB Local's floor plus the rest's measured CPU. */
    leadsPerSecond: (1000 * p.cpuSeconds.cores) / (cpuMsPerLead + restCpuMsPerLead),
  };
}

function pipelineSummaryRows(
  designs: readonly PipelineResult[],
  costs: DynamoDbLocalCosts | undefined,
): string[] {
  const sharded = designs.find((d) => d.design === 'sharded') ?? designs[designs.length - 1];
  if (sharded === undefined) return [];
  const base = designs.find((d) => d.design === 'single-chain');
  const beside = (value: (p: PipelineResult) => string) =>
    base === undefined ? value(sharded) : `${value(sharded)} (single chain: ${value(base)})`;
  const t = pipelineTargets(sharded);
  return [
    `| pipeline leads/s, sharded trail (${fmt(sharded.leads)} leads, ${sharded.clients} clients, ${sharded.consumers} consumers per queue) | ${beside((p) => fmt(p.leadsPerSecond, 1))} | ≥ ${PIPELINE_TARGETS.leadsPerSecond} | ${met(t.throughput)} |`,
    `| 202 → decision p99, saturated | ${beside((p) => ms(p.decisionMs.p99))} | < ${fmt(PIPELINE_TARGETS.saturatedP99Ms)} ms | ${met(t.saturated)} |`,
    `| 202 → decision p99, paced (${sharded.paced.perSecond} leads/s) | ${beside((p) => ms(p.paced.decisionMs.p99))} | < ${PIPELINE_TARGETS.pacedP99Ms} ms | ${met(t.paced)} |`,
    `| cancelled transactions per lead | ${beside((p) => fmt(p.cancelledPerLead, 2))} | < ${PIPELINE_TARGETS.cancelledPerLead} | ${met(t.cancelled)} |`,
    `| 50 concurrent allocations on one fund | ${beside((p) => `${fmt(p.allocation.perSecond, 1)}/s, ${p.allocation.conflictsRetried} conflicts retried`)} | | |`,
    ...(costs === undefined ? [] : [floorSummaryRow(sharded, dynamoDbLocalFloor(sharded, costs))]),
  ];
}

function floorSummaryRow(p: PipelineResult, floor: ReturnType<typeof dynamoDbLocalFloor>): string {
  return `| leads/s ${p.cpuSeconds.cores} cores carry at DynamoDB Local's least CPU per lead (${ms(floor.cpuMsPerLead)}) plus the rest of the stack's measured CPU (${ms(floor.restCpuMsPerLead)}) | ${fmt(floor.leadsPerSecond, 0)} | ≥ ${PIPELINE_TARGETS.leadsPerSecond} needed | |`;
}

function pipelineSection(report: Report, designs: readonly PipelineResult[]): string[] {
  const [first] = designs;
  if (first === undefined) return [];
  const header = `| figure | ${designs.map(designName).join(' | ')} |`;
  const rule = `| --- | ${designs.map(() => '---:').join(' | ')} |`;
  const row = (label: string, value: (p: PipelineResult) => string) =>
    `| ${label} | ${designs.map(value).join(' | ')} |`;
  const sharded = designs.find((d) => d.design === 'sharded');
  const targets = sharded === undefined ? undefined : pipelineTargets(sharded);
  const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ` — sharded: ${met(ok)}`);
  const lines = [
    '## 3. Pipeline throughput on the local cloud: the single audit chain against the sharded trail',
    '',
    `Command: \`${command(report.mode, 'pipeline')}\`. The pipeline runs twice in one run, each time in a fresh Node`,
    'process with a fresh local cloud (DynamoDB Local 3.3 in Java, the local SQS server, the HTTP gateway with its JWT',
    'authorizer, the pollers, all calling the real handlers in that process): first the single audit chain of before',
    '(`AUDIT_SHARDS=1`, the baseline), then the sharded trail as deployed (`AUDIT_SHARDS` unset: its default).',
    `Each queue (evaluation, allocation) is read by ${first.consumers} consumers at once, each with its own handler object, as`,
    'Lambda starts an SQS event source with five concurrent batches (and adds up to 300 a minute); the local cloud',
    'itself runs one poller per queue. 5 warm-up leads first (not counted). ' +
      `${fmt(first.leads)} leads (valid, each a new investor, fund-eligible with a 1000万 request, so each also goes`,
    `through the allocation queue and the one fund balance item) are POSTed by ${first.clients} concurrent clients.`,
    '',
    header,
    rule,
    row(
      `leads/s, first POST → last decision stored (target ≥ ${PIPELINE_TARGETS.leadsPerSecond}${verdict(targets?.throughput)})`,
      (p) => `**${fmt(p.leadsPerSecond, 1)}** (${fmt(p.leads)} in ${fmt(p.wallSeconds, 1)} s)`,
    ),
    row(
      'leads/s, first POST → last allocation settled',
      (p) => `${fmt(p.leads / p.settledSeconds, 1)} (${fmt(p.settledSeconds, 1)} s)`,
    ),
    row('submits/s (202s over the submitting time)', (p) => fmt(p.submitsPerSecond, 1)),
    row('POST → 202, p50 / p95 / p99 (from the first attempt)', (p) => three(p.submitMs)),
    row('POSTs answered 5xx and retried with the same Idempotency-Key', (p) =>
      fmt(p.submitServerErrors ?? 0),
    ),
    row(
      `202 → decision stored, p50 / p95 / p99 (target p99 < ${fmt(PIPELINE_TARGETS.saturatedP99Ms)} ms${verdict(targets?.saturated)})`,
      (p) => three(p.decisionMs),
    ),
    row('POST → decision stored, p50 / p95 / p99', (p) => three(p.endToEndMs)),
    row(
      `cancelled transactions per lead, first POST → last allocation settled (target < ${PIPELINE_TARGETS.cancelledPerLead}${verdict(targets?.cancelled)})`,
      (p) => `**${fmt(p.cancelledPerLead, 2)}** (${fmt(p.cancelledTransactions)})`,
    ),
    row('TransactWriteItems attempts per lead', (p) =>
      fmt(callCount(p, 'DynamoDB TransactWriteItemsCommand') / p.leads, 1),
    ),
    row('DynamoDB calls per lead (handlers)', (p) => fmt(callCount(p, 'DynamoDB') / p.leads, 1)),
    row('CPU per lead: Node (gateway, handlers, SQS server, clients) + DynamoDB Local', (p) =>
      p.cpuSeconds === undefined
        ? ''
        : `${ms((1000 * p.cpuSeconds.node) / p.leads)} + ${ms((1000 * p.cpuSeconds.dynamoDbLocal) / p.leads)}`,
    ),
    row('leads/s the machine’s cores allow at that CPU per lead (cores ÷ CPU per lead)', (p) =>
      p.cpuSeconds === undefined ? '' : fmt(cpuCeiling(p), 0),
    ),
    row('load average (1 min) at the start / end of this design’s run', (p) =>
      p.load === undefined ? '' : `${fmt(p.load.start, 2)} / ${fmt(p.load.end, 2)}`,
    ),
    row(
      'evaluation batches',
      (p) =>
        `${fmt(p.evaluationBatches.count)}, ${fmt(p.evaluationBatches.meanRecords, 1)} records on average`,
    ),
    row(
      `paced: ${fmt(first.paced.leads)} more leads, one every ${fmt(1000 / first.paced.perSecond)} ms from one client (${first.paced.perSecond}/s), after every allocation settled`,
      () => '',
    ),
    row('paced: POST → 202, p50 / p95 / p99', (p) => three(p.paced.submitMs)),
    row(
      `paced: 202 → decision stored, p50 / p95 / p99 (target p99 < ${PIPELINE_TARGETS.pacedP99Ms} ms${verdict(targets?.paced)})`,
      (p) => three(p.paced.decisionMs),
    ),
    row('paced: POST → decision stored, p50 / p95 / p99', (p) => three(p.paced.endToEndMs)),
    row(
      '50 concurrent allocations on one fresh fund (room for 30)',
      (p) =>
        `**${fmt(p.allocation.perSecond, 1)}/s** (${fmt(p.allocation.seconds, 2)} s): ${p.allocation.reserved} reserved, ${p.allocation.waitlisted} waitlisted${p.allocation.other > 0 ? `, ${p.allocation.other} applied by another's call (older first)` : ''}`,
    ),
    row('allocation latency p50 / p95 / p99', (p) => three(p.allocation.latencyMs)),
    row('conflicts retried by the allocation use case (a fund write that lost and read again)', (p) =>
      fmt(p.allocation.conflictsRetried),
    ),
    '',
    '"Decision stored" is the decision revision’s `evaluatedAt`, stamped by the consumer just before its',
    'conditional write (one DynamoDB round trip earlier than the write itself); completion was watched by reading',
    'the oldest undecided lead, one read at a time (the benchmark’s own reads are not counted below). An allocation is',
    'settled when its pending-work mark is gone (`allocationSettled`, after the fund transaction).',
    '',
    '### What cancelled the transactions',
    '',
    'Each TransactionCanceledException, charged to the items DynamoDB named in its cancellation reasons',
    '(ConditionalCheckFailed: a condition on the item failed; TransactionConflict: another transaction held the',
    'item). First POST → last allocation settled:',
    '',
    ...reasonsTable(
      designs,
      (p) => p.cancellationReasons,
      (p) => p.leads,
      'lead',
    ),
    '',
    'The 50 concurrent allocations on one fund:',
    '',
    ...reasonsTable(
      designs,
      (p) => p.allocation.cancellationReasons,
      (p) => p.allocation.allocations,
      'allocation',
    ),
    '',
    ...analysisLines(designs),
    '',
    '### Where the time goes',
    '',
    'Every DynamoDB and SQS call the handlers made, first POST → last allocation settled (submit, evaluate, allocate,',
    'all on the module-scope clients; the pollers’ own ReceiveMessage/DeleteMessageBatch calls are not in it), then',
    'the same calls by function and by the kinds of item each touched (a Query by its index and partition; a',
    'cancelled transaction also under the item and reason DynamoDB named):',
  ];
  for (const p of designs) {
    lines.push(
      '',
      `**${designName(p)}**:`,
      '',
      ...callsTable(p.calls, p.leads, 'lead'),
      ...breakdownTable(p.callBreakdown, p.leads, 'lead'),
    );
  }
  lines.push('', 'The 50 concurrent allocations on one fund:');
  for (const p of designs) {
    lines.push(
      '',
      `**${designName(p)}**:`,
      '',
      ...callsTable(p.allocation.calls, p.allocation.allocations, 'allocation'),
      ...breakdownTable(p.allocation.callBreakdown, p.allocation.allocations, 'allocation'),
    );
  }
  const warnings = designs.flatMap((p) => p.warnings.map((w) => `${p.design}: ${w}`));
  if (warnings.length > 0) {
    lines.push('', 'Warnings from the local cloud during the runs:', '', ...warnings.map((w) => `- ${w}`));
  }
  return lines;
}

const reasonCount = (p: PipelineResult, prefix: string) =>
  Object.entries(p.cancellationReasons)
    .filter(([key]) => key.startsWith(prefix))
    .reduce((sum, [, count]) => sum + count, 0);

/**
 * What the shards changed and what still limits the pipeline, worked out from the run's own figures: the
 * CPU each lead costs, the chance that two writers meet on a chain, the queue that 20 clients build, and
 * the fund's one balance item.
 */
function analysisLines(designs: readonly PipelineResult[]): string[] {
  const sharded = designs.find((d) => d.design === 'sharded');
  const base = designs.find((d) => d.design === 'single-chain');
  if (sharded === undefined) return [];
  const p = sharded;
  const mean = (name: string) => p.calls[`DynamoDB ${name}`]?.meanMs ?? Number.NaN;
  const attempts = callCount(p, 'DynamoDB TransactWriteItemsCommand');
  const failed = callCount(p, 'DynamoDB TransactWriteItemsCommand', true);
  const writesPerLead = (attempts - failed) / p.leads;
  const settledRate = p.leads / p.settledSeconds;
  const writeRate = writesPerLead * settledRate;
  const windowMs = mean('GetItemCommand') + mean('TransactWriteItemsCommand');
  const perWrite = (writeRate * (windowMs / 1000)) / p.auditShards;
  const headConflicts = reasonCount(p, 'audit chain head');
  const cpuPerLeadMs = (1000 * (p.cpuSeconds.node + p.cpuSeconds.dynamoDbLocal)) / p.leads;
  const neededCpuMs = (1000 * p.cpuSeconds.cores) / PIPELINE_TARGETS.leadsPerSecond;
  const queueSeconds = p.leads / p.leadsPerSecond - p.leads / p.submitsPerSecond;
  const fundConflicts = reasonCount(p, 'fund balance');
  const lines = ['', '### What the shards changed, and what still limits the pipeline', ''];
  if (base !== undefined) {
    lines.push(
      `- **The audit chain**: with one chain, ${fmt(reasonCount(base, 'audit chain head') / base.leads, 2)} transactions per lead were cancelled on its head`,
      `  (every writer of the pipeline raced for it); with ${p.auditShards} chains, ${fmt(headConflicts / p.leads, 2)}. Throughput went from ${fmt(base.leadsPerSecond, 1)} to`,
      `  ${fmt(p.leadsPerSecond, 1)} leads/s, POST → 202 p99 from ${ms(base.submitMs.p99)} to ${ms(p.submitMs.p99)}, DynamoDB calls per lead from`,
      `  ${fmt(callCount(base, 'DynamoDB') / base.leads, 1)} to ${fmt(callCount(p, 'DynamoDB') / p.leads, 1)} (each retry re-reads the head), CPU per lead from ${ms((1000 * (base.cpuSeconds.node + base.cpuSeconds.dynamoDbLocal)) / base.leads)} to ${ms(cpuPerLeadMs)}.`,
    );
  }
  lines.push(
    `- **CPU, the limit now**: each lead cost ${ms(cpuPerLeadMs)} of CPU (${ms((1000 * p.cpuSeconds.node) / p.leads)} in Node: the gateway and its JWT check, the`,
    `  handlers, the SDK signing ${fmt(callCount(p, 'DynamoDB') / p.leads, 1)} DynamoDB calls, the in-process SQS server; ${ms((1000 * p.cpuSeconds.dynamoDbLocal) / p.leads)} in DynamoDB Local's JVM).`,
    `  ${p.cpuSeconds.cores} cores carry at most ${fmt(cpuCeiling(p), 0)} leads/s at that cost with nothing else running; ${fmt(PIPELINE_TARGETS.leadsPerSecond)} leads/s would need`,
    `  ${ms(neededCpuMs)} per lead, or about ${fmt(Math.ceil((cpuPerLeadMs * PIPELINE_TARGETS.leadsPerSecond) / 1000), 0)} cores at this cost. Nothing in the pipeline waits on another writer`,
    '  any more for long enough to explain the gap: the local stack is CPU-bound, and on this shared machine other',
    '  engineers’ test suites take part of the two cores (the load average above).',
    `- **Two writers on one chain**: each writer appends to a chain it holds, with the head it wrote there, under a`,
    '  condition on that head (no head read); a transaction is cancelled on a head only when another writer moved it,',
    '  that is when two writers picked the same chain, and the loser then moves to another chain at random',
    `  (docs/audit-trail.md). Here ${fmt(headConflicts)} of ${fmt(attempts)} transactions (${fmt(headConflicts / p.leads, 2)} per lead) were cancelled on a head, with ${p.auditShards} chains`,
    `  and ${p.consumers} consumers per queue; the subject-hashed chains of before cancelled W·T/S of the writes (W audited`,
    `  writes/s, T from head read to commit, S chains): here that would be ${fmt(writesPerLead, 2)} × ${fmt(settledRate, 1)} leads/s × ${ms(windowMs)} / ${p.auditShards} = ${fmt(perWrite * writesPerLead, 2)} per lead.`,
    `- **The queue in front of the consumers**: ${p.clients} clients submitted ${fmt(p.submitsPerSecond, 1)} leads/s while decisions were stored at`,
    `  ${fmt(p.leadsPerSecond, 1)}/s, so the last lead waited about ${fmt(p.leads, 0)}/${fmt(p.leadsPerSecond, 1)} − ${fmt(p.leads, 0)}/${fmt(p.submitsPerSecond, 1)} = ${fmt(queueSeconds, 1)} s behind the others`,
    `  (202 → decision p99 ${ms(p.decisionMs.p99)}): saturated latency is this queue, and it stays under 5 s only while the consumers keep up`,
    '  with intake. Paced, nothing queues: the p99 is one evaluation.',
    `- **The fund's one balance item** (\`FUND#<id>/FUND\`): every fund-eligible lead's allocation updates it (a reservation, or`,
    `  the waiting count when it joins the waitlist), conditioned on what it read; in the pipeline it cancelled ${fmt(fundConflicts)}`,
    '  transactions (the fund was empty after its first leads and the balance update of a waitlist join only adds',
    '  to a count). Two allocations in flight no longer apply each other: a claim on an empty fund takes its place in',
    '  the waitlist, and the earlier decisions still on their way are applied when money goes back to the waitlist',
    '  (`serveWaitlist`), not by every consumer at once (that herd cancelled 2.1 transactions per lead before). While',
    '  the fund has money the strict order of evaluation still makes each claim apply the earlier ones in flight',
    `  first: the 50 concurrent claims on a fund with room for 30 retried ${fmt(p.allocation.conflictsRetried)} writes. One fund takes one`,
    '  allocation at a time in order, by design; what scales is the number of funds and the empty-fund path.',
  );
  return lines;
}

/** DynamoDB Local alone: its CPU per call, and the least CPU a lead costs there. */
function floorSection(designs: readonly PipelineResult[], costs: DynamoDbLocalCosts): string[] {
  const sharded = designs.find((d) => d.design === 'sharded');
  if (sharded === undefined) return [];
  const floor = dynamoDbLocalFloor(sharded, costs);
  const budgetMs = (1000 * sharded.cpuSeconds.cores) / PIPELINE_TARGETS.leadsPerSecond;
  const round = (r: DynamoDbLocalCosts['transactions'][number]) =>
    `${fmt(r.calls)} in ${fmt(r.seconds, 1)} s: ${fmt(r.calls / r.seconds, 0)}/s, ${fmt((1000 * r.cpuSeconds) / r.calls, 2)} ms`;
  return [
    '### The floor: DynamoDB Local alone',
    '',
    'Measured apart in the same run (`bench/dynamodb-local-costs.ts`): a fresh DynamoDB Local with the real tables and',
    `indexes, ${costs.writers} writers at once, each on a chain of its own (nothing cancelled), after a warm-up round; the JVM's`,
    'CPU (user + system, from /proc) per call. The transaction is one audited write as the pipeline makes it: the',
    'audit entry (three index keys), the chain head, the lead (five index keys) and its pending-work mark.',
    '',
    '| call | rounds: calls, time, rate, JVM CPU per call | median CPU per call |',
    '| --- | --- | ---: |',
    `| TransactWriteItems, 4 items | ${costs.transactions.map(round).join('; ')} | ${fmt(costs.cpuMsPerTransaction, 2)} ms |`,
    `| GetItem, consistent, a lead | ${costs.gets.map(round).join('; ')} | ${fmt(costs.cpuMsPerGet, 2)} ms |`,
    '',
    `The sharded run made ${fmt(floor.attempts, 2)} transaction attempts and ${fmt(floor.others, 2)} other DynamoDB calls per lead, so DynamoDB Local`,
    `alone spends at least ${fmt(floor.attempts, 2)} × ${fmt(costs.cpuMsPerTransaction, 2)} + ${fmt(floor.others, 2)} × ${fmt(costs.cpuMsPerGet, 2)} = **${ms(floor.cpuMsPerLead)} of CPU per lead** (the run measured`,
    `${ms(floor.measuredCpuMsPerLead)}: its transactions carry more items and its queries read more). ${fmt(PIPELINE_TARGETS.leadsPerSecond)} leads/s on ${sharded.cpuSeconds.cores} cores leaves`,
    `**${ms(budgetMs)} of CPU per lead for everything**: DynamoDB Local's floor alone takes ${fmt((100 * floor.cpuMsPerLead) / budgetMs, 0)}% of it, and the rest of`,
    `the stack (the gateway with its JWT check, the handlers, the SDK, the SQS server) measured ${ms(floor.restCpuMsPerLead)} per lead in the run.`,
    `At the floor plus that, ${sharded.cpuSeconds.cores} cores carry at most **${fmt(floor.leadsPerSecond, 0)} leads/s**. Every lead needs its three audited transactions`,
    '(intake, decision, allocation: each a state change written together with its audit entry, or not at all;',
    '../shared/docs/reliability.md), so 100 leads/s is beyond this 2-core machine with DynamoDB Local as the engine,',
    'and with it the saturated p99 of 1,000 leads from 20 clients (the queue in front of the consumers grows while',
    'intake outruns them).',
  ];
}

function reasonsTable(
  designs: readonly PipelineResult[],
  reasonsOf: (p: PipelineResult) => Readonly<Record<string, number>>,
  per: (p: PipelineResult) => number,
  perName: string,
): string[] {
  const keys = [...new Set(designs.flatMap((p) => Object.keys(reasonsOf(p))))];
  if (keys.length === 0) return ['None.'];
  const total = (key: string) => designs.reduce((sum, p) => sum + (reasonsOf(p)[key] ?? 0), 0);
  keys.sort((a, b) => total(b) - total(a));
  return [
    `| item — reason | ${designs.map((p) => `${designName(p)}: count (per ${perName})`).join(' | ')} |`,
    `| --- | ${designs.map(() => '---:').join(' | ')} |`,
    ...keys.map(
      (key) =>
        `| ${key} | ${designs.map((p) => `${fmt(reasonsOf(p)[key] ?? 0)} (${fmt((reasonsOf(p)[key] ?? 0) / per(p), 2)})`).join(' | ')} |`,
    ),
  ];
}

const SCALE = `## AWS: what the sharded trail changes, and what 10× and 1000× need now

Nothing below is measured on AWS. The rates per lead come from section 3 (about 3 audited write transactions,
about 8 DynamoDB calls and 2 SQS messages per lead); the latencies are assumptions stated where used (in-Region
DynamoDB: a consistent GetItem ~5 ms, a TransactWriteItems ~15–25 ms); the limits are AWS's published
defaults. "Today" is a zone's ordinary load, a few leads per second at a burst; 10× is tens per second (a
province's zones on one deployment, a campaign week), 1000× thousands per second.

**What the shards change.** Before, every write transaction of the pipeline moved one chain head under a
condition, so one append succeeded per head version: at T ≈ 20–30 ms from head read to commit, some 30–50
audited writes/s for the whole deployment, 10–17 leads/s, whatever Lambda scaled to (the old estimate: 15–30).
Now there are 32 chains (\`AUDIT_SHARDS\`) and each writer (a Lambda instance) appends to a chain it holds,
with the head it wrote there, so an append reads no head and nothing else waits on it: the ceiling is some
32 × 40 ≈ 1,300 audited writes/s, ~400 leads/s. Conflicts come only from two instances that picked the same
chain; the loser moves to another at random, so they settle while the writing instances are fewer than the
chains. Concurrency is rate × duration: at 30 leads/s (90 audited writes/s of ~25 ms) about 2–3 instances
write at once, far below 32. Set \`AUDIT_SHARDS\` above the writing functions' \`maximumConcurrency\` sum:
with more instances than chains some share one and retry.

**The single items and keys that stay hot** (DynamoDB: one partition key value takes about 1,000 write units/s;
a transactional write costs 2 units per item up to 1 KB; two transactions on one item at once cancel one of
them with TransactionConflict; a GSI key whose sort key grows with time takes every write at its end, so
splitting for heat does not help it):

| item or key | writes per lead | at 10× (30 leads/s) | at 1000× (3,000 leads/s) |
| --- | --- | --- | --- |
| a fund's balance \`FUND#<id>/FUND\` | 1 transactional update per fund-eligible lead (a reservation, or the waiting count when it joins the waitlist) | ≤ 30/s: fine; held ~20 ms per transaction, so conflicts begin near 1/T ≈ 50/s | 3,000/s: impossible on one item |
| an audit chain head (32) | 3 per lead, spread | 3/s per chain | 280/s per chain, above one writer's ~40/s |
| GSI \`pendingWork\` key \`EVALUATION\`, \`ALLOCATION\` | a put and a delete of each mark: 2 per key | 60/s | 6,000/s per key: 6× over |
| GSI \`newestFirst\` key \`LEADS\`; \`byMonth\` \`MONTH#<yyyy-mm>\` | 1 each | 30/s | 3,000/s: 3× over |
| GSI \`byStatus\` \`STATUS#<status>\` | a delete and a put per status change | ~60/s spread over the statuses | over on the busiest statuses |
| audit GSI \`byActor\` (\`pipeline\` writes the evaluation and allocation entries), \`byAction\` (\`lead.received\`, \`lead.evaluated\`) | 2 on \`pipeline\`, 1 per action | 60/s | 6,000/s on \`pipeline\`: over |

Other limits: Lambda, 1,000 concurrent executions per account and Region by default (new accounts may start
lower; a quota that can be raised); an SQS event source starts at five concurrent batches and adds up to 300 a
minute, up to 1,000 per event source mapping unless \`maximumConcurrency\` caps it. Concurrency is rate ×
duration: at 3,000 leads/s about 300 intake invocations (~100 ms each) and 100–200 consumer invocations
(10-record batches of ~25 ms records). SQS standard queues: no practical limit (FIFO: 300 messages/s per API
action, 3,000 with batches; one batch in flight per message group). API Gateway HTTP API: 10,000
requests/s per account and Region (burst 5,000). DynamoDB on demand: a table's default quota is 40,000 write
units/s; at 30–40 units per lead (three transactions of 4–6 items, the marks and indexes: an estimate from the
items each write path names) 1000× needs about 100,000, and a new table serves 4,000 writes/s at first.

**At 10×** nothing in the design has to change now. The trail's retries stay near zero while the writing
instances are fewer than the chains; the fund item is below its conflict rate; every GSI key is far below 1,000 writes/s; Lambda
needs a few tens of concurrent executions. Set \`maximumConcurrency\` on both event sources (a burst must not
turn into a hundred consumers racing for one fund), alarm on \`TransactionConflict\`, throttles and the age of
the oldest pending mark, and raise \`AUDIT_SHARDS\` (64 or 128) if the writing functions' concurrency grows past
it; the cost is one more query per chain for \`GET /audit\` and the digest's head reads.

**At 1000×** every single item or key above must be split or taken off the hot path:
- Audit: no chain can take 280 conditional appends/s, and thousands of chains would make \`GET /audit\` and
  verification read thousands of heads. Take the chaining out of the business transaction: the transaction
  writes the entry (keyed by subject and time, no head condition), and one writer per chain links entries into
  the hash chain in order (a DynamoDB Streams consumer: a stream shard is processed in order by one invocation
  at a time), a batch per transaction; digests and verification stay as they are. No business write then
  waits on another writer's head.
- Fund: route allocations through a FIFO queue with \`MessageGroupId = fundId\`: one consumer per fund, in order
  of evaluation (the rule the fund already enforces, now without any claim applying another's), several
  allocations per transaction. A fund with nothing left should not write its balance at all on a waitlist
  join (the waiting count comes from the waitlist itself). Several funds scale apart.
- Indexes: shard the hot keys (\`ALLOCATION#00\`…\`#15\`, \`LEADS#<n>\`, \`MONTH#<yyyy-mm>#<n>\`, \`pipeline#<n>\`)
  and query the shards in parallel, or serve listings from a stream-fed projection.
- Capacity: raise the table quotas and pre-warm on-demand throughput; raise Lambda concurrency; batch SQS
  sends where a request carries several leads; set \`maximumConcurrency\` to what the tables take.
- The engine is not a limit (section 1: a few µs per decision beside tens of ms of storage per lead).`;

export function renderReport(report: Report): string {
  const m = report.machine;
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`bench/run.ts\` (\`${report.command ?? `npm run bench${report.mode === 'quick' ? ' -- --quick' : ''}`}\`) on ${report.date}, in ${fmt(report.seconds, 0)} s. Do not edit by hand: run`,
    '`npm run bench` again. Benchmarks are not part of `npm test`; `npm run bench -- --quick` runs every part with',
    'fewer leads and samples (under 2 minutes) and writes `bench/results/benchmarks-quick.md` instead of this file.',
    '',
    `**Machine**: ${m.cores} cores (${m.cpuModel}), ${fmt(m.memoryGiB, 1)} GiB memory (${fmt(m.freeMemoryGiB, 1)} GiB free at the start), Node ${m.node}, ${m.platform}.`,
    `Load average (1/5/15 min) at the start ${m.loadAverage.join(' / ')}, at the end ${report.loadAfter.join(' / ')}: this is a`,
    'shared machine where other engineers run test suites (the local cloud, DynamoDB Local) at the same time, so',
    `absolute figures can be noisy; the engine comparison alternates both engines in rounds to share that noise.`,
    '',
    '## Summary',
    '',
    '| figure | value | target | |',
    '| --- | ---: | ---: | --- |',
  ];
  const { engine, coldStart, pipeline } = report;
  if (engine !== undefined) {
    lines.push(
      `| json-rules-engine decisions/s | ${fmt(engine.rates.jsonRulesEngine)} | | |`,
      `| ours, full decision, decisions/s (ratio) | ${fmt(engine.rates.full)} (${fmt(engine.ratios.full, 2)}×) | ≥ 10× | ${met(engine.targets.fullMet)} |`,
      `| ours, replay (the input hash made again), decisions/s (ratio) | ${fmt(engine.rates.replay)} (${fmt(engine.ratios.replay, 2)}×) | | |`,
      `| ours, bare rules, decisions/s (ratio) | ${fmt(engine.rates.bare)} (${fmt(engine.ratios.bare, 1)}×) | ≥ 100× | ${met(engine.targets.bareMet)} |`,
      `| leads where json-rules-engine’s float amount is a fen off | ${fmt(engine.agreement.fenDisagreements)} of ${fmt(engine.leads)} | 0 for ours | exact |`,
    );
  }
  if (coldStart !== undefined) {
    const sizes = coldStart.rows.map((row) => row.bytes);
    const inits = coldStart.rows.map((row) => row.initMedianMs);
    lines.push(
      `| function bundles, smallest–largest | ${kb(Math.min(...sizes))}–${kb(Math.max(...sizes))} (baseline ${kb(coldStart.baseline.bytes)}) | < 600 KB each | ${met(coldStart.rows.every((row) => row.bundleMet))} (${coldStart.rows.filter((row) => row.bundleMet).length}/${coldStart.rows.length}) |`,
      `| init (import + one answer) median, fastest–slowest | ${ms(Math.min(...inits))}–${ms(Math.max(...inits))} (baseline ${ms(coldStart.baseline.initMedianMs)}) | < 100 ms each | ${met(coldStart.rows.every((row) => row.initMet))} (${coldStart.rows.filter((row) => row.initMet).length}/${coldStart.rows.length}) |`,
    );
  }
  if (pipeline !== undefined) lines.push(...pipelineSummaryRows(designsOf(pipeline), report.dynamoDbLocal));
  if (report.console !== undefined) lines.push(...consoleSummaryRows(report.console));
  if (report.exports !== undefined) lines.push(...exportsSummaryRows(report.exports));
  lines.push('');
  const elsewhere = [
    ...(report.console === undefined ? ['the console (`--only console`: docs/benchmarks-console.md)'] : []),
    ...(report.exports === undefined ? ['the exports (`--only exports`: docs/benchmarks-exports.md)'] : []),
  ];
  if (elsewhere.length > 0) lines.push(`Not in this run: ${elsewhere.join('; ')}.`, '');
  if (engine !== undefined) lines.push(...engineSection(report, engine), '');
  if (coldStart !== undefined) lines.push(...coldStartSection(report, coldStart), '');
  if (pipeline !== undefined) lines.push(...pipelineSection(report, designsOf(pipeline)), '');
  if (pipeline !== undefined && report.dynamoDbLocal !== undefined)
    lines.push(...floorSection(designsOf(pipeline), report.dynamoDbLocal), '');
  if (report.console !== undefined) lines.push(...consoleSection(report.mode, report.console), '');
  if (report.exports !== undefined) lines.push(...exportsSection(report.mode, report.exports), '');
  lines.push(SCALE, '');
  return lines.join('\n');
}
