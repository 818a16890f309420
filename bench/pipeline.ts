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
 */
import { randomUUID } from 'node:crypto';
import { startLocalCloud } from '#infra/local/local-cloud.ts';
import type { LocalLog } from '#infra/local/log.ts';
import { eventSources } from '#infra/resources.ts';
import { allocateFund } from '#shared/use-cases/allocate-fund.ts';
import { makeValidUscc } from '#test/fixtures/identifiers.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { afterApply, fundTestKit } from '#test/integration/fund/fund-support.ts';
import { mean, percentile } from './lib/stats.ts';

export interface CallStats {
  readonly count: number;
  readonly meanMs: number;
  readonly p95Ms: number;
}

export interface PipelineResult {
  readonly leads: number;
  readonly clients: number;
  readonly wallSeconds: number;
  readonly leadsPerSecond: number;
  readonly submitsPerSecond: number;
  /** POST → 202. */
  readonly submitMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** 202 → decision stored. */
  readonly decisionMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** POST sent → decision stored. */
  readonly endToEndMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly calls: Readonly<Record<string, CallStats>>;
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
  };
  readonly startSeconds: number;
  readonly warnings: readonly string[];
}

const three = (values: readonly number[]) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
});

/** A middleware timing every call of an SDK client, by command name. */
function timing(service: string, into: Map<string, number[]>) {
  return <I, O>(next: (args: I) => Promise<O>, context: { commandName?: string }) =>
    async (args: I): Promise<O> => {
      const started = performance.now();
      try {
        return await next(args);
      } catch (error) {
        const failed = `${service} ${context.commandName ?? 'unknown'}, of which failed (${(error as Error).name})`;
        into.set(failed, [...(into.get(failed) ?? []), performance.now() - started]);
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Lead numbers of the paced run: after the saturated run's (below 5,000), before the warm-up's. */
const PACED_FIRST_INDEX = 5_000;

export async function runPipelineBench(options: {
  leads: number;
  clients: number;
  /** Leads for the paced run (sent one every 200 ms). */
  pacedLeads: number;
  log?: (line: string) => void;
}): Promise<PipelineResult> {
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
  const cloud = await startLocalCloud({ port: 0, seed: true, demo: false, log, pollWaitSeconds });
  const startSeconds = (performance.now() - started) / 1000;
  try {
    // Imported after the local cloud set the environment: the same module instances the handlers use.
    const { dynamoDbClient, sqsClient } = await import('#shared/adapters/aws-clients.ts');
    const { productionAdapters } = await import('#shared/adapters/composition.ts');
    const calls = new Map<string, number[]>();
    dynamoDbClient.middlewareStack.add(timing('DynamoDB', calls), TIMING);
    sqsClient.middlewareStack.add(timing('SQS', calls), TIMING);
    const adapters = productionAdapters();
    const token = await cloud.tokenFor('sector:optoelectronics', 'bench-officer');
    const runId = Math.floor(Math.random() * 1_000_000);

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
      const response = await fetch(`${cloud.baseUrl}/leads`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(body),
      });
      const answered = performance.now();
      const json = (await response.json()) as { leadId?: string };
      if (response.status !== 202 || json.leadId === undefined) {
        throw new Error(`POST /leads answered ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
      }
      return {
        leadId: json.leadId,
        sentAt,
        acceptedAt: sentAt + (answered - sent),
        submitMs: answered - sent,
      };
    };

    const waitForDecision = async (leadId: string, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lead = await adapters.leads.get(leadId);
        if (lead !== undefined && lead.latestRevision >= 1) return;
        if (Date.now() > deadline) throw new Error(`lead ${leadId} not evaluated within ${timeoutMs} ms`);
        await sleep(50);
      }
    };

    // Warm-up (imports the handlers, warms the JIT and DynamoDB Local): not measured.
    const warm = await Promise.all([9995, 9996, 9997, 9998, 9999].map((index) => submit(index)));
    for (const lead of warm) await waitForDecision(lead.leadId, 60_000);
    calls.clear();
    batches.length = 0;

    options.log?.(`  submitting ${options.leads} leads with ${options.clients} clients…`);
    const submitted: Awaited<ReturnType<typeof submit>>[] = [];
    let next = 0;
    const wallStart = Date.now();
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
      const lead = await adapters.leads.get(pending.leadId);
      if (lead !== undefined && lead.latestRevision >= 1) watched += 1;
      else await sleep(25);
      if (Date.now() - wallStart > 600_000) throw new Error('pipeline did not finish within 10 minutes');
    }
    await submitting;
    const submitEnd = Math.max(...submitted.map((lead) => lead.acceptedAt));
    const leadCalls = summarize(calls);
    const evaluationBatches = batches.filter((batch) => batch.poller.includes('evaluate-lead'));

    // Decision times, read after the clock stopped.
    const decided: number[] = [];
    for (const lead of submitted) {
      const revisions = await adapters.leads.decisions(lead.leadId);
      const first = revisions.find((revision) => revision.revision === 1);
      if (first === undefined) throw new Error(`lead ${lead.leadId} has no decision`);
      decided.push(Date.parse(first.evaluatedAt));
    }
    const lastDecision = Math.max(...decided);
    const wallSeconds = (lastDecision - wallStart) / 1000;

    // Paced: one lead every 200 ms from one client, a fifth of the saturated rate, so no queue builds up.
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
      const revisions = await adapters.leads.decisions(lead.leadId);
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
      leads: options.leads,
      clients: options.clients,
      wallSeconds,
      leadsPerSecond: options.leads / wallSeconds,
      submitsPerSecond: options.leads / ((submitEnd - wallStart) / 1000),
      submitMs: three(submitted.map((lead) => lead.submitMs)),
      decisionMs: three(submitted.map((lead, index) => (decided[index] as number) - lead.acceptedAt)),
      endToEndMs: three(submitted.map((lead, index) => (decided[index] as number) - lead.sentAt)),
      calls: leadCalls,
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
      },
      startSeconds,
      warnings,
    };
  } finally {
    await cloud.stop();
    console.warn = warn;
  }
}
