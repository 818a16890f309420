/**
 * Benchmark 3: the pipeline on the local cloud, started in this process (DynamoDB Local, the SQS server,
 * the HTTP gateway and the pollers, all calling the real handlers). N leads are POSTed by C concurrent
 * clients; a lead counts as done when its decision revision is stored. Then 50 concurrent allocations
 * on one fresh fund, through the use case on DynamoDB Local.
 *
 * Where the time goes: every DynamoDB and SQS call the handlers make is timed by a middleware on their
 * module-scope clients (the same module instances the local cloud imports), the pollers' batches are
 * counted from the local cloud's log, and the submit latency (POST → 202) is measured apart from the
 * queue wait (202 → decision stored, from the decision's `evaluatedAt`, stamped just before its write).
 * Each cancelled transaction is charged to the items whose condition failed or that another transaction
 * held (DynamoDB's cancellation reasons, matched to the request's items), so a hot item shows by name.
 *
 * Issue 18 part 5: `runPipelineComparison` runs this twice, each in a fresh Node process with its own local
 * cloud (the configuration, AUDIT_SHARDS included, is read once per process): the single audit chain of
 * before (AUDIT_SHARDS=1) as the baseline, then the sharded trail as configured by default.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { invokedFunctionId, type LambdaHandler } from '#infra/local/lambda-runtime.ts';
import { type ExtraEventSource, startLocalCloud } from '#infra/local/local-cloud.ts';
import type { LocalLog } from '#infra/local/log.ts';
import { eventSources, functions } from '#infra/resources.ts';
import { allocateFund } from '#shared/use-cases/allocate-fund.ts';
import { makeValidUscc } from '#test/fixtures/identifiers.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { afterApply, fundTestKit } from '#test/integration/fund/fund-support.ts';
import { processCpuSeconds } from './lib/process-cpu.ts';
import { mean, percentile } from './lib/stats.ts';

export interface CallStats {
  readonly count: number;
  readonly meanMs: number;
  readonly p95Ms: number;
}

/** One design's run: the single audit chain (the baseline) or the sharded trail. */
export type PipelineDesign = 'single-chain' | 'sharded';

export interface PipelineResult {
  readonly design: PipelineDesign;
  /** AUDIT_SHARDS as the handlers read it (1: the single chain of before). */
  readonly auditShards: number;
  /** Concurrent invocations per SQS event source (Lambda starts an SQS event source at five). */
  readonly consumers: number;
  readonly leads: number;
  readonly clients: number;
  readonly wallSeconds: number;
  /** First POST → the last lead's allocation settled (its pending mark gone): the whole pipeline. */
  readonly settledSeconds: number;
  /** TransactWriteItems cancelled (TransactionCanceledException), first POST → every allocation settled. */
  readonly cancelledTransactions: number;
  readonly cancelledPerLead: number;
  /**
   * What cancelled them: `<item> — <reason code>` → count, one per item named in a cancellation (a
   * transaction cancelled on two items counts under both).
   */
  readonly cancellationReasons: Readonly<Record<string, number>>;
  /** POSTs answered 5xx (retried with the same Idempotency-Key), in the saturated run. */
  readonly submitServerErrors: number;
  /**
   * CPU time, first POST → last allocation settled: this Node process (gateway, handlers, SQS server,
   * pollers, the benchmark's clients) and the DynamoDB Local JVM (NaN where /proc cannot be read).
   */
  readonly cpuSeconds: { readonly node: number; readonly dynamoDbLocal: number; readonly cores: number };
  /** 1-minute load average when this design's run began and when it ended. */
  readonly load: { readonly start: number; readonly end: number };
  readonly leadsPerSecond: number;
  readonly submitsPerSecond: number;
  /** POST → 202. */
  readonly submitMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** 202 → decision stored. */
  readonly decisionMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** POST sent → decision stored. */
  readonly endToEndMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly calls: Readonly<Record<string, CallStats>>;
  /**
   * The same calls by function, command and what they touched: `<function> | <service> <command> | <item
   * kinds>` → count; a cancelled transaction also counts under `… cancelled on | <item> — <reason>`.
   */
  readonly callBreakdown: Readonly<Record<string, number>>;
  /** Leads sent one at a time at a steady rate well under the saturated one: an ordinary day's latency. */
  readonly paced: {
    readonly leads: number;
    readonly perSecond: number;
    readonly submitMs: { readonly p50: number; readonly p95: number; readonly p99: number };
    readonly decisionMs: { readonly p50: number; readonly p95: number; readonly p99: number };
    readonly endToEndMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  };
  readonly evaluationBatches: { readonly count: number; readonly meanRecords: number };
  readonly pollWaitSeconds: number;
  readonly batchingWindowSeconds: number;
  readonly batchSize: number;
  readonly allocation: {
    readonly allocations: number;
    readonly seconds: number;
    readonly perSecond: number;
    readonly reserved: number;
    readonly waitlisted: number;
    readonly other: number;
    readonly conflictsRetried: number;
    readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number };
    readonly calls: Readonly<Record<string, CallStats>>;
    readonly callBreakdown: Readonly<Record<string, number>>;
    readonly cancellationReasons: Readonly<Record<string, number>>;
  };
  readonly startSeconds: number;
  readonly warnings: readonly string[];
}

