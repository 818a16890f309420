import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleGroupNames } from '#infra/constructs/http-api.ts';
import { checkEventSource } from '#infra/constructs/queue-consumers.ts';
import {
  type EventSourceDefinition,
  eventSources,
  type FunctionDefinition,
  functions,
  type QueueDefinition,
  queues,
  routes,
  type ScheduleDefinition,
  schedules,
  secrets,
  tables,
  utcTimeOf,
} from '#infra/resources.ts';
import { DataStack } from '#infra/stacks/data-stack.ts';
import { ServiceStack } from '#infra/stacks/service-stack.ts';
import { DEFAULT_SECTORS } from '#shared/domain/sectors.ts';
import {
  logicalIdOf,
  NO_DOCKER,
  removeSynthesis,
  resourcesOfType,
  type Synthesized,
  synthesizeApp,
} from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesizeApp();
}, 240_000);
afterAll(() => removeSynthesis(synth));

const fnResource = (functionId: string) => {
  const fn = synth.stacks.service.functions.get(functionId);
  if (fn === undefined) throw new Error(`no function ${functionId}`);
  const logicalId = logicalIdOf(fn.function);
  return { logicalId, props: synth.serviceJson.Resources[logicalId]?.Properties ?? {} };
};

describe('functions', () => {
  it('builds one Lambda per definition: nodejs24.x, ARM64, X-Ray active, timeout and memory as defined', () => {
    // Besides them only CDK's provider that copies the console's files into its bucket at deploy time.
    const lambdas = resourcesOfType(synth.serviceJson, 'AWS::Lambda::Function').filter(
      ([logicalId]) => !logicalId.startsWith('CustomCDKBucketDeployment'),
    );
    expect(lambdas).toHaveLength(functions.length);
    for (const definition of functions) {
      const { props } = fnResource(definition.id);
      expect(props.Runtime, definition.id).toBe('nodejs24.x');
      expect(props.Architectures, definition.id).toEqual(['arm64']);
      expect(props.TracingConfig, definition.id).toEqual({ Mode: 'Active' });
      expect(props.Timeout, definition.id).toBe(definition.timeoutSeconds);
      expect(props.MemorySize, definition.id).toBe(definition.memoryMb);
      expect(props.Handler, definition.id).toBe('index.handler');
    }
  });

  it('gives every function its own log group with a retention', () => {
    for (const definition of functions) {
      const { props } = fnResource(definition.id);
      const ref = (props.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
      expect(ref, definition.id).toBeDefined();
      const logGroup = synth.serviceJson.Resources[ref as string];
      expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup?.Properties?.RetentionInDays, definition.id).toBeGreaterThan(0);
    }
  });

  it('sets every store and secret env var of shared/config.ts, the Powertools settings and source maps', () => {
    const envVars = [
      ...tables.map((t) => t.envVar),
      ...queues.flatMap((q) => [q.envVar, q.deadLetterQueue.envVar]),
      ...secrets.map((secret) => secret.envVar),
    ];
    for (const definition of functions) {
      const { props } = fnResource(definition.id);
      const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const name of envVars) expect(variables[name], `${definition.id} ${name}`).toBeDefined();
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe('kfq-incentives');
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('KfqIncentives');
      expect(variables.POWERTOOLS_LOG_LEVEL).toMatch(/^(DEBUG|INFO|WARN|ERROR)$/);
      expect(variables.NODE_OPTIONS).toContain('--enable-source-maps');
    }
  });

  it('bundles locally, never through Docker: minified ESM with the createRequire banner, a source map and the AWS SDK inside', () => {
    expect(process.env.CDK_DOCKER).toBe(NO_DOCKER);
    let withSdk = 0;
    for (const definition of functions) {
      const { props } = fnResource(definition.id);
      const key = (props.Code as { S3Key: string }).S3Key;
      const assetDir = join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`);
      const bundle = join(assetDir, 'index.mjs');
      expect(existsSync(bundle), definition.id).toBe(true);
      expect(existsSync(`${bundle}.map`), definition.id).toBe(true);
      const code = readFileSync(bundle, 'utf8');
      expect(code.startsWith('import { createRequire as __kfqCreateRequire }'), definition.id).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      // Minified: very long lines on average, not a readable file.
      expect(code.length / code.split('\n').length, definition.id).toBeGreaterThan(1000);
      // The SDK is inside the bundle: no static import of @aws-sdk is left for the runtime to resolve
      // (only the SDK's own optional `require` of the CRT signer, inside a try, remains).
      expect(code, definition.id).not.toMatch(/from\s*["']@aws-sdk\//);
      // `node:http` and `node:process` come in as CommonJS (ESBUILD_ALIAS): an ESM import of `http` reads
      // every export and loads undici for nothing, ~12 ms of every cold start.
      const esmBuiltIns = /from\s*["'](node:)?(http|process)["']/.exec(code)?.[0] ?? null;
      expect(esmBuiltIns, definition.id).toBeNull();
      if (code.includes('smithy.ts.sdk')) withSdk += 1;
      // Tree-shaken: far below the size of the whole SDK clients with their dependencies.
      expect(statSync(bundle).size, definition.id).toBeLessThan(3 * 1024 * 1024);
    }
    expect(withSdk, 'functions with the AWS SDK bundled').toBeGreaterThan(0);
  });
});

describe('schedules', () => {
  it('runs every scheduled function of the definition at its rate or daily time through an EventBridge rule', () => {
    const rules = resourcesOfType(synth.serviceJson, 'AWS::Events::Rule');
    expect(rules).toHaveLength(schedules.length);
    for (const schedule of schedules as readonly ScheduleDefinition[]) {
      const { logicalId } = fnResource(schedule.functionId);
      const rule = rules.find(([, resource]) =>
        JSON.stringify(resource.Properties?.Targets ?? []).includes(logicalId),
      );
      expect(rule, schedule.id).toBeDefined();
      if (schedule.dailyAt === undefined) {
        const unit = schedule.rateMinutes === 1 ? 'minute' : 'minutes';
        expect(rule?.[1].Properties?.ScheduleExpression).toBe(`rate(${schedule.rateMinutes} ${unit})`);
      } else {
        const { hour, minute } = utcTimeOf(schedule.dailyAt);
        expect(rule?.[1].Properties?.ScheduleExpression).toBe(`cron(${minute} ${hour} * * ? *)`);
      }
    }
  });

  it('runs the 督办 at 08:00 Asia/Shanghai every day, which is 00:00 UTC (no daylight saving there)', () => {
    const daily = (schedules as readonly ScheduleDefinition[]).find(
      (s) => s.functionId === 'supervise-projects',
    );
    expect(daily?.dailyAt).toEqual({ hour: 8, minute: 0, timeZone: 'Asia/Shanghai' });
    expect(daily?.dailyAt === undefined ? undefined : utcTimeOf(daily.dailyAt)).toEqual({
      hour: 0,
      minute: 0,
    });
  });
});

describe('queue consumers', () => {
  it('maps every event source of the definition with partial batch responses, batch size and window', () => {
    const mappings = resourcesOfType(synth.serviceJson, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(eventSources.length);
    for (const source of eventSources) {
      const { logicalId } = fnResource(source.functionId);
      const queue = synth.stacks.data.queues.get(source.queueId);
      const queueLogicalId = logicalIdOf(queue as NonNullable<typeof queue>);
      const mapping = mappings.find(
        ([, m]) =>
          JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: logicalId }) &&
          JSON.stringify(m.Properties?.EventSourceArn).includes(queueLogicalId),
      );
      expect(mapping, `${source.queueId} → ${source.functionId}`).toBeDefined();
      const props = mapping?.[1].Properties ?? {};
      expect(props.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(props.BatchSize).toBe(source.batchSize);
      expect(props.MaximumBatchingWindowInSeconds ?? 0).toBe(source.maxBatchingWindowSeconds);
    }
    for (const [, mapping] of mappings) {
      expect(mapping.Properties?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('keeps every consumed queue visible at least 6 × the consumer timeout plus the batching window (in the templates)', () => {
    for (const source of eventSources) {
      const queue = synth.stacks.data.queues.get(source.queueId);
      const visibility = synth.dataJson.Resources[logicalIdOf(queue as NonNullable<typeof queue>)]?.Properties
        ?.VisibilityTimeout as number;
      const timeout = fnResource(source.functionId).props.Timeout as number;
      expect(visibility).toBeGreaterThanOrEqual(6 * timeout + source.maxBatchingWindowSeconds);
    }
  });

  const queue: QueueDefinition = {
    id: 'Evaluation',
    envVar: 'Q_URL',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 4,
    deadLetterQueue: { id: 'QDlq', envVar: 'Q_DLQ_URL', retentionDays: 14 },
  };
  const consumer: FunctionDefinition = {
    id: 'consumer',
    entry: 'functions/health/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    description: 'test consumer',
    tables: {},
    queues: { Evaluation: 'consume' },
  };
  const source: EventSourceDefinition = {
    queueId: 'Evaluation',
    functionId: 'consumer',
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    reportBatchItemFailures: true,
  };

  it('refuses at synth a visibility timeout under 6 × timeout + batching window', () => {
    expect(() => checkEventSource(source, [queue], consumer)).toThrow(/below 6 × 30s .* = 181s/);
    expect(() =>
      checkEventSource(source, [{ ...queue, visibilityTimeoutSeconds: 181 }], consumer),
    ).not.toThrow();
  });

  it('throws while building the service stack when a definition breaks the rule', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'kfq-cdk-bad-'));
    const app = new App({ outdir });
    const data = new DataStack(app, 'Data', { tables: [], queues: [queue] });
    const build = () =>
      new ServiceStack(app, 'Service', {
        tables: data.tables,
        queues: data.queues,
        deadLetterQueues: data.deadLetterQueues,
        tableDefinitions: [],
        queueDefinitions: [queue],
        functions: [consumer],
        routes: [],
        eventSources: [source],
        sectorCodes: ['food'],
      });
    try {
      expect(build).toThrow(/visibility timeout 180s is below 6 × 30s/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('refuses at synth a consumer that does not declare consume, or an unknown queue or function', () => {
    const fixed = { ...queue, visibilityTimeoutSeconds: 181 };
    expect(() => checkEventSource(source, [fixed], { ...consumer, queues: { Evaluation: 'send' } })).toThrow(
      /not 'consume'/,
    );
    expect(() => checkEventSource({ ...source, queueId: 'Nope' }, [fixed], consumer)).toThrow(
      /unknown queue/,
    );
    expect(() => checkEventSource(source, [fixed], undefined)).toThrow(/unknown function/);
    expect(() => checkEventSource(source, [{ ...fixed, maxReceiveCount: 2 }], consumer)).toThrow(
      /maxReceiveCount/,
    );
  });
});

describe('HTTP API', () => {
  it('has one route per definition, the JWT authorizer on every non-public route and none on public ones', () => {
    const routeResources = resourcesOfType(synth.serviceJson, 'AWS::ApiGatewayV2::Route');
    expect(routeResources).toHaveLength(routes.length);
    const [authorizer] = resourcesOfType(synth.serviceJson, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer?.[1].Properties?.AuthorizerType).toBe('JWT');
    for (const route of routes) {
      const found = routeResources.find(
        ([, r]) => r.Properties?.RouteKey === `${route.method} ${route.path}`,
      );
      expect(found, `${route.method} ${route.path}`).toBeDefined();
      const props = found?.[1].Properties ?? {};
      if (route.access === 'public') {
        expect(props.AuthorizationType, route.path).toBe('NONE');
        expect(props.AuthorizerId, route.path).toBeUndefined();
      } else {
        expect(props.AuthorizationType, route.path).toBe('JWT');
        expect(props.AuthorizerId, route.path).toEqual({ Ref: authorizer?.[0] });
      }
      const { logicalId } = fnResource(route.functionId);
      const integrationId = (props.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as {
        Ref: string;
      };
      const integration = synth.serviceJson.Resources[integrationId.Ref];
      expect(JSON.stringify(integration?.Properties?.IntegrationUri), route.path).toContain(logicalId);
    }
  });

  it('validates tokens of the user pool for its app clients, the CLI and the console (issuer and audience)', () => {
    const [, authorizer] = resourcesOfType(synth.serviceJson, 'AWS::ApiGatewayV2::Authorizer')[0] ?? [];
    const [poolId] = resourcesOfType(synth.serviceJson, 'AWS::Cognito::UserPool')[0] ?? [];
    const clientIds = resourcesOfType(synth.serviceJson, 'AWS::Cognito::UserPoolClient').map(([id]) => id);
    expect(clientIds).toHaveLength(2);
    const jwt = authorizer?.Properties?.JwtConfiguration as { Audience: unknown[]; Issuer: unknown };
    expect(jwt.Audience).toEqual(clientIds.map((clientId) => ({ Ref: clientId })));
    expect(JSON.stringify(jwt.Issuer)).toContain(`"Ref":"${poolId}"`);
    expect(JSON.stringify(jwt.Issuer)).toContain('cognito-idp.');
  });

  it('logs every request as JSON to a log group with retention, and throttles the stage', () => {
    const stages = resourcesOfType(synth.serviceJson, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const props = stages[0]?.[1].Properties ?? {};
    expect(props.StageName).toBe('$default');
    const access = props.AccessLogSettings as {
      DestinationArn: { 'Fn::GetAtt': [string, string] };
      Format: string;
    };
    const logGroup = synth.serviceJson.Resources[access.DestinationArn['Fn::GetAtt'][0]];
    expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup?.Properties?.RetentionInDays).toBeGreaterThan(0);
    const format = JSON.parse(access.Format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(format.status).toBe('$context.status');
    const throttle = props.DefaultRouteSettings as {
      ThrottlingRateLimit: number;
      ThrottlingBurstLimit: number;
    };
    expect(throttle.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(throttle.ThrottlingBurstLimit).toBeGreaterThan(0);
  });

  it('has a Cognito group per role: sector-<code> for each default sector, finance, finance-head, auditor, admin', () => {
    const groups = resourcesOfType(synth.serviceJson, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties?.GroupName,
    );
    const expected = [
      ...DEFAULT_SECTORS.map((s) => `sector-${s.code}`),
      'finance',
      'finance-head',
      'auditor',
      'admin',
    ];
    expect(DEFAULT_SECTORS).toHaveLength(10);
    expect(groups.sort()).toEqual(expected.sort());
    expect(roleGroupNames(DEFAULT_SECTORS.map((s) => s.code)).sort()).toEqual(expected.sort());
  });

  it('lets only admins create users, requires MFA and a strong password, and retains the pool', () => {
    const [, pool] = resourcesOfType(synth.serviceJson, 'AWS::Cognito::UserPool')[0] ?? [];
    const props = pool?.Properties ?? {};
    expect(props.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(props.MfaConfiguration).toBe('ON');
    expect(props.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    const password = (props.Policies as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy;
    expect(password.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(password).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool?.DeletionPolicy).toBe('Retain');
    const [, client] = resourcesOfType(synth.serviceJson, 'AWS::Cognito::UserPoolClient')[0] ?? [];
    expect(client?.Properties?.GenerateSecret).toBe(false);
    expect(client?.Properties?.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('names the Cognito groups claim to every function, and writes no literal arn:aws: in either template', () => {
    for (const definition of functions) {
      const variables = (
        fnResource(definition.id).props.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(variables.AUTH_ROLES_CLAIM, definition.id).toBe('cognito:groups');
      expect(variables.AUTH_GROUP_ROLES, definition.id).toBeUndefined();
    }
    // Environment-agnostic: every ARN takes its partition from AWS::Partition, so one template fits both.
    expect(synth.stacks.deployment).toMatchObject({ partition: 'aws', tracing: true });
    expect(synth.stacks.deployment).not.toHaveProperty('region');
    expect(JSON.stringify(synth.serviceJson)).not.toMatch(/arn:aws:/);
    expect(JSON.stringify(synth.dataJson)).not.toMatch(/arn:aws:/);
  });

  it('outputs the API URL, the user pool and its client', () => {
    expect(Object.keys(synth.serviceJson.Outputs ?? {})).toEqual(
      expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'AlarmTopicArn']),
    );
  });
});

describe('alarms', () => {
  const alarms = () =>
    resourcesOfType(synth.serviceJson, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});

  it('alarms on any message in each dead-letter queue', () => {
    for (const definition of queues) {
      const dlq = synth.stacks.data.deadLetterQueues.get(definition.id);
      const dlqId = logicalIdOf(dlq as NonNullable<typeof dlq>);
      const alarm = alarms().find(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          a.Namespace === 'AWS/SQS' &&
          JSON.stringify(a.Dimensions).includes(dlqId),
      );
      expect(alarm, definition.id).toBeDefined();
      expect(alarm?.Threshold).toBe(1);
      expect(alarm?.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    }
  });

  it('alarms on errors and throttles of every function', () => {
    for (const definition of functions) {
      const { logicalId } = fnResource(definition.id);
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms().find(
          (a) =>
            a.MetricName === metric &&
            a.Namespace === 'AWS/Lambda' &&
            JSON.stringify(a.Dimensions) ===
              JSON.stringify([{ Name: 'FunctionName', Value: { Ref: logicalId } }]),
        );
        expect(alarm, `${definition.id} ${metric}`).toBeDefined();
        expect(alarm?.Threshold).toBe(1);
      }
    }
  });

  it('alarms when a fund has under 10% available (custom metric FundAvailablePercent by fundId)', () => {
    const fundAlarms = alarms().filter((a) => JSON.stringify(a).includes('FundAvailablePercent'));
    expect(fundAlarms.length).toBeGreaterThanOrEqual(1);
    for (const alarm of fundAlarms) {
      expect(alarm.Threshold).toBe(10);
      expect(alarm.ComparisonOperator).toBe('LessThanThreshold');
      const text = JSON.stringify(alarm);
      expect(text).toContain('KfqIncentives');
      expect(text).toContain('fundId');
    }
    // Every fund, including those published after deploy, through one Metrics Insights query.
    expect(
      fundAlarms.some((a) => JSON.stringify(a.Metrics).includes('SELECT MIN(FundAvailablePercent)')),
    ).toBe(true);
  });

  it('alarms when work waits in the tables over 15 minutes, any kind, and when the reconciler falls silent', () => {
    const alarm = alarms().find((a) =>
      JSON.stringify(a.Metrics ?? []).includes('SELECT MAX(PendingWorkOldestAgeSeconds)'),
    );
    expect(alarm).toBeDefined();
    expect(JSON.stringify(alarm?.Metrics)).toContain('FROM SCHEMA(KfqIncentives, kind, service)');
    expect(alarm?.Threshold).toBe(15 * 60);
    expect(alarm?.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(alarm?.TreatMissingData).toBe('breaching');
    // The reconciler publishes the metric every minute.
    expect(schedules).toContainEqual(expect.objectContaining({ functionId: 'reconcile', rateMinutes: 1 }));
  });

  it('alarms on an API 5xx rate over 1% in 5 minutes (metric math 5xx / Count)', () => {
    const alarm = alarms().find((a) => JSON.stringify(a.Metrics ?? []).includes('"MetricName":"5xx"'));
    expect(alarm).toBeDefined();
    const metrics = alarm?.Metrics as {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string } };
    }[];
    expect(metrics.some((m) => m.Expression?.includes('errors / requests'))).toBe(true);
    expect(metrics.some((m) => m.MetricStat?.Metric.MetricName === 'Count')).toBe(true);
    expect(alarm?.Threshold).toBe(1);
    expect(alarm?.ComparisonOperator).toBe('GreaterThanThreshold');
  });

  it('sends every alarm to one encrypted, TLS-only SNS topic', () => {
    const [[snsId, topic] = []] = resourcesOfType(synth.serviceJson, 'AWS::SNS::Topic');
    expect(topic?.Properties?.KmsMasterKeyId).toBeDefined();
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: snsId }]);
    }
    const policies = resourcesOfType(synth.serviceJson, 'AWS::SNS::TopicPolicy');
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });
});
