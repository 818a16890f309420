import { defineConfig } from 'vitest/config';

// Four suites mirror the layers: unit (no network), infra (synthesized templates), and the two that
// run on the local cloud (integration, e2e), which start DynamoDB Local and the SQS server once per run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
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
    ],
  },
});