const three = (values: readonly number[]) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
});

/** Calls the benchmark makes itself (watching for decisions), kept out of the handlers' figures. */
const benchOwn = new AsyncLocalStorage<true>();
const own = <T>(work: () => Promise<T>) => benchOwn.run(true, work);

/** The item of a transaction, named by its key's kind (`HEAD#main.7` → audit chain head). */
export function itemKind(item: TransactWriteItem | undefined): string {
  return keyKind(item?.Put?.Item ?? item?.Update?.Key ?? item?.Delete?.Key ?? item?.ConditionCheck?.Key);
}

/** An item named by its key's kind (`pk`/`sk` prefixes of the tables' single-table design). */
export function keyKind(key: Record<string, AttributeValue> | undefined): string {
  const pk = key?.pk?.S ?? '';
  const sk = key?.sk?.S ?? '';
  if (pk === 'POLICY') return 'policy version';
  if (pk.startsWith('HEAD#')) return 'audit chain head';
  if (pk.startsWith('CHAIN#')) return 'audit entry';
  if (pk.startsWith('FUND#')) {
    if (sk === 'FUND') return 'fund balance (FUND#<id>/FUND)';
    if (sk.startsWith('ALLOC#')) return "lead's allocation record";
    if (sk.startsWith('WAIT#')) return 'waitlist entry';
  }
  if (pk.startsWith('LEAD#')) {
    if (sk === 'LEAD') return 'lead item';
    if (sk.startsWith('DECISION#')) return 'decision revision';
    if (sk.startsWith('PENDING#')) return `pending-work mark (${sk.slice('PENDING#'.length).toLowerCase()})`;
  }
  const prefix = (value: string) => value.split('#')[0] ?? value;
  return `other (${prefix(pk)}#/${prefix(sk)})`;
}

interface CallInput {
  readonly QueueUrl?: string;
  readonly IndexName?: string;
  readonly Key?: Record<string, AttributeValue>;
  readonly Item?: Record<string, AttributeValue>;
  readonly KeyConditionExpression?: string;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue>;
  readonly TransactItems?: TransactWriteItem[];
  readonly RequestItems?: Record<string, { Keys?: Record<string, AttributeValue>[] }>;
}

/**
 * What one call touched, by kind: the item of a GetItem/PutItem/UpdateItem/DeleteItem, the index and
 * partition of a Query (`pendingWork PENDING#…`), the items of a transaction or a BatchGetItem (each kind
 * once, with its count when more than one), the queue of an SQS send.
 */
