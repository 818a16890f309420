import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDevIdentity } from '#infra/local/dev-identity.ts';
import { findFreePort } from '#infra/local/free-port.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import type { Policy } from '#shared/policy/policy-schema.ts';
import { PAYOUT_GATES_OFF } from '#test/fixtures/payout-settings.ts';
import {
  type Answer,
  ChaosClient,
  GaveUpError,
  NetworkError,
  problemCode,
  REQUEST_KINDS,
  type RequestKind,
} from './http.ts';
import {
  checkInvariants,
  type InvariantResult,
  type Observation,
  observe,
  settledProblems,
} from './invariants.ts';
import { prng } from './prng.ts';
import { ChaosStack, summarizeStackLog } from './stack.ts';
import { type KillPhase, killPhases } from './timeline.ts';
import { type ChaosSettings, type LeadPlan, planRun } from './workload.ts';

/** kfq-2019's rules and fund, in force from 2020 (so for every lead of the run), payout gates off. */
const CHAOS_POLICY: Policy = {
  ...DEFAULT_POLICY,
  version: 'chaos-no-payout-gates',
  effectiveFrom: '2020-01-01T00:00:00+08:00',
  payout: PAYOUT_GATES_OFF,
};

/**
 * The crash loop (issue 13): the local stack on a fresh data dir, ten teams submitting leads, finance
 * deciding and paying, teams reporting actual investments, and SIGKILLs of the whole stack at seeded
 * moments, each followed by a start on the same data dir. Clients retry as real ones do. At the end,
 * with the stack up, the pipeline is given time to settle and every promise is checked.
 */

export interface KillRecord {
  readonly index: number;
  readonly planned: 'startup' | 'running';
  /** ms since the run started. */
  readonly atMs: number;
  readonly at: string;
  /** Whether this start had answered /health ok, and printed its banner (seeders done), before the kill. */
  readonly wasHealthy: boolean;
  readonly wasReady: boolean;
  /** Since health ok (or since the start was spawned, if it never got there). */
  readonly upMs: number;
  readonly inFlight: Readonly<Record<RequestKind, number>>;
  readonly acceptedSoFar: number;
  /** Kill → /health ok on the next start. */
  recoveryMs: number | undefined;
  /** Filled in after the run from the audit trail. */
  phase?: KillPhase;
}

export interface LeadTrack {
  readonly plan: LeadPlan;
  readonly leadIds: Set<string>;
  leadId: string | undefined;
  /** POST /leads attempts (the same Idempotency-Key each time). */
  posts: number;
  /** The 202 was a replay: an earlier attempt had stored the lead, its answer was lost. */
  replayed: boolean;
  /** Answers to POST /leads other than 202 (4xx: the lead was refused). */
  refused: string | undefined;
  /** The highest revision the API acknowledged: 1 for the 202 of POST /leads, N for a report's 202. */
  reportedRevision: number;
  reportOutcome: string | undefined;
  financeOutcome: string | undefined;
  payOutcome: string | undefined;
}

export interface ChaosResult {
  readonly settings: ChaosSettings;
  readonly fund: { readonly fundId: string; readonly totalFen: number; readonly requestFen: number };
  readonly durationMs: number;
  readonly kills: readonly KillRecord[];
  readonly leads: readonly LeadTrack[];
  readonly client: ChaosClient['stats'];
  readonly lastRecovery: {
    readonly healthMs: number | undefined;
    /** Last kill → the first observation that found the pipeline settled. */
    readonly settledMs: number | undefined;
  };
  readonly settleProblems: readonly string[];
  readonly invariants: readonly InvariantResult[];
  readonly observation: Observation | undefined;
  /** Warnings and errors the stack logged over the run, counted (most frequent first). */
  readonly stackLog: readonly { readonly count: number; readonly line: string }[];
  /** Kept on request (--keep): the data dir and the stack's log. */
  readonly kept: { readonly runDir: string } | undefined;
}

