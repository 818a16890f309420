import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '#infra/local/paths.ts';

/**
 * The local stack as the crash loop drives it: `npm start -- --no-demo --data-dir DIR --port N` in a
 * process group of its own, killed with SIGKILL as a power cut would (the npm/node group AND DynamoDB
 * Local's Java process, which `npm start` runs in its own group), and started again on the same data dir.
 * Linux only: processes are found through /proc (the Java process by its `-dbPath`, so one killed during
 * start-up, before it printed its pid, is found too).
 */

interface ProcessInfo {
  readonly pid: number;
  readonly pgid: number;
  readonly zombie: boolean;
  readonly args: readonly string[];
}

function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8')
        .split('\0')
        .filter((arg) => arg !== '');
      found.push({ pid: Number(name), pgid: Number(fields[2]), zombie: fields[0] === 'Z', args });
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** DynamoDB Local processes serving this data dir, with the temp dir each unpacks its native library to. */
function javaProcesses(dbPath: string): { pid: number; tmpDir: string | undefined }[] {
  return processes()
    .filter(
      (info) => !info.zombie && info.args.some((arg, i) => arg === '-dbPath' && info.args[i + 1] === dbPath),
    )
    .map((info) => ({
      pid: info.pid,
      tmpDir: info.args.find((arg) => arg.startsWith('-Djava.io.tmpdir='))?.slice('-Djava.io.tmpdir='.length),
    }));
}

function liveInGroup(pgid: number): number[] {
  return processes()
    .filter((info) => info.pgid === pgid && !info.zombie)
    .map((info) => info.pid);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));

export interface StackOptions {
  readonly dataDir: string;
  readonly port: number;
  /** The stack's stdout and stderr (JSON logs) of every start are appended here. */
  readonly logFile: string;
}

export class ChaosStack {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly logFile: string;
  #port: number;
  #child: ChildProcess | undefined;
  #exited = true;
  #ready = false;
  #javaTmpDirs = new Set<string>();
  #starts = 0;

  constructor(options: StackOptions) {
    this.dataDir = resolve(options.dataDir);
    this.dbPath = resolve(this.dataDir, 'dynamodb');
    this.logFile = options.logFile;
    this.#port = options.port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  /** True once this start printed its banner (seeders done); false again after a kill. */
  get ready(): boolean {
    return this.#ready;
  }

  /** How many times the stack was started: a start's number. */
  get starts(): number {
    return this.#starts;
  }

  /** True when the current start's npm process has exited (killed, or failed by itself). */
  get exited(): boolean {
    return this.#exited;
  }

  /** Starts `npm start` on the data dir (the previous start must be gone). */
  spawn(port = this.#port): void {
    this.#port = port;
    this.#starts += 1;
    this.#ready = false;
    const log = openSync(this.logFile, 'a');
    writeSync(log, `\n===== start ${this.#starts} on port ${port} at ${new Date().toISOString()} =====\n`);
    // Under npm (npm run chaos, npm test) npm says where it is; elsewhere `npm` is on PATH.
    const npmCli = process.env.npm_execpath;
    const [command, prefix] =
      npmCli !== undefined && /npm-cli\.[cm]?js$/.test(npmCli)
        ? [process.execPath, [npmCli]]
        : ['npm', [] as string[]];
    const child = spawn(
      command,
      [...prefix, 'start', '--silent', '--', '--no-demo', '--data-dir', this.dataDir, '--port', String(port)],
      {
        cwd: repoRoot,
        // A process group of its own: one signal to -pid reaches npm and the node it started.
        detached: true,
        stdio: ['ignore', 'pipe', log],
        env: { ...process.env, PORT: '', POWERTOOLS_LOG_LEVEL: process.env.CHAOS_STACK_LOG_LEVEL ?? 'WARN' },
      },
    );
    closeSync(log);
    this.#child = child;
    this.#exited = false;
    child.once('exit', () => {
      if (this.#child === child) this.#exited = true;
    });
    let banner = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.#ready) return;
      banner += chunk.toString();
      if (/Local cloud ready in/.test(banner)) {
        this.#ready = true;
        banner = '';
      }
    });
  }