export function callTarget(input: CallInput): string {
  if (input.QueueUrl !== undefined) return input.QueueUrl.slice(input.QueueUrl.lastIndexOf('/') + 1);
  if (input.TransactItems !== undefined) return kindsOf(input.TransactItems.map(itemKind));
  if (input.RequestItems !== undefined) {
    return kindsOf(Object.values(input.RequestItems).flatMap((request) => (request.Keys ?? []).map(keyKind)));
  }
  if (input.KeyConditionExpression !== undefined) {
    // The partition named by the first equality of the key condition (`pk = :pk`).
    const placeholder = /=\s*(:\w+)/.exec(input.KeyConditionExpression)?.[1];
    const value = placeholder === undefined ? undefined : input.ExpressionAttributeValues?.[placeholder]?.S;
    const partition = value === undefined ? '?' : `${value.split('#')[0]}${value.includes('#') ? '#…' : ''}`;
    return `${input.IndexName ?? 'table'} ${partition}`;
  }
  return keyKind(input.Key ?? input.Item);
}

function kindsOf(kinds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts.entries()].map(([kind, count]) => (count > 1 ? `${count}× ${kind}` : kind)).join(' + ');
}

/** `<function> | <service> <command> | <what it touched>` → count: the handlers' calls broken down. */
export type CallBreakdown = Map<string, number>;

/** A middleware timing every call of an SDK client, by command name, and naming what cancelled a transaction. */
function timing(
  service: string,
  into: Map<string, number[]>,
  reasons: Map<string, number>,
  breakdown: CallBreakdown,
) {
  return <I, O>(next: (args: I) => Promise<O>, context: { commandName?: string }) =>
    async (args: I): Promise<O> => {
      if (benchOwn.getStore() === true) {
        const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
        const key = `the benchmark itself | ${service} ${command} | ${callTarget((args as { input?: CallInput }).input ?? {})}`;
        breakdown.set(key, (breakdown.get(key) ?? 0) + 1);
        return next(args);
      }
      const input = (args as { input?: CallInput }).input ?? {};
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const by = `${invokedFunctionId() ?? 'bench (direct)'} | ${service} ${command} | ${callTarget(input)}`;
      breakdown.set(by, (breakdown.get(by) ?? 0) + 1);
      const started = performance.now();
      try {
        return await next(args);
      } catch (error) {
        const failed = `${service} ${context.commandName ?? 'unknown'}, of which failed (${(error as Error).name})`;
        into.set(failed, [...(into.get(failed) ?? []), performance.now() - started]);
        const cancellation = error as { CancellationReasons?: { Code?: string }[] };
        const items = (args as { input?: { TransactItems?: TransactWriteItem[] } }).input?.TransactItems;
        for (const [index, reason] of (cancellation.CancellationReasons ?? []).entries()) {
          if (reason.Code === undefined || reason.Code === 'None') continue;
          const key = `${itemKind(items?.[index])} — ${reason.Code}`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
          const charged = `${by.slice(0, by.indexOf(' | '))} | ${service} ${command} cancelled on | ${key}`;
          breakdown.set(charged, (breakdown.get(charged) ?? 0) + 1);
        }
        throw error;
      } finally {
        const key = `${service} ${context.commandName ?? 'unknown'}`;
        const list = into.get(key) ?? [];
        list.push(performance.now() - started);
        into.set(key, list);
      }
    };
}

const TIMING = { step: 'initialize', name: 'benchCallTiming' } as const;

function summarize(into: Map<string, number[]>): Record<string, CallStats> {
  const out: Record<string, CallStats> = {};
  for (const [key, values] of [...into.entries()].sort()) {
    out[key] = { count: values.length, meanMs: mean(values), p95Ms: percentile(values, 95) };
  }
  return out;
}

const ownCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Lead numbers of the paced run: after the saturated run's (below 5,000), before the warm-up's. */
const PACED_FIRST_INDEX = 5_000;

export interface PipelineOptions {
  leads: number;
  clients: number;
  /** Leads for the paced run (sent one every 200 ms). */
  pacedLeads: number;
  /** Concurrent invocations per SQS event source (evaluation, allocation); default 5, Lambda's start. */
  consumers?: number;
  log?: (line: string) => void;
}

/** Lambda starts an SQS event source with five concurrent batches (then adds up to 300 a minute). */
export const DEFAULT_CONSUMERS = 5;

/**
 * The consumers beyond the local cloud's one poller per event source, so a queue is read by `consumers`
 * invocations at once as Lambda reads it. Each has its own handler object (`createHandler`), as each
 * Lambda instance has its own: the batch processor of `withSqsBatch` holds one batch at a time.
 */