export interface RunOptions {
  readonly log?: (line: string) => void;
  /** Keep the data dir and the stack log instead of removing them. */
  readonly keep?: boolean;
  /** Aborts the run (the stack is killed and the data dir removed). */
  readonly signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const DECIDED = new Set(['PENDING_FINANCE', 'PENDING_CASE_REVIEW', 'APPROVED', 'REJECTED', 'PAID']);
const START_TIMEOUT_MS = 120_000;
const WARM_WAIT_MS = 8_000;

interface LeadViewLite {
  status?: string;
  latestRevision?: number;
  lead?: { actualInvestment?: number };
}

export async function runChaos(settings: ChaosSettings, options: RunOptions = {}): Promise<ChaosResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = prng(settings.seed);
  const plan = planRun(settings, root);
  const runDir = mkdtempSync(join(tmpdir(), 'kfq-chaos-'));
  const dataDir = join(runDir, 'data');
  mkdirSync(dataDir);
  const stack = new ChaosStack({ dataDir, port: await findFreePort(), logFile: join(runDir, 'stack.log') });
  // If this process exits without the finally below (Ctrl-C twice, a test worker torn down), the stack
  // and its data dir go with it.
  const exitHook = () => {
    stack.killNow();
    if (options.keep !== true) rmSync(runDir, { recursive: true, force: true });
  };
  process.on('exit', exitHook);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Every long wait races this, so a stopped run ends at once (then the finally kills the stack).
  const abortion = new Promise<never>((_resolve, reject) => {
    const fire = () => reject(new Error('the crash loop was stopped'));
    if (options.signal?.aborted === true) fire();
    else options.signal?.addEventListener('abort', fire, { once: true });
  });
  abortion.catch(() => undefined);
  const guard = <T>(work: Promise<T>): Promise<T> => Promise.race([work, abortion]);
  const client = new ChaosClient(() => stack.baseUrl, root.fork('jitter'), stop.signal);
  const started = Date.now();
  const kills: KillRecord[] = [];
  const tracks: LeadTrack[] = plan.leads.map((leadPlan) => ({
    plan: leadPlan,
    leadIds: new Set<string>(),
    leadId: undefined,
    posts: 0,
    replayed: false,
    refused: undefined,
    reportedRevision: 0,
    reportOutcome: undefined,
    financeOutcome: undefined,
    payOutcome: undefined,
  }));
  let kept: ChaosResult['kept'];