  /** Polls GET /health until it answers ok; undefined if the start exited or the deadline passed. */
  async waitHealthy(deadline: number): Promise<number | undefined> {
    const start = this.#starts;
    while (Date.now() < deadline && !this.#exited && this.#starts === start) {
      try {
        const response = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(1_000) });
        const body = (await response.json()) as { status?: string };
        if (response.status === 200 && body.status === 'ok' && this.#starts === start) return Date.now();
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    return undefined;
  }

  /** The environment the running stack gave its handlers (endpoints, table names), from its stack file. */
  stackEnv(): Record<string, string> | undefined {
    try {
      return (
        JSON.parse(readFileSync(join(this.dataDir, 'local-stack.json'), 'utf8')) as {
          env: Record<string, string>;
        }
      ).env;
    } catch {
      return undefined;
    }
  }

  /**
   * SIGKILL to the whole npm/node process group and to every DynamoDB Local on this data dir, at once;
   * returns when none of them is left (zombies count as gone), having removed the temp dirs Java leaves.
   */
  async kill(): Promise<void> {
    this.killNow();
    const deadline = Date.now() + 15_000;
    for (;;) {
      const left = [
        ...(this.#child?.pid === undefined ? [] : liveInGroup(this.#child.pid)),
        ...javaProcesses(this.dbPath).map((java) => java.pid),
      ];
      if (left.length === 0) break;
      if (Date.now() > deadline) throw new Error(`processes survived SIGKILL: ${left.join(', ')}`);
      for (const pid of left) signal(pid, 'SIGKILL');
      await sleep(50);
    }
    this.#removeJavaTmpDirs();
  }

  /** The synchronous part of kill(): also what an exit hook can do. */
  killNow(): void {
    const java = javaProcesses(this.dbPath);
    for (const { tmpDir } of java) if (tmpDir !== undefined) this.#javaTmpDirs.add(tmpDir);
    const pgid = this.#child?.pid;
    if (pgid !== undefined) signal(-pgid, 'SIGKILL');
    for (const { pid } of [...java, ...javaProcesses(this.dbPath)]) signal(pid, 'SIGKILL');
    this.#ready = false;
  }

  /** A clean stop (SIGTERM, as Ctrl-C), falling back to kill() after 20 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child?.pid !== undefined && !this.#exited) {
      for (const { tmpDir } of javaProcesses(this.dbPath))
        if (tmpDir !== undefined) this.#javaTmpDirs.add(tmpDir);
      signal(-child.pid, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        if (liveInGroup(child.pid).length === 0 && javaProcesses(this.dbPath).length === 0) break;
        await sleep(100);
      }
    }
    await this.kill();
  }

  #removeJavaTmpDirs(): void {
    for (const dir of this.#javaTmpDirs) rmSync(dir, { recursive: true, force: true });
    this.#javaTmpDirs.clear();
  }
}

/**
 * The warnings and errors in the stack's log, counted by what they say (message, where, error), most
 * frequent first: what the stack itself noticed while it was being killed and started again.
 */
export function summarizeStackLog(file: string): { count: number; line: string }[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const counts = new Map<string, number>();
  for (const raw of text.split('\n')) {
    if (!raw.startsWith('{')) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (entry.level !== 'WARN' && entry.level !== 'ERROR') continue;
    const error = entry.error;
    const errorText =
      typeof error === 'object' && error !== null
        ? `${String((error as { name?: unknown }).name ?? '')}: ${String((error as { message?: unknown }).message ?? '')}`
        : typeof error === 'string'
          ? `${error}${typeof entry.detail === 'string' ? `: ${entry.detail}` : ''}`
          : '';
    const where = entry.poller ?? entry.routeKey ?? entry.function_name ?? entry.function ?? '';
    // Instants and ids differ on every line: leave them out of what is counted.
    const line =
      `${String(entry.level)} ${String(entry.message)}${where === '' ? '' : ` (${String(where)})`}${errorText === '' ? '' : ` — ${errorText}`}`
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
        .replace(/ld_[0-9a-f]{8,}/g, '<lead>')
        .slice(0, 300);
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, count]) => ({ count, line })).sort((a, b) => b.count - a.count);
}