function extraConsumers(consumers: number): ExtraEventSource[] {
  const lazily = (id: string, create: () => Promise<LambdaHandler>) => {
    const definition = functions.find((fn) => fn.id === id);
    if (definition === undefined) throw new Error(`infra/resources.ts: no function ${id}`);
    let instance: Promise<LambdaHandler> | undefined;
    return {
      id: definition.id,
      timeoutSeconds: definition.timeoutSeconds,
      handler: async (event: unknown, context: Parameters<LambdaHandler>[1]) => {
        instance ??= create();
        return (await instance)(event, context);
      },
    };
  };
  const sources: ExtraEventSource[] = [];
  for (const source of eventSources) {
    if (source.functionId !== 'evaluate-lead' && source.functionId !== 'allocate-fund') continue;
    for (let extra = 1; extra < consumers; extra += 1) {
      const fn =
        source.functionId === 'evaluate-lead'
          ? lazily('evaluate-lead', async () => {
              const [{ createHandler }, { keyedHashingAdapters }] = await Promise.all([
                import('#functions/evaluate-lead/handler.ts'),
                import('#shared/adapters/hashing-adapters.ts'),
              ]);
              return createHandler(keyedHashingAdapters()) as LambdaHandler;
            })
          : lazily('allocate-fund', async () => {
              const [{ createHandler }, { productionAdapters }] = await Promise.all([
                import('#functions/allocate-fund/handler.ts'),
                import('#shared/adapters/composition.ts'),
              ]);
              return createHandler(productionAdapters()) as LambdaHandler;
            });
      sources.push({
        queueId: source.queueId,
        batchSize: source.batchSize,
        maxBatchingWindowSeconds: source.maxBatchingWindowSeconds,
        fn,
      });
    }
  }
  return sources;
}

