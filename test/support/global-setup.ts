import type { TestProject } from 'vitest/node';
import { type ExtraRoute, type LocalCloud, startLocalCloud } from '#infra/local/local-cloud.ts';
import { jsonLog } from '#infra/local/log.ts';

/**
 * Starts the local cloud once per test run, exactly as `npm start` does, but on an ephemeral port, in
 * memory, with short visibility timeouts (redeliveries in 2 s), no scheduled functions and a few
 * test-only routes. Tests read what they need with `inject('localCloud')`; tests that import handler
 * modules first copy `inject('localCloud').env` into `process.env`.
 */

export interface LocalCloudInfo {
  readonly baseUrl: string;
  readonly env: Readonly<Record<string, string>>;
  readonly endpoints: { readonly http: string; readonly dynamodb: string; readonly sqs: string };
  readonly dynamodbPid: number;
  readonly issuer: string;
  readonly audience: string;
  readonly visibilityTimeoutSeconds: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localCloud: LocalCloudInfo;
  }
}

/**
 * Test-only routes for the local cloud (never in `infra/resources.ts`): an echo of the event a function
 * receives, on a protected and a public route, and a function that throws.
 */
const echo = async (event: unknown) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-echo': 'yes' },
  cookies: ['echo=1; Path=/'],
  body: JSON.stringify(event),
});

export const testRoutes: readonly ExtraRoute[] = [
  {
    method: 'GET',
    path: '/_test/protected/{id}',
    access: ['finance', 'auditor'],
    fn: { id: 'test-echo-protected', timeoutSeconds: 5, handler: echo },
  },
  {
    method: 'POST',
    path: '/_test/public/{proxy+}',
    access: 'public',
    fn: { id: 'test-echo-public', timeoutSeconds: 5, handler: echo },
  },
  {
    method: 'GET',
    path: '/_test/bare',
    access: 'public',
    fn: { id: 'test-bare', timeoutSeconds: 5, handler: async () => ({ hello: 'world' }) },
  },
  {
    method: 'GET',
    path: '/_test/throws',
    access: 'public',
    fn: {
      id: 'test-throws',
      timeoutSeconds: 5,
      handler: async () => {
        throw new Error('boom');
      },
    },
  },
];

const VISIBILITY_TIMEOUT_SECONDS = 2;
let cloud: LocalCloud | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Handlers log through Powertools; tests only want to see errors (expected warnings are noise).
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  cloud = await startLocalCloud({
    port: 0,
    // Reference data (the default policy) as `npm start` seeds it; no demo leads.
    seed: true,
    demo: false,
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
    log: jsonLog('warn'),
    extraRoutes: testRoutes,
    // No timers: tests run the reconciler themselves with a clock they control (a timer's round would
    // send again the leads some tests leave waiting on purpose, at a moment nobody chose).
    schedules: false,
  });
  project.provide('localCloud', {
    baseUrl: cloud.baseUrl,
    env: cloud.env,
    endpoints: cloud.endpoints,
    dynamodbPid: cloud.pids.dynamodb,
    issuer: cloud.identity.issuer,
    audience: cloud.identity.audience,
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
  });
}

export async function teardown(): Promise<void> {
  await cloud?.stop();
  cloud = undefined;
}
