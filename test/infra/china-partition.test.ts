import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_AUDIENCE_PARAMETER, OIDC_ISSUER_PARAMETER } from '#infra/constructs/http-api.ts';
import { REPO_ROOT } from '#infra/constructs/kfq-function.ts';
import { AwsSolutionsChecks } from '#infra/constructs/nag.ts';
import { deploymentSettingsFrom } from '#infra/deployment.ts';
import {
  type FunctionDefinition,
  functions,
  routes,
  type ScheduleDefinition,
  schedules,
} from '#infra/resources.ts';
import { DataStack } from '#infra/stacks/data-stack.ts';
import { ServiceStack } from '#infra/stacks/service-stack.ts';
import {
  asArray,
  type CfnResourceJson,
  logicalIdOf,
  NO_DOCKER,
  removeSynthesis,
  resourcesOfType,
  STATEFUL_LOGICAL_IDS,
  type Synthesized,
  synthesizeApp,
} from './synth.ts';

/**
 * The app as `cdk synth -c partition=aws-cn -c region=cn-north-1` builds it, synthesized once for this
 * file: only what the AWS China regions have (no Cognito user pool, no Lambda X-Ray, no CloudFront OAC),
 * every ARN through the partition, cdk-nag clean.
 */
const CHINA_CONTEXT = { partition: 'aws-cn', region: 'cn-north-1' };

let synth: Synthesized;
beforeAll(() => {
  // The bundles are the global ones (same code, same target): service-stack.test.ts checks them.
  synth = synthesizeApp({ context: CHINA_CONTEXT, bundle: false });
}, 120_000);
afterAll(() => removeSynthesis(synth));

type Json = { Resources: Record<string, CfnResourceJson>; [key: string]: unknown };
const templates = (): [string, Json][] => [
  ['KfqData', synth.dataJson as Json],
  ['KfqService', synth.serviceJson as Json],
];

/** Every string in a template, with the key it sits under. */
function stringsOf(value: unknown, key = ''): { key: string; text: string }[] {
  if (typeof value === 'string') return [{ key, text: value }];
  if (Array.isArray(value)) return value.flatMap((item) => stringsOf(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([name, item]) => stringsOf(item, name));
  }
  return [];
}