export async function runPipelineBench(options: PipelineOptions): Promise<PipelineResult> {
  const consumers = options.consumers ?? DEFAULT_CONSUMERS;
  // The handlers' own logs and metrics would flood the output: errors only, no EMF.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('No application metrics to publish')) warn(...args);
  };
  const warnings: string[] = [];
  const batches: { at: number; poller: string; records: number }[] = [];
  const log: LocalLog = (level, message, fields) => {
    if (message === 'batch done') {
      batches.push({ at: Date.now(), poller: String(fields?.poller), records: Number(fields?.records) });
    } else if (level === 'warn' || level === 'error') {
      if (warnings.length < 20) warnings.push(`${level}: ${message} ${JSON.stringify(fields ?? {})}`);
    }
  };
  const pollWaitSeconds = 1;
  const started = performance.now();
  const cloud = await startLocalCloud({
    port: 0,
    seed: true,
    demo: false,
    log,
    pollWaitSeconds,
    extraEventSources: extraConsumers(consumers),
  });
  const startSeconds = (performance.now() - started) / 1000;
  try {
    // Imported after the local cloud set the environment: the same module instances the handlers use.
    const { dynamoDbClient, sqsClient } = await import('#shared/adapters/aws-clients.ts');
    const { productionAdapters } = await import('#shared/adapters/composition.ts');
    const { getConfig } = await import('#shared/config.ts');
    const auditShards = getConfig().AUDIT_SHARDS;
    const calls = new Map<string, number[]>();
    const reasons = new Map<string, number>();
    const breakdown: CallBreakdown = new Map();
    dynamoDbClient.middlewareStack.add(timing('DynamoDB', calls, reasons, breakdown), TIMING);
    sqsClient.middlewareStack.add(timing('SQS', calls, reasons, breakdown), TIMING);
    const adapters = productionAdapters();
    const token = await cloud.tokenFor('sector:optoelectronics', 'bench-officer');
    const runId = Math.floor(Math.random() * 1_000_000);

    let serverErrors = 0;
    const submit = async (index: number) => {
      const body = leadInput({
        projectName: `基准项目${runId}-${index}`,
        investor: {
          name: '聊城基准投资有限公司',
          uscc: makeValidUscc(
            `9137150${String(runId).padStart(6, '0').slice(0, 6)}${String(index).padStart(4, '0')}`,
          ),
        },
      });
      const sentAt = Date.now();
      const sent = performance.now();
      const idempotencyKey = randomUUID();
      // A 5xx (the intake function timed out under load) is retried with the same key, as the problem
      // document tells a client to; the latency counts from the first attempt.
      let leadId: string | undefined;
      for (let attempt = 1; leadId === undefined; attempt += 1) {
        const response = await fetch(`${cloud.baseUrl}/leads`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': idempotencyKey,
          },
          body: JSON.stringify(body),
        });
        const json = (await response.json()) as { leadId?: string };
        if (response.status >= 500 && attempt < 20) {
          serverErrors += 1;
          continue;
        }
        if (response.status !== 202 || json.leadId === undefined) {
          throw new Error(`POST /leads answered ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
        }
        leadId = json.leadId;
      }
      const answered = performance.now();
      return {
        leadId,
        sentAt,
        acceptedAt: sentAt + (answered - sent),
        submitMs: answered - sent,
      };
    };

    const waitForDecision = async (leadId: string, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lead = await own(() => adapters.leads.get(leadId));
        if (lead !== undefined && lead.latestRevision >= 1) return;
        if (Date.now() > deadline) throw new Error(`lead ${leadId} not evaluated within ${timeoutMs} ms`);
        await sleep(50);
      }
    };

    /** Until no allocation waits (every pending allocation mark gone); when the last one went. */
    async function allocationsSettled(timeoutMs: number): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      while ((await own(() => adapters.leads.oldestPending('allocation'))) !== undefined) {
        if (Date.now() > deadline) throw new Error(`allocations not settled within ${timeoutMs} ms`);
        await sleep(25);
      }
      return Date.now();
    }

    // Warm-up (imports the handlers, warms the JIT and DynamoDB Local): not measured.
    const warm = await Promise.all([9995, 9996, 9997, 9998, 9999].map((index) => submit(index)));
    for (const lead of warm) await waitForDecision(lead.leadId, 60_000);
    await allocationsSettled(60_000);
    calls.clear();
    reasons.clear();
    breakdown.clear();
    batches.length = 0;

    options.log?.(`  submitting ${options.leads} leads with ${options.clients} clients…`);
    const submitted: Awaited<ReturnType<typeof submit>>[] = [];
    let next = 0;
    const wallStart = Date.now();
    const loadAtStart = loadavg()[0] ?? Number.NaN;
    const cpuAtStart = { node: ownCpuSeconds(), dynamoDbLocal: processCpuSeconds(cloud.pids.dynamodb) };
    const clients = Array.from({ length: options.clients }, async () => {
      while (next < options.leads) {
        const index = next;
        next += 1;
        submitted.push(await submit(index));
      }
    });
    // Watch the oldest lead without a decision (one read at a time, so the watching costs DynamoDB little).
    let submittingDone = false;
    const submitting = Promise.all(clients).then(() => {
      submittingDone = true;
    });
    let watched = 0;
    const ordered = () => [...submitted].sort((a, b) => a.acceptedAt - b.acceptedAt);
    while (!submittingDone || watched < submitted.length) {
      const pending = ordered()[watched];
      if (pending === undefined) {
        await sleep(20);
        continue;
      }
      const lead = await own(() => adapters.leads.get(pending.leadId));
      if (lead !== undefined && lead.latestRevision >= 1) watched += 1;
      // Every figure is taken from the stored decisions afterwards: the watching only has to end the loop,
      // and its reads cost the CPU measured here (at 25 ms, about one lead's worth of GetItems a second).
      else await sleep(100);
      if (Date.now() - wallStart > 600_000) throw new Error('pipeline did not finish within 10 minutes');
    }
    await submitting;
    const submitEnd = Math.max(...submitted.map((lead) => lead.acceptedAt));
    const evaluationBatches = batches.filter((batch) => batch.poller.includes('evaluate-lead'));
    // The allocations go on after the last decision: the pipeline is done when every one is settled.
    options.log?.('  decisions stored; waiting for the allocations…');
    const settledAt = await allocationsSettled(600_000);
    const cpuSeconds = {
      node: ownCpuSeconds() - cpuAtStart.node,
      dynamoDbLocal: processCpuSeconds(cloud.pids.dynamodb) - cpuAtStart.dynamoDbLocal,
      cores: availableParallelism(),
    };
    const leadCalls = summarize(calls);
    const leadBreakdown = Object.fromEntries([...breakdown.entries()].sort());
    const submitServerErrors = serverErrors;
    const leadReasons = Object.fromEntries([...reasons.entries()].sort((a, b) => b[1] - a[1]));
    const cancelledTransactions = Object.entries(leadCalls)
      .filter(([name]) => name.startsWith('DynamoDB TransactWriteItemsCommand, of which failed'))
      .reduce((sum, [, stats]) => sum + stats.count, 0);

    // Decision times, read after the clock stopped.
    const decided: number[] = [];
    for (const lead of submitted) {
      const revisions = await own(() => adapters.leads.decisions(lead.leadId));
      const first = revisions.find((revision) => revision.revision === 1);
      if (first === undefined) throw new Error(`lead ${lead.leadId} has no decision`);
      decided.push(Date.parse(first.evaluatedAt));
    }
    const lastDecision = Math.max(...decided);
    const wallSeconds = (lastDecision - wallStart) / 1000;

    // Paced: one lead every 200 ms from one client, far below the saturated rate, so no queue builds up
    // (the allocations of the saturated run are all settled by now).
    const pacedPerSecond = 5;
    options.log?.(`  ${options.pacedLeads} leads paced at ${pacedPerSecond}/s…`);
    const paced: Awaited<ReturnType<typeof submit>>[] = [];
    for (let index = 0; index < options.pacedLeads; index += 1) {
      const tick = performance.now();
      paced.push(await submit(PACED_FIRST_INDEX + index));
      await sleep(1000 / pacedPerSecond - (performance.now() - tick));
    }
    const pacedDecided: number[] = [];
    for (const lead of paced) {
      await waitForDecision(lead.leadId, 60_000);
      const revisions = await own(() => adapters.leads.decisions(lead.leadId));
      const first = revisions.find((revision) => revision.revision === 1);
      if (first === undefined) throw new Error(`lead ${lead.leadId} has no decision`);
      pacedDecided.push(Date.parse(first.evaluatedAt));
    }

    // 50 concurrent allocations on one fresh fund with room for 30 (as the reliability scenario 5).
    options.log?.('  50 concurrent allocations on one fresh fund…');
    const capFen = 100_000_000;
    const kit = fundTestKit(adapters);
    await kit.openFund(30 * capFen);
    const allocationLeads: string[] = [];
    for (let index = 0; index < 50; index += 1) {
      allocationLeads.push(await kit.evaluatedLead({ fundRequestFen: capFen }));
    }
    let conflicts = 0;
    const counting = afterApply(adapters.funds, (result) => {
      if (!result.applied) conflicts += 1;
    });
    calls.clear();
    reasons.clear();
    breakdown.clear();
    const allocationStart = performance.now();
    const allocationRuns = await Promise.all(
      allocationLeads.map(async (leadId) => {
        const t0 = performance.now();
        const outcome = await allocateFund({ ...kit.deps, funds: counting }, kit.message(leadId));
        return { outcome, ms: performance.now() - t0 };
      }),
    );
    const allocationSeconds = (performance.now() - allocationStart) / 1000;
    const outcomes = allocationRuns.map((run) => run.outcome);
    const source = eventSources.find((candidate) => candidate.functionId === 'evaluate-lead');

    return {
      design: auditShards === 1 ? 'single-chain' : 'sharded',
      auditShards,
      consumers,
      leads: options.leads,
      clients: options.clients,
      wallSeconds,
      settledSeconds: (settledAt - wallStart) / 1000,
      cancelledTransactions,
      cancelledPerLead: cancelledTransactions / options.leads,
      cancellationReasons: leadReasons,
      submitServerErrors,
      cpuSeconds,
      leadsPerSecond: options.leads / wallSeconds,
      submitsPerSecond: options.leads / ((submitEnd - wallStart) / 1000),
      submitMs: three(submitted.map((lead) => lead.submitMs)),
      decisionMs: three(submitted.map((lead, index) => (decided[index] as number) - lead.acceptedAt)),
      endToEndMs: three(submitted.map((lead, index) => (decided[index] as number) - lead.sentAt)),
      calls: leadCalls,
      callBreakdown: leadBreakdown,
      paced: {
        leads: paced.length,
        perSecond: pacedPerSecond,
        submitMs: three(paced.map((lead) => lead.submitMs)),
        decisionMs: three(paced.map((lead, index) => (pacedDecided[index] as number) - lead.acceptedAt)),
        endToEndMs: three(paced.map((lead, index) => (pacedDecided[index] as number) - lead.sentAt)),
      },
      evaluationBatches: {
        count: evaluationBatches.length,
        meanRecords: mean(evaluationBatches.map((batch) => batch.records)),
      },
      pollWaitSeconds,
      batchingWindowSeconds: source?.maxBatchingWindowSeconds ?? Number.NaN,
      batchSize: source?.batchSize ?? Number.NaN,
      allocation: {
        allocations: allocationRuns.length,
        seconds: allocationSeconds,
        perSecond: allocationRuns.length / allocationSeconds,
        reserved: outcomes.filter((o) => o === 'reserved' || o === 'partially_reserved').length,
        waitlisted: outcomes.filter((o) => o === 'waitlisted').length,
        other: outcomes.filter((o) => !['reserved', 'partially_reserved', 'waitlisted'].includes(o)).length,
        conflictsRetried: conflicts,
        latencyMs: three(allocationRuns.map((run) => run.ms)),
        calls: summarize(calls),
        callBreakdown: Object.fromEntries([...breakdown.entries()].sort()),
        cancellationReasons: Object.fromEntries([...reasons.entries()].sort((a, b) => b[1] - a[1])),
      },
      startSeconds,
      load: { start: loadAtStart, end: loadavg()[0] ?? Number.NaN },
      warnings,
    };
  } finally {
    await cloud.stop();
    console.warn = warn;
  }
}

/** Both designs of issue 18, each measured in a process and a local cloud of its own, one after the other. */
export interface PipelineComparison {
  /** The single audit chain first (the baseline), then the sharded trail. */
  readonly designs: readonly PipelineResult[];
}

const CHILD = fileURLToPath(new URL('./pipeline-child.ts', import.meta.url));

/**
 * Runs the pipeline benchmark once per design in a fresh Node process (bench/pipeline-child.ts): the
 * handlers read their configuration once per process, and each design gets a fresh DynamoDB Local, so
 * neither inherits the other's tables, JIT or queues. The baseline runs first.
 */
export async function runPipelineComparison(
  options: PipelineOptions & {
    /** AUDIT_SHARDS of the sharded design; default unset, so the trail's default (shared/config.ts). */
    readonly shards?: number;
  },
): Promise<PipelineComparison> {
  const { log, shards, ...childOptions } = options;
  const designs: { design: PipelineDesign; auditShards: string | undefined }[] = [
    { design: 'single-chain', auditShards: '1' },
    { design: 'sharded', auditShards: shards === undefined ? undefined : String(shards) },
  ];
  const results: PipelineResult[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'kfq-bench-pipeline-'));
  try {
    for (const { design, auditShards } of designs) {
      log?.(`  ${design} (AUDIT_SHARDS=${auditShards ?? 'default'}), a fresh local cloud…`);
      const out = join(folder, `${design}.json`);
      const env: NodeJS.ProcessEnv = { ...process.env };
      if (auditShards === undefined) delete env.AUDIT_SHARDS;
      else env.AUDIT_SHARDS = auditShards;
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [...process.execArgv, CHILD, JSON.stringify(childOptions), out],
          { env, stdio: ['ignore', 'inherit', 'inherit'] },
        );
        child.on('error', reject);
        child.on('exit', resolve);
      });
      if (code !== 0) throw new Error(`pipeline benchmark (${design}) exited with ${code}`);
      const result = JSON.parse(readFileSync(out, 'utf8')) as PipelineResult;
      if (result.design !== design) {
        throw new Error(`pipeline benchmark: asked for ${design}, ran ${result.design} (AUDIT_SHARDS set?)`);
      }
      results.push(result);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return { designs: results };
}
