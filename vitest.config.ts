import { defineConfig } from 'vitest/config';

// The suites mirror the layers: unit (no network), infra (synthesized templates), and the two that
// run on the local cloud (integration, e2e), which start DynamoDB Local and the SQS server once per run;
// chaos (crash loop) and browser (the console in Chromium, on a local cloud of its own).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // The cloud suite's setup lowers the log level for the whole run; unit tests read INFO lines.
          env: { POWERTOOLS_LOG_LEVEL: 'INFO' },
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'cloud',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          // Starts the local cloud once for the whole run (port 0, short visibility timeouts).
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // One shared stack: files take turns so timing-sensitive queue tests do not starve each other.
          fileParallelism: false,
          // Handlers imported by tests log errors only, and emit no EMF metrics into the test output.
          env: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
        },
      },
      {
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          environment: 'node',
          // The short crash loop starts its own stack (npm start on a data dir) and SIGKILLs it. Without
          // file parallelism it joins the cloud files' sequential group: never beside one of them, so
          // neither starves the other of the machine's cores.
          fileParallelism: false,
          testTimeout: 330_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          // Builds the console and starts a local cloud of its own that serves it (port 0, in memory).
          globalSetup: ['test/browser/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Chromium and the stack's handlers share 2 cores: in the sequential group with the cloud and
          // chaos files, never beside one of them (their queue timings and our paint timings both suffer).
          fileParallelism: false,
          env: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
        },
      },
    ],
  },
});
