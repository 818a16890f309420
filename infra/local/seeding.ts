import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalLog } from './log.ts';

/**
 * Seeding hooks run by `startLocalCloud({ seed: true })` (and so by `npm start`) once the tables and
 * queues exist and the handlers' environment is set. They are registered in `seeders.ts` (reference data:
 * the default policy, the conversion fund; demo leads when `demo` is true).
 *
 * Seeders MUST be idempotent: on a persistent data dir they run again on every start, over the data
 * already there (use conditional puts, or go through the same use cases as the API with fixed
 * idempotency keys). This module is imported only after the environment is set, so seeders may import
 * handler-side modules that read the configuration at load time.
 */

export interface SeedContext {
  /** The environment handed to the handlers (table names, queue URLs, endpoints). */
  readonly env: Readonly<Record<string, string>>;
  readonly dynamoDb: DynamoDBClient;
  readonly sqs: SQSClient;
  /** False with `--no-demo`: seed reference data only. */
  readonly demo: boolean;
  /** True when the data dir already held tables (a restart). */
  readonly restart: boolean;
  /** The gateway's base URL, for seeders that go through the API like a user. */
  readonly baseUrl: string;
  /** Signs a dev token for a role, for seeders that call the API. */
  readonly tokenFor: (
    role: `sector:${string}` | 'finance' | 'auditor' | 'admin',
    userId?: string,
  ) => Promise<string>;
  readonly log: LocalLog;
}

export interface Seeder {
  readonly name: string;
  /** Runs only when demo data is wanted. */
  readonly demoOnly?: boolean;
  readonly run: (context: SeedContext) => Promise<void>;
}