describe('the China partition (cn-north-1)', () => {
  it('pins both stacks to the region; ARNs take the partition from the AWS::Partition pseudo parameter', () => {
    expect(synth.stacks.deployment).toMatchObject({ partition: 'aws-cn', region: 'cn-north-1' });
    for (const stack of [synth.stacks.data, synth.stacks.service]) {
      expect(stack.region).toBe('cn-north-1');
      expect(stack.resolve(stack.partition)).toEqual({ Ref: 'AWS::Partition' });
    }
  });

  it('has no literal arn:aws: anywhere in either template or asset manifest', () => {
    for (const [name, template] of templates()) {
      expect(JSON.stringify(template), name).not.toMatch(/arn:aws:/);
    }
    for (const name of ['KfqData', 'KfqService']) {
      const assets = readFileSync(join(synth.outdir, `${name}.assets.json`), 'utf8');
      expect(assets, `${name}.assets.json`).not.toMatch(/arn:aws:/);
    }
  });

  it('names no global-partition endpoint: amazonaws.com appears only as a service principal', () => {
    // Service principals are <service>.amazonaws.com in the China regions too (API Gateway and EventBridge
    // as Lambda permission principals, Lambda and CloudWatch in role and key policies).
    for (const [name, template] of templates()) {
      for (const { key, text } of stringsOf(template)) {
        if (!text.includes('amazonaws.com')) continue;
        expect(['Service', 'Principal'], `${name}: ${key} ${text}`).toContain(key);
        expect(text, name).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
      }
    }
  });

  it('keeps the stateful logical ids of the global partition (one resource definition, two partitions)', () => {
    const ids = [
      ...resourcesOfType(synth.dataJson, 'AWS::DynamoDB::Table'),
      ...resourcesOfType(synth.dataJson, 'AWS::SQS::Queue'),
    ]
      .map(([logicalId]) => logicalId)
      .sort();
    expect(ids).toEqual(STATEFUL_LOGICAL_IDS);
    expect(resourcesOfType(synth.dataJson, 'AWS::SecretsManager::Secret').map(([id]) => id)).toEqual([
      'IdentifierKeysSecret7CA41C2D',
    ]);
  });

  it('has no Cognito resource at all, no CloudFront and no origin access control', () => {
    for (const [name, template] of templates()) {
      const types = Object.values(template.Resources).map((resource) => resource.Type);
      expect(
        types.filter((type) => type.startsWith('AWS::Cognito::') || type.startsWith('AWS::CloudFront::')),
        name,
      ).toEqual([]);
    }
    expect(Object.keys(synth.serviceJson.Outputs ?? {})).not.toContain('UserPoolId');
    expect(synth.stacks.service.httpApi.userPool).toBeUndefined();
  });

  it('builds no console without an ICP-filed domain, and says so at synth, naming the settings', () => {
    expect(synth.stacks.service.console).toBeUndefined();
    const warnings = Annotations.fromStack(synth.stacks.service).findWarning(
      '*',
      Match.stringLikeRegexp('kfq:consoleDomain'),
    );
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.entry.data)).toMatch(
      /ICP-filed domain.*kfq:consoleClientId.*kfq:console=none/,
    );
  });

  it('authorizes every protected route with a JWT authorizer on the issuer and audience the deployment names', () => {
    const authorizers = resourcesOfType(synth.serviceJson, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] as [string, CfnResourceJson];
    expect(authorizer.Properties?.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties?.JwtConfiguration).toEqual({
      Issuer: { Ref: OIDC_ISSUER_PARAMETER },
      Audience: { Ref: OIDC_AUDIENCE_PARAMETER },
    });
    // Without context defaults the parameters have none: deploy must name the provider.
    const parameters = (synth.serviceJson as { Parameters?: Record<string, Record<string, unknown>> })
      .Parameters;
    expect(parameters?.[OIDC_ISSUER_PARAMETER]).toMatchObject({
      Type: 'String',
      AllowedPattern: '^https://\\S+$',
    });
    expect(parameters?.[OIDC_ISSUER_PARAMETER]?.Default).toBeUndefined();
    expect(parameters?.[OIDC_AUDIENCE_PARAMETER]).toMatchObject({ Type: 'CommaDelimitedList' });
    const protectedRoutes = routes.filter((route) => route.access !== 'public');
    const jwtRoutes = resourcesOfType(synth.serviceJson, 'AWS::ApiGatewayV2::Route').filter(
      ([, route]) =>
        route.Properties?.AuthorizationType === 'JWT' &&
        JSON.stringify(route.Properties?.AuthorizerId) === JSON.stringify({ Ref: authorizerId }),
    );
    expect(jwtRoutes).toHaveLength(protectedRoutes.length);
    expect(Object.keys(synth.serviceJson.Outputs ?? {})).toContain('OidcIssuerUrl');
  });

  it('tells every function which claim carries the groups (OIDC default: groups)', () => {
    for (const [, fn] of resourcesOfType(synth.serviceJson, 'AWS::Lambda::Function')) {
      const variables =
        (fn.Properties?.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect(variables.AUTH_ROLES_CLAIM).toBe('groups');
      expect(variables.AUTH_GROUP_ROLES).toBeUndefined();
    }
  });

  it('turns Lambda X-Ray off: no tracing config, no X-Ray grant, no Resource "*" at all', () => {
    const lambdas = resourcesOfType(synth.serviceJson, 'AWS::Lambda::Function');
    expect(lambdas).toHaveLength(functions.length);
    for (const [id, fn] of lambdas) {
      expect(fn.Properties?.TracingConfig, id).toBeUndefined();
      expect(fn.Properties?.Runtime, id).toBe('nodejs24.x');
      expect(fn.Properties?.Architectures, id).toEqual(['arm64']);
    }
    for (const [id, policy] of resourcesOfType(synth.serviceJson, 'AWS::IAM::Policy')) {
      const statements = asArray(
        (
          policy.Properties?.PolicyDocument as
            | { Statement?: { Action: unknown; Resource: unknown }[] }
            | undefined
        )?.Statement,
      );
      for (const statement of statements) {
        for (const action of asArray(statement.Action as string | string[])) {
          expect(action, id).not.toMatch(/^xray:/);
        }
        expect(asArray(statement.Resource), id).not.toContain('*');
      }
    }
  });

  it('needs no SQS dead-letter redrive API: nothing is granted sqs:StartMessageMoveTask', () => {
    expect(JSON.stringify(synth.serviceJson)).not.toMatch(/MessageMoveTask/);
  });

  it('runs the scheduled functions (the reconciler, the daily 督办) through EventBridge rules (offered in both China regions)', () => {
    expect(resourcesOfType(synth.serviceJson, 'AWS::Events::Rule')).toHaveLength(schedules.length);
    expect(resourcesOfType(synth.serviceJson, 'AWS::Scheduler::Schedule')).toHaveLength(0);
  });

  describe('cdk-nag AwsSolutions', () => {
    interface PluginReport {
      pluginName: string;
      conclusion: string;
      violations: { ruleName: string; severity: string }[];
      suppressedViolations?: { ruleName: string; reason?: string }[];
    }
    const nagReport = () =>
      (
        JSON.parse(readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8')) as {
          pluginReports: PluginReport[];
        }
      ).pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');

    it('ran and left no unacknowledged error', () => {
      const nag = nagReport();
      expect(nag?.conclusion).toBe('success');
      expect(nag?.violations.filter((violation) => violation.severity === 'error')).toEqual([]);
    });

    it('justifies every acknowledged finding, and acknowledges nothing about X-Ray (there is none)', () => {
      const suppressed = nagReport()?.suppressedViolations ?? [];
      expect(suppressed.length).toBeGreaterThan(0);
      for (const violation of suppressed) {
        expect(violation.reason?.trim().length ?? 0, violation.ruleName).toBeGreaterThan(20);
        expect(violation.reason, violation.ruleName).not.toMatch(/X-Ray/);
      }
    });
  });
});

