import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { consoleFingerprint, ensureConsoleBuilt } from '#infra/console-build.ts';
import { type LocalCloud, startLocalCloud } from '#infra/local/local-cloud.ts';
import { jsonLog } from '#infra/local/log.ts';
import { repoRoot } from '#infra/local/paths.ts';
import type { LocalCloudInfo } from '#test/support/global-setup.ts';

/**
 * The browser suite's stack, once per run: the console built, and the local cloud as `npm start` runs it
 * (the default policy and fund seeded, no demo leads) on a free port, serving that build. Tests read
 * `inject('browserStack')`; `inject('localCloud')` has the cloud suite's shape, so `#test/support/api.ts`
 * (tokens, submitting leads through the API) works here too.
 *
 * The build goes to a folder named after the console's sources (node_modules/.cache/kfq-console/<hash>),
 * not console/dist: several engineers run browser tests while editing pages, and a build made by another
 * run (or `npm start`) must not empty the folder this run is serving.
 */

export interface BrowserStackInfo {
  /** The gateway: API routes, /console/, /dev/sign-in. */
  readonly baseUrl: string;
  /** `${baseUrl}/console/` */
  readonly consoleUrl: string;
  /** The build this run serves. */
  readonly consoleDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    browserStack: BrowserStackInfo;
  }
}

const SNAPSHOTS = join(repoRoot, 'node_modules', '.cache', 'kfq-console');
const KEEP_SNAPSHOTS_MS = 24 * 3600 * 1000;
/** A failed message comes back in seconds, not the deployed three minutes. */
const VISIBILITY_TIMEOUT_SECONDS = 10;
let cloud: LocalCloud | undefined;

/** Builds (or reuses) the console for the current sources in a folder of its own; drops day-old ones. */
export async function buildConsoleSnapshot(): Promise<string> {
  const consoleDir = join(SNAPSHOTS, consoleFingerprint().slice(0, 16));
  await ensureConsoleBuilt({ outDir: consoleDir });
  for (const name of safeList(SNAPSHOTS)) {
    const path = join(SNAPSHOTS, name);
    if (path === consoleDir) continue;
    const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > KEEP_SNAPSHOTS_MS) rmSync(path, { recursive: true, force: true });
  }
  return consoleDir;
}

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

export async function setup(project: TestProject): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const consoleDir = await buildConsoleSnapshot();
  cloud = await startLocalCloud({
    port: 0,
    seed: true,
    demo: false,
    log: jsonLog('warn'),
    // Tests that need the reconciler run it; a timer would act at moments no test chose.
    schedules: false,
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
    consoleDir,
  });
  const localCloud: LocalCloudInfo = {
    baseUrl: cloud.baseUrl,
    env: cloud.env,
    endpoints: cloud.endpoints,
    dynamodbPid: cloud.pids.dynamodb,
    issuer: cloud.identity.issuer,
    audience: cloud.identity.audience,
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
  };
  project.provide('localCloud', localCloud);
  project.provide('browserStack', {
    baseUrl: cloud.baseUrl,
    consoleUrl: `${cloud.baseUrl}/console/`,
    consoleDir,
  });
}

export async function teardown(): Promise<void> {
  await cloud?.stop();
  cloud = undefined;
}