  try {
    // Tokens come from the dev identity in the data dir, which `npm start` then uses: they stay valid
    // across every restart.
    const identity = await loadDevIdentity({ dataDir });
    const ttlSeconds = 6 * 3600;
    const tokens = new Map<string, string>();
    for (const leadPlan of plan.leads) {
      if (!tokens.has(leadPlan.officer)) {
        tokens.set(
          leadPlan.officer,
          await identity.issue({ role: `sector:${leadPlan.sector}`, userId: leadPlan.officer, ttlSeconds }),
        );
      }
    }
    for (const user of ['fin-1', 'fin-2'])
      tokens.set(user, await identity.issue({ role: 'finance', userId: user, ttlSeconds }));
    tokens.set('auditor', await identity.issue({ role: 'auditor', userId: 'auditor-1', ttlSeconds }));
    tokens.set('admin', await identity.issue({ role: 'admin', userId: 'admin-1', ttlSeconds }));
    const token = (user: string) => tokens.get(user) ?? '';

    // The current cycle (how many kills so far) and when its start answered /health: leads of a cycle
    // are sent at their offset after it.
    const epoch = { cycle: 0, healthyAt: undefined as number | undefined, spawnedAt: 0 };
    const journeys: Promise<void>[] = [];

    const until = async (condition: () => boolean) => {
      while (!condition()) {
        if (stop.signal.aborted) throw new GaveUpError('the run is ending');
        await sleep(25);
      }
    };

    const readLead = async (leadId: string, user: string): Promise<LeadViewLite | undefined> => {
      const answer = await client.retrying('read', 'GET', `/leads/${leadId}`, { token: token(user) });
      return answer.status === 200 ? (answer.body as LeadViewLite) : undefined;
    };

    /** Polls the lead until it is decided at `revision` or later. */
    const waitDecided = async (leadId: string, revision: number, user: string): Promise<LeadViewLite> => {
      for (let wait = 200; ; wait = Math.min(2_000, wait * 1.5)) {
        const view = await readLead(leadId, user);
        if (view !== undefined && DECIDED.has(view.status ?? '') && (view.latestRevision ?? 0) >= revision)
          return view;
        await client.pause(wait);
        if (stop.signal.aborted) throw new GaveUpError('the run is ending');
      }
    };

    /** POST /leads until it answers below 500, with the same Idempotency-Key every time. */
    const submit = async (track: LeadTrack): Promise<string | undefined> => {
      const { plan: leadPlan } = track;
      for (let attempt = 0; ; attempt += 1) {
        if (stop.signal.aborted) throw new GaveUpError('the run is ending');
        track.posts += 1;
        const answer = await attemptOnce(() =>
          client.request('submit', 'POST', '/leads', {
            token: token(leadPlan.officer),
            body: leadPlan.body,
            headers: { 'idempotency-key': leadPlan.key },
          }),
        );
        if (answer?.status === 202) {
          const leadId = (answer.body as { leadId?: string }).leadId;
          if (leadId === undefined) throw new Error(`202 without a leadId: ${JSON.stringify(answer.body)}`);
          track.leadIds.add(leadId);
          track.leadId ??= leadId;
          track.replayed = answer.replayed;
          track.reportedRevision = Math.max(track.reportedRevision, 1);
          return leadId;
        }
        if (answer !== undefined && answer.status < 500) {
          track.refused = `${answer.status} ${problemCode(answer) ?? JSON.stringify(answer.body).slice(0, 200)}`;
          return undefined;
        }
        await client.backoff('submit', attempt);
      }
    };

    /** A team reports the verified actual investment; a failed request is checked before it is sent again. */
    const report = async (track: LeadTrack, leadId: string, base: number) => {
      const reportPlan = track.plan.report;
      if (reportPlan === undefined) return;
      const path = `/leads/${leadId}/actual-investment`;
      const body = { amount: reportPlan.amount, evidence: `验资报告 chaos-${track.plan.index + 1}` };
      for (let attempt = 0; ; attempt += 1) {
        if (stop.signal.aborted) throw new GaveUpError('the run is ending');
        const answer = await attemptOnce(() =>
          client.request('report', 'POST', path, { token: token(track.plan.officer), body }),
        );
        if (answer?.status === 202) {
          const revision = (answer.body as { revision?: number }).revision ?? base + 1;
          track.reportedRevision = Math.max(track.reportedRevision, revision);
          track.reportOutcome = 'reported';
          return;
        }
        if (answer === undefined || answer.status >= 500 || answer.status === 409) {
          // Lost answer, 5xx or a conflict: did the first attempt land? (A blind retry of a report that
          // was recorded and evaluated would report it again, as a new revision.)
          const view = await readLead(leadId, track.plan.officer);
          if (view?.lead?.actualInvestment === reportPlan.amountFen) {
            track.reportedRevision = Math.max(track.reportedRevision, base + 1);
            track.reportOutcome =
              answer === undefined || answer.status >= 500
                ? 'reported (answer lost)'
                : 'reported (409, had landed)';
            return;
          }
          const code = answer === undefined ? undefined : problemCode(answer);
          if (answer?.status === 409 && code !== 'not_evaluated' && code !== 'reevaluation_in_progress') {
            track.reportOutcome = `refused: 409 ${code ?? ''}`;
            return;
          }
          await client.backoff('report', attempt);
          continue;
        }
        track.reportOutcome = `refused: ${answer.status} ${problemCode(answer) ?? ''}`;
        return;
      }
    };

    /**
     * A finance action (approve, reject, paid). After a lost answer or a 5xx, or a 409 saying it is
     * already done, the lead is read: if it shows the action applied, that is the outcome.
     */
    const financeAction = async (
      kind: 'approve' | 'reject' | 'pay',
      leadId: string,
      user: string,
      applied: readonly string[],
    ): Promise<string> => {
      const route = kind === 'pay' ? 'paid' : kind;
      const body =
        kind === 'approve'
          ? { note: 'chaos: approved' }
          : kind === 'reject'
            ? { reason: 'chaos: rejected' }
            : { reference: `PAY-CHAOS-${leadId.slice(-8)}` };
      for (let attempt = 0; ; attempt += 1) {
        if (stop.signal.aborted) throw new GaveUpError('the run is ending');
        const answer = await attemptOnce(() =>
          client.request(kind, 'POST', `/leads/${leadId}/${route}`, { token: token(user), body }),
        );
        if (answer !== undefined && answer.status >= 200 && answer.status < 300) return 'done';
        const code = answer === undefined ? undefined : problemCode(answer);
        if (answer === undefined || answer.status >= 500 || answer.status === 409) {
          const view = await readLead(leadId, user);
          if (applied.includes(view?.status ?? '')) {
            return answer === undefined || answer.status >= 500
              ? 'done (answer lost)'
              : `done (409 ${code ?? ''}, had landed)`;
          }
          const retryable =
            answer === undefined ||
            answer.status >= 500 ||
            code === 'allocation_pending' ||
            code === 'concurrent_change';
          if (!retryable) return `refused: 409 ${code ?? ''}`;
          await client.backoff(kind, attempt);
          continue;
        }
        return `refused: ${answer.status} ${code ?? ''}`;
      }
    };

    const followUp = async (track: LeadTrack, leadId: string) => {
      const leadPlan = track.plan;
      try {
        if (leadPlan.report !== undefined) {
          const view = await waitDecided(leadId, 1, leadPlan.officer);
          await client.pause(leadPlan.report.thinkMs);
          await report(track, leadId, view.latestRevision ?? 1);
        }
        if (leadPlan.finance === 'none') return;
        await waitDecided(leadId, track.reportedRevision, leadPlan.decider);
        await client.pause(leadPlan.financeThinkMs);
        if (leadPlan.finance === 'reject') {
          track.financeOutcome = `reject ${await financeAction('reject', leadId, leadPlan.decider, ['REJECTED'])}`;
          return;
        }
        const approved = await financeAction('approve', leadId, leadPlan.decider, ['APPROVED', 'PAID']);
        track.financeOutcome = `approve ${approved}`;
        if (leadPlan.finance !== 'approve_pay' || approved.startsWith('refused')) return;
        await client.pause(leadPlan.financeThinkMs);
        const payer = leadPlan.decider === 'fin-1' ? 'fin-2' : 'fin-1';
        track.payOutcome = `pay ${await financeAction('pay', leadId, payer, ['PAID'])}`;
      } catch (error) {
        if (!(error instanceof GaveUpError)) throw error;
        const step =
          track.reportOutcome === undefined && leadPlan.report !== undefined ? 'report' : 'finance';
        if (step === 'report') track.reportOutcome = 'gave up (run ended)';
        else track.financeOutcome ??= 'gave up (run ended)';
      }
    };

    const released = (leadPlan: LeadPlan) =>
      epoch.cycle > leadPlan.cycle ||
      (epoch.cycle === leadPlan.cycle &&
        epoch.healthyAt !== undefined &&
        Date.now() >= epoch.healthyAt + leadPlan.offsetMs);

    // A failure inside a client (not a refusal by the API: an exception) is a harness bug: the run
    // ends with it instead of hanging.
    let clientFailure: unknown;
    const failed = (error: unknown) => {
      clientFailure ??= error;
    };
    const checkClients = () => {
      if (clientFailure !== undefined) throw clientFailure;
    };

    // Ten teams, each sending its leads one after another; follow-ups run beside.
    const teams = [...new Set(plan.leads.map((leadPlan) => leadPlan.sector))].map(async (sector) => {
      for (const track of tracks.filter((candidate) => candidate.plan.sector === sector)) {
        try {
          await until(() => released(track.plan));
          const leadId = await submit(track);
          if (leadId !== undefined) journeys.push(followUp(track, leadId).catch(failed));
        } catch (error) {
          if (!(error instanceof GaveUpError)) failed(error);
          return;
        }
      }
    });

    // The stack. `healthy` is the current start's wait for /health ok.
    let healthy: Promise<number | undefined> = Promise.resolve(undefined);
    const startStack = (port?: number) => {
      epoch.healthyAt = undefined;
      epoch.spawnedAt = Date.now();
      stack.spawn(port);
      const start = stack.starts;
      healthy = stack.waitHealthy(Date.now() + START_TIMEOUT_MS).then((at) => {
        if (at !== undefined && stack.starts === start) epoch.healthyAt = at;
        return at;
      });
      return healthy;
    };
    /** Waits for the current start to be healthy; a start that fails by itself is retried on a new port. */
    const ensureUp = async (): Promise<number> => {
      for (let attempt = 1; ; attempt += 1) {
        const at = await guard(healthy);
        if (at !== undefined) return at;
        log(
          `stack start ${stack.starts} did not answer /health ok (attempt ${attempt}); log tail:\n${logTail(stack.logFile)}`,
        );
        if (attempt >= 3)
          throw new Error(`the stack did not come back after ${attempt} starts; log: ${stack.logFile}`);
        await stack.kill();
        startStack(await findFreePort());
      }
    };

    log(
      `crash loop: seed ${settings.seed}, ${settings.leads} leads, ${settings.kills} kills, fund ${plan.fundId} holds ${settings.allocations} requests of ${plan.requestFen / 100} yuan; data dir ${dataDir}`,
    );
    startStack();
    // The loop proves what crashes cannot break in the money path (approve, pay, reject): it runs under a
    // version of the default policy without the payout prerequisites of issue 17 (registration, evidence),
    // which have tests of their own, so that finance's steps follow each decision as before.
    await ensureUp();
    const published = await guard(
      client.retrying('admin', 'POST', '/policies', { token: token('admin'), body: CHAOS_POLICY }),
    );
    if (published.status !== 201 && published.status !== 200 && published.status !== 409) {
      throw new Error(
        `publishing the crash loop's policy: ${published.status} ${JSON.stringify(published.body)}`,
      );
    }
    for (const killPlan of plan.kills) {
      checkClients();
      if (killPlan.during === 'startup') {
        await guard(sleep(Math.max(0, epoch.spawnedAt + killPlan.delayMs - Date.now())));
      } else {
        // A running kill falls `delayMs` after this start has served a client (its handlers loaded), or
        // WARM_WAIT_MS after health ok if no client asks: with restarts taking seconds, most kills would
        // otherwise fall while the first requests are still loading code, and the workload would hardly
        // move (start-up kills cover that window).
        const healthyAt = await ensureUp();
        await guard(until(() => client.lastAnswerAt > healthyAt || Date.now() > healthyAt + WARM_WAIT_MS));
        await guard(sleep(killPlan.delayMs));
      }
      const atMs = Date.now();
      const record: KillRecord = {
        index: killPlan.index,
        planned: killPlan.during,
        atMs: atMs - started,
        at: new Date(atMs).toISOString(),
        wasHealthy: epoch.healthyAt !== undefined,
        wasReady: stack.ready,
        upMs: atMs - (epoch.healthyAt ?? epoch.spawnedAt),
        inFlight: { ...client.inFlight },
        acceptedSoFar: tracks.filter((track) => track.leadId !== undefined).length,
        recoveryMs: undefined,
      };
      await stack.kill();
      kills.push(record);
      epoch.cycle += 1;
      void startStack().then((at) => {
        if (at !== undefined) record.recoveryMs = at - atMs;
      });
      log(
        `kill ${record.index}/${settings.kills} at ${(record.atMs / 1000).toFixed(1)} s (${record.wasHealthy ? `up ${(record.upMs / 1000).toFixed(1)} s` : 'during start-up'}; in flight ${REQUEST_KINDS.map((kind) => `${kind} ${record.inFlight[kind]}`).join(', ')}); ${record.acceptedSoFar} leads accepted so far`,
      );
    }

    // The last start: clients finish, then the pipeline settles, within settleSeconds.
    const lastHealthyAt = await ensureUp();
    const lastKill = kills.at(-1);
    const settleDeadline = lastHealthyAt + settings.settleSeconds * 1_000;
    log(
      `stack up; clients finishing, then waiting for the pipeline to settle (at most ${settings.settleSeconds} s)`,
    );
    await guard(
      Promise.race([
        (async () => {
          await Promise.all(teams);
          // Journeys are added while teams run: wait for the list to stop growing.
          for (let seen = -1; seen !== journeys.length; ) {
            seen = journeys.length;
            await Promise.all(journeys);
          }
        })(),
        sleep(Math.max(0, settleDeadline - Date.now())),
        until(() => clientFailure !== undefined).catch(() => undefined),
      ]),
    );
    checkClients();
    stop.abort();
    await Promise.allSettled([...teams, ...journeys]);

    const accepted = tracks.filter((track) => track.leadId !== undefined);
    // The checks' own client: never stopped, a bounded number of attempts per read.
    const checker = new ChaosClient(() => stack.baseUrl, root.fork('checks'), new AbortController().signal);
    const context = { client: checker, token, envOf: () => stack.stackEnv(), fundId: plan.fundId };
    let observation: Observation | undefined;
    let previous: Observation | undefined;
    let settledAt: number | undefined;
    let problems: string[] = ['not observed'];
    for (;;) {
      observation = await guard(observe(context, accepted));
      problems = settledProblems(observation, previous, accepted);
      if (problems.length === 0) {
        settledAt = observation.at;
        break;
      }
      if (Date.now() + 2_000 > settleDeadline) break;
      previous = observation;
      await guard(sleep(2_000));
    }
    log(settledAt === undefined ? `not settled: ${problems.slice(0, 5).join('; ')}` : 'settled; checking');

    const { invariants, audit } = await guard(checkInvariants(context, observation, tracks, plan));
    for (const kill of kills) kill.phase = killPhases(kill.at, audit);

    if (options.keep === true) kept = { runDir };
    return {
      settings,
      fund: { fundId: plan.fundId, totalFen: plan.fundTotalFen, requestFen: plan.requestFen },
      durationMs: Date.now() - started,
      kills,
      leads: tracks,
      client: { ...client.stats },
      lastRecovery: {
        healthMs: lastKill === undefined ? undefined : lastHealthyAt - (started + lastKill.atMs),
        settledMs:
          lastKill === undefined || settledAt === undefined
            ? undefined
            : settledAt - (started + lastKill.atMs),
      },
      settleProblems: settledAt === undefined ? problems : [],
      invariants,
      observation,
      stackLog: summarizeStackLog(stack.logFile),
      kept,
    };
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onAbort);
    await stack.stop().catch((error: unknown) => log(`stopping the stack: ${String(error)}`));
    process.off('exit', exitHook);
    if (options.keep !== true) rmSync(runDir, { recursive: true, force: true });
    else log(`kept: ${runDir} (data/ and stack.log)`);
  }
}

/** One request; no answer at all (refused, reset, timed out) is `undefined`. */
async function attemptOnce(send: () => Promise<Answer>): Promise<Answer | undefined> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof NetworkError) return undefined;
    throw error;
  }
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