describe('the sources', () => {
  it('write no ARN with a literal aws partition (infra, functions, shared, tests, bench, docs)', () => {
    const literalArn = /arn:aws:[a-z0-9-]+:/;
    const offenders: string[] = [];
    const walk = (directory: string) => {
      for (const entry of readdirSync(join(REPO_ROOT, directory), { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|cts|mts|md|json)$/.test(entry.name)) {
          const text = readFileSync(join(REPO_ROOT, path), 'utf8');
          if (literalArn.test(text)) offenders.push(path);
        }
      }
    };
    for (const directory of ['infra', 'functions', 'shared', 'test', 'bench', 'docs']) walk(directory);
    expect(offenders).toEqual([]);
  });
});

describe('context switches for what a region may lack', () => {
  it('reads the China defaults, and refuses Cognito or X-Ray there and a region outside the partition', () => {
    const read = (context: Record<string, string>) => deploymentSettingsFrom((key) => context[key]);
    expect(read({ partition: 'aws-cn' })).toMatchObject({
      partition: 'aws-cn',
      tracing: false,
      identity: { kind: 'oidc', rolesClaim: 'groups' },
      runtime: 'nodejs24.x',
      architecture: 'arm64',
      schedules: 'eventbridge-rules',
    });
    expect(read({ region: 'cn-northwest-1' }).partition).toBe('aws-cn');
    expect(read({})).toMatchObject({ partition: 'aws', tracing: true, identity: { kind: 'cognito' } });
    expect(read({})).not.toHaveProperty('region');
    expect(() => read({ partition: 'aws-cn', 'kfq:identity': 'cognito' })).toThrow(/kfq:identity.*Cognito/);
    expect(() => read({ partition: 'aws-cn', 'kfq:tracing': 'active' })).toThrow(/kfq:tracing.*X-Ray/);
    expect(() => read({ partition: 'aws-cn', region: 'eu-west-1' })).toThrow(/region: eu-west-1/);
    expect(() => read({ 'kfq:runtime': 'nodejs20.x' })).toThrow(/kfq:runtime/);
    expect(() => read({ 'kfq:oidcIssuer': 'https://sso.example' })).toThrow(/only with kfq:identity=oidc/);
    expect(() => read({ partition: 'aws-cn', 'kfq:oidcIssuer': 'http://sso.example' })).toThrow(/https/);
    expect(() => read({ partition: 'aws-cn', 'kfq:groupRoles': '{"kfq-fin":"treasurer"}' })).toThrow(
      /kfq:groupRoles.*kfq-fin/,
    );
  });

  it('builds the fallbacks: nodejs22.x on x86_64, EventBridge Scheduler, an OIDC provider named in context, cdk-nag clean', () => {
    process.env.CDK_DOCKER = NO_DOCKER;
    const outdir = mkdtempSync(join(tmpdir(), 'kfq-cdk-fallback-'));
    try {
      const app = new App({ outdir });
      const deployment = deploymentSettingsFrom(
        (key) =>
          ({
            partition: 'aws-cn',
            region: 'cn-northwest-1',
            'kfq:runtime': 'nodejs22.x',
            'kfq:architecture': 'x86_64',
            'kfq:schedules': 'eventbridge-scheduler',
            'kfq:oidcIssuer': 'https://sso.zone.example/realms/kfq',
            'kfq:oidcAudience': 'kfq-console,kfq-cli',
            'kfq:rolesClaim': 'realm_access.roles',
            'kfq:groupRoles': '{"kfq-finance":"finance","kfq-team-food":"sector:food"}',
          })[key],
      );
      const consumer: FunctionDefinition = {
        id: 'reconcile',
        entry: 'functions/health/handler.ts',
        timeoutSeconds: 10,
        memoryMb: 256,
        description: 'a scheduled function',
        tables: {},
        queues: {},
      };
      const schedule: ScheduleDefinition = { id: 'Reconcile', functionId: 'reconcile', rateMinutes: 1 };
      const data = new DataStack(app, 'Data', {
        tables: [],
        queues: [],
        secrets: [],
        env: { region: 'cn-northwest-1' },
      });
      const service = new ServiceStack(app, 'Service', {
        env: { region: 'cn-northwest-1' },
        tables: data.tables,
        queues: data.queues,
        deadLetterQueues: data.deadLetterQueues,
        tableDefinitions: [],
        queueDefinitions: [],
        functions: [consumer],
        routes: [{ method: 'GET', path: '/funds/{fundId}', functionId: 'reconcile', access: ['finance'] }],
        eventSources: [],
        schedules: [schedule],
        sectorCodes: ['food'],
        deployment,
      });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
      app.synth();
      const nag = (
        JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
          pluginReports: { pluginName: string; conclusion: string }[];
        }
      ).pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
      expect(nag?.conclusion).toBe('success');

      const template = Template.fromStack(service);
      const json = template.toJSON() as Json;
      const fn = json.Resources[logicalIdOf(service.functions.get('reconcile')?.function as never)];
      expect(fn?.Properties?.Runtime).toBe('nodejs22.x');
      expect(fn?.Properties?.Architectures).toEqual(['x86_64']);
      expect(fn?.Properties?.TracingConfig).toBeUndefined();
      const variables =
        (fn?.Properties?.Environment as { Variables: Record<string, string> } | undefined)?.Variables ?? {};
      expect(variables.AUTH_ROLES_CLAIM).toBe('realm_access.roles');
      expect(JSON.parse(variables.AUTH_GROUP_ROLES as string)).toEqual({
        'kfq-finance': 'finance',
        'kfq-team-food': 'sector:food',
      });
      const schedules = resourcesOfType(json, 'AWS::Scheduler::Schedule');
      expect(schedules).toHaveLength(1);
      expect(schedules[0]?.[1].Properties?.ScheduleExpression).toBe('rate(1 minute)');
      expect(resourcesOfType(json, 'AWS::Events::Rule')).toHaveLength(0);
      const parameters = (json as { Parameters?: Record<string, Record<string, unknown>> }).Parameters;
      expect(parameters?.[OIDC_ISSUER_PARAMETER]?.Default).toBe('https://sso.zone.example/realms/kfq');
      expect(parameters?.[OIDC_AUDIENCE_PARAMETER]?.Default).toBe('kfq-console,kfq-cli');
      expect(JSON.stringify(json)).not.toMatch(/arn:aws:/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
