import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_ROLE_CLAIM_SETTINGS, type RoleClaimSettings } from '#shared/auth/role-claims.ts';
import { CONSOLE_DIST } from '../console-build.ts';
import {
  eventSources as definedEventSources,
  functions as definedFunctions,
  queues as definedQueues,
  routes as definedRoutes,
  schedules as definedSchedules,
  tables as definedTables,
  type EventSourceDefinition,
  type FunctionDefinition,
  type QueueDefinition,
  type Role,
  type RouteDefinition,
  type ScheduleDefinition,
  type TableDefinition,
} from '../resources.ts';
import { consoleSite } from './console-site.ts';
import { loadOrCreateDevIdentifierKeys } from './dev-identifier-keys.ts';
import {
  DEFAULT_SECTOR_CODES,
  DEV_ALGORITHM,
  type DevIdentity,
  type DevRole,
  loadDevIdentity,
} from './dev-identity.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './engines/dynamodb-local.ts';
import { type SqsServer, startSqsServer } from './engines/sqs-server.ts';
import { type GatewayRoute, type HttpGateway, startHttpGateway } from './http-gateway.ts';
import { createInvoker, type LocalFunction, partitionOf } from './lambda-runtime.ts';
import { errorFields, jsonLog, type LocalLog } from './log.ts';
import { type OidcIssuerSettings, oidcAuthorizer, roleClaimsEnv } from './oidc-issuer.ts';
import { type ProvisionedQueue, provisionQueues, provisionTables } from './provision.ts';
import { startScheduleTimer } from './schedule-timers.ts';
import type { Seeder } from './seeding.ts';
import { type SqsPoller, startSqsPoller } from './sqs-poller.ts';
import { restoreQueuedMessages, saveQueuedMessages } from './sqs-snapshot.ts';

/**
 * The local cloud: DynamoDB Local and the SQS server on free loopback ports, the tables and queues of
 * `infra/resources.ts`, an API Gateway-like HTTP gateway with a JWT authorizer, and one SQS poller per
 * event-source mapping, all calling the real handler modules in this process. Handlers reach the engines
 * through configuration only: the standard AWS SDK endpoint variables and the resource env vars, set in
 * `process.env` of this process (restored on stop) and returned as `env` for tests' own processes.
 */

export interface ExtraRoute {
  readonly method: RouteDefinition['method'];
  readonly path: string;
  readonly access: 'public' | readonly Role[];
  /** A function given inline (`handler`) or by module (`entry`). */
  readonly fn: LocalFunction;
}

export interface ExtraEventSource {
  readonly queueId: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly fn: LocalFunction;
}

/** DynamoDB Local's write-behind window, with margin (see `HttpGatewayOptions.writeAckDelayMs`). */
const DURABLE_WRITE_DELAY_MS = 50;

export interface LocalCloudOptions {
  /** HTTP port on 127.0.0.1; default 3000; 0 picks a free one. */
  readonly port?: number;
  /** Keep DynamoDB tables, queued messages, the dev signing key and identifier keys here across restarts. */
  readonly dataDir?: string;
  /** Run the seeders (reference data); default false. */
  readonly seed?: boolean;
  /** With `seed`, also the demo-only seeders; default true. */
  readonly demo?: boolean;
  /** Override every queue's visibility timeout (tests: short, so redeliveries come fast). */
  readonly visibilityTimeoutSeconds?: number;
  /** Pollers' long-poll wait; default 1 s (stop is quick). Must stay below the visibility timeout. */
  readonly pollWaitSeconds?: number;
  readonly log?: LocalLog;
  /** Test-only routes added to those of `infra/resources.ts`. */
  readonly extraRoutes?: readonly ExtraRoute[];
  /** Test-only queues (with their DLQs) added to those of `infra/resources.ts`. */
  readonly extraQueues?: readonly QueueDefinition[];
  /** Test-only consumers; `queueId` may name a resource queue or an extra queue. */
  readonly extraEventSources?: readonly ExtraEventSource[];
  /** Replaces the registered seeders (`infra/local/seeders.ts`). */
  readonly seeders?: readonly Seeder[];
  /**
   * Run the scheduled functions (their timers, and the start-up run of those marked `atLocalStart`);
   * default true. Tests turn them off and run the reconciler themselves, with a clock they control.
   */
  readonly schedules?: boolean;
  readonly issuer?: string;
  readonly audience?: string;
  readonly region?: string;
  /**
   * One more issuer the gateway trusts beside the dev identity: the zone's OIDC provider (or a stand-in),
   * as API Gateway's JWT authorizer trusts it in the cloud.
   */
  readonly oidc?: OidcIssuerSettings;
  /**
   * The claim that carries the caller's groups and the group → role mapping, given to the handlers as in
   * the cloud (AUTH_ROLES_CLAIM, AUTH_GROUP_ROLES); the dev identity issues its tokens the same way.
   * Default: Cognito's `cognito:groups` with our group names.
   */
  readonly roleClaims?: RoleClaimSettings;
  /** The console's build served at /console/ (default `console/dist`; `npm start` builds it first). */
  readonly consoleDir?: string;
}

export interface LocalCloud {
  readonly baseUrl: string;
  /** Environment the handlers need (endpoints, credentials, region, table names, queue URLs). */
  readonly env: Readonly<Record<string, string>>;
  readonly endpoints: { readonly http: string; readonly dynamodb: string; readonly sqs: string };
  readonly queues: readonly ProvisionedQueue[];
  readonly tables: Readonly<Record<string, string>>;
  readonly pids: { readonly dynamodb: number };
  readonly identity: {
    readonly issuer: string;
    readonly audience: string;
    readonly keyFile: string;
    /** The external OIDC issuer also trusted, if any. */
    readonly oidcIssuer?: string;
  };
  tokenFor(role: DevRole, userId?: string, ttlSeconds?: number): Promise<string>;
  stop(): Promise<void>;
}

/** The event EventBridge sends a scheduled target. */
function scheduledEvent(scheduleId: string, region: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: LOCAL_ACCOUNT_ID,
    time: new Date().toISOString(),
    region,
    resources: [
      `arn:${partitionOf(region)}:scheduler:${region}:${LOCAL_ACCOUNT_ID}:schedule/default/${scheduleId}`,
    ],
    detail: {},
  };
}

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'cn-north-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

function functionById(id: string): FunctionDefinition {
  const found = (definedFunctions as readonly FunctionDefinition[]).find((fn) => fn.id === id);
  if (found === undefined) throw new Error(`infra/resources.ts: no function with id ${id}`);
  return found;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const log = options.log ?? jsonLog();
  const region = options.region ?? LOCAL_REGION;
  const roleClaims = options.roleClaims ?? DEFAULT_ROLE_CLAIM_SETTINGS;
  const started = Date.now();
  const pollWaitSeconds = options.pollWaitSeconds ?? 1;
  if (options.visibilityTimeoutSeconds !== undefined && options.visibilityTimeoutSeconds <= pollWaitSeconds) {
    throw new Error(
      'visibilityTimeoutSeconds must be above pollWaitSeconds (local-aws-sqs returns duplicates otherwise)',
    );
  }
  const tableDefinitions: readonly TableDefinition[] = definedTables;
  const queueDefinitions: readonly QueueDefinition[] = [...definedQueues, ...(options.extraQueues ?? [])];

  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => log('error', 'stop step failed', errorFields(error)));
    }
  };

  try {
    const [dynamo, sqsServer, identity] = await Promise.all([
      startDynamoDbLocal({
        ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
        region,
        credentials: LOCAL_CREDENTIALS,
        log,
      }).then((engine: DynamoDbLocal) => {
        cleanups.push(() => engine.stop());
        return engine;
      }),
      startSqsServer({ region, accountId: LOCAL_ACCOUNT_ID, log }).then((engine: SqsServer) => {
        cleanups.push(() => engine.stop());
        return engine;
      }),
      loadDevIdentity({
        ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
        ...(options.audience === undefined ? {} : { audience: options.audience }),
        roleClaims,
      }),
    ]);

    const dynamoDb = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region,
      credentials: LOCAL_CREDENTIALS,
    });
    const sqs = new SQSClient({ endpoint: sqsServer.endpoint, region, credentials: LOCAL_CREDENTIALS });
    cleanups.push(async () => {
      dynamoDb.destroy();
      sqs.destroy();
    });

    const [{ names: tables, kept }, queues] = await Promise.all([
      provisionTables(dynamoDb, tableDefinitions, log),
      provisionQueues(sqs, queueDefinitions, {
        ...(options.visibilityTimeoutSeconds === undefined
          ? {}
          : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
        log,
      }),
    ]);
    const allQueues = queues.flatMap((queue) => [
      { name: queue.name, url: queue.url },
      queue.deadLetterQueue,
    ]);
    if (options.dataDir !== undefined) {
      const dataDir = options.dataDir;
      await restoreQueuedMessages(sqs, allQueues, dataDir, log);
      // Runs before the SQS server stops (cleanups run in reverse), after the pollers have stopped.
      cleanups.push(() => saveQueuedMessages(sqs, allQueues, dataDir, log));
    }

    const env: Record<string, string> = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
      // The cloud passes the ARN of a secret holding the keyring; locally the keyring itself, from the
      // dev identity folder (kept with --data-dir, like the tables whose hashes it made).
      IDENTIFIER_KEYS: loadOrCreateDevIdentifierKeys(options.dataDir),
      // The stand-in for the Object Lock bucket of global audit digests (issue 18): a folder of the data
      // dir, or of a fresh temporary one when the tables live only as long as this stack.
      AUDIT_DIGEST_DIR:
        options.dataDir === undefined
          ? mkdtempSync(join(tmpdir(), 'kfq-audit-digests-'))
          : join(resolve(options.dataDir), 'audit-digests'),
      // Where the handlers read the caller's roles (the functions' environment in the cloud).
      ...roleClaimsEnv(roleClaims),
    };
    for (const table of tableDefinitions) env[table.envVar] = tables[table.id] ?? table.id;
    for (const definition of queueDefinitions) {
      const queue = queues.find((candidate) => candidate.id === definition.id);
      if (queue === undefined) continue;
      env[definition.envVar] = queue.url;
      env[definition.deadLetterQueue.envVar] = queue.deadLetterQueue.url;
    }
    // Handlers are imported lazily, after this: their configuration sees the local values.
    const previousEnv = new Map(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    cleanups.push(async () => {
      for (const [name, value] of previousEnv) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    const invoker = createInvoker({ region, accountId: LOCAL_ACCOUNT_ID });

    const routes: GatewayRoute[] = [
      ...(definedRoutes as readonly RouteDefinition[]).map((route) => ({
        method: route.method,
        path: route.path,
        access: route.access,
        fn: functionById(route.functionId),
      })),
      ...(options.extraRoutes ?? []),
    ];
    const tokenFor = (role: DevRole, userId?: string, ttlSeconds?: number) =>
      identity.issue({
        role,
        ...(userId === undefined ? {} : { userId }),
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      });

    const gateway: HttpGateway = await startHttpGateway({
      port: options.port ?? 3000,
      // The console beside the API, on one origin, and the browser sign-in only this stack has.
      local: consoleSite({
        distDir: options.consoleDir ?? CONSOLE_DIST,
        config: { apiBaseUrl: '', auth: { mode: 'dev' } },
        devSignIn: { tokenFor, sectorCodes: DEFAULT_SECTOR_CODES },
        log,
      }),
      routes,
      authorizer: [
        {
          issuer: identity.issuer,
          audience: identity.audience,
          key: identity.verificationKey,
          algorithms: [DEV_ALGORITHM],
        },
        ...(options.oidc === undefined ? [] : [oidcAuthorizer(options.oidc)]),
      ],
      invoke: (fn, event, requestId) => invoker.invoke(fn, event, requestId),
      accountId: LOCAL_ACCOUNT_ID,
      // Only a data dir outlives the process: there an answer waits until DynamoDB Local's write is durable.
      writeAckDelayMs: options.dataDir === undefined ? 0 : DURABLE_WRITE_DELAY_MS,
      log,
    });

    const mappings: {
      queueId: string;
      batchSize: number;
      maxBatchingWindowSeconds: number;
      fn: LocalFunction;
    }[] = [
      ...(definedEventSources as readonly EventSourceDefinition[]).map((source) => ({
        queueId: source.queueId,
        batchSize: source.batchSize,
        maxBatchingWindowSeconds: source.maxBatchingWindowSeconds,
        fn: functionById(source.functionId),
      })),
      ...(options.extraEventSources ?? []),
    ];
    const pollers: SqsPoller[] = mappings.map((mapping) => {
      const queue = queues.find((candidate) => candidate.id === mapping.queueId);
      if (queue === undefined) throw new Error(`event source: no queue with id ${mapping.queueId}`);
      return startSqsPoller({
        sqs,
        queueUrl: queue.url,
        queueArn: queue.arn.replace(
          /^arn:[^:]+:sqs:[^:]*:[^:]*:/,
          `arn:${partitionOf(region)}:sqs:${region}:${LOCAL_ACCOUNT_ID}:`,
        ),
        region,
        batchSize: mapping.batchSize,
        maxBatchingWindowSeconds: mapping.maxBatchingWindowSeconds,
        waitTimeSeconds: pollWaitSeconds,
        invoke: (event) => invoker.invoke(mapping.fn, event),
        name: `${mapping.queueId}→${mapping.fn.id}`,
        log,
        releaseFailedOnStop: options.dataDir !== undefined,
      });
    });
    // Stop order (reverse of this list): the gateway finishes its requests, then the pollers their
    // batches, then queues are saved, then the engines stop.
    cleanups.push(async () => {
      await Promise.all(pollers.map((poller) => poller.stop()));
    });
    cleanups.push(() => gateway.stop());

    // Scheduled functions, as EventBridge Scheduler would call them: a timer per schedule.
    const scheduled = options.schedules === false ? [] : (definedSchedules as readonly ScheduleDefinition[]);
    const runSchedule = (schedule: ScheduleDefinition, detail: Record<string, unknown> = {}) =>
      invoker
        .invoke(functionById(schedule.functionId), { ...scheduledEvent(schedule.id, region), detail })
        .catch((error: unknown) =>
          log('error', 'scheduled function failed', { schedule: schedule.id, ...errorFields(error) }),
        );
    const timers = scheduled.map((schedule) =>
      startScheduleTimer(schedule, () => void runSchedule(schedule)),
    );
    cleanups.push(async () => {
      for (const timer of timers) timer.stop();
    });

    // Whatever the queues held when the stack last stopped may be gone (a kill loses the in-memory
    // queues): the tables say what is still waiting, and it is sent again now, before the
    // seeders and the stack's first callers add more.
    for (const schedule of scheduled.filter((candidate) => candidate.atLocalStart === true)) {
      await runSchedule(schedule, { resendAll: true });
    }

    if (options.seed === true) {
      await runSeeders(options, {
        env,
        dynamoDb,
        sqs,
        demo: options.demo ?? true,
        restart: kept.length > 0,
        baseUrl: gateway.baseUrl,
        tokenFor: (role, userId) => tokenFor(role, userId),
        log,
      });
    }

    log('info', 'local cloud ready', { baseUrl: gateway.baseUrl, ms: Date.now() - started });
    let stopping: Promise<void> | undefined;
    return {
      baseUrl: gateway.baseUrl,
      env,
      endpoints: { http: gateway.baseUrl, dynamodb: dynamo.endpoint, sqs: sqsServer.endpoint },
      queues,
      tables,
      pids: { dynamodb: dynamo.pid },
      identity: {
        ...identityInfo(identity),
        ...(options.oidc === undefined ? {} : { oidcIssuer: options.oidc.issuer }),
      },
      tokenFor,
      stop: () => {
        stopping ??= runCleanups().then(() => log('info', 'local cloud stopped'));
        return stopping;
      },
    };
  } catch (error) {
    log('error', 'local cloud failed to start; stopping what started', errorFields(error));
    await runCleanups();
    throw error;
  }
}

function identityInfo(identity: DevIdentity) {
  return { issuer: identity.issuer, audience: identity.audience, keyFile: identity.keyFile };
}

async function runSeeders(options: LocalCloudOptions, context: Parameters<Seeder['run']>[0]): Promise<void> {
  // Imported only now, with the environment set (see seeders.ts).
  const registered = options.seeders ?? (await import('./seeders.ts')).seeders;
  for (const seeder of registered) {
    if (seeder.demoOnly === true && !context.demo) continue;
    const started = Date.now();
    await seeder.run(context);
    context.log('info', 'seeded', { seeder: seeder.name, ms: Date.now() - started });
  }
}
