import { type CfnElement, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule as SchedulerSchedule } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { KfqAlarms } from '#infra/constructs/alarms.ts';
import { KfqAuditDigestArchive } from '#infra/constructs/audit-digest-archive.ts';
import { type CloudFrontConsole, KfqConsoleHosting } from '#infra/constructs/console-hosting.ts';
import {
  CONSOLE_SCOPES,
  type ConsoleSignIn,
  cognitoSignInOrigins,
  defaultCognitoDomainPrefix,
  KfqHttpApi,
  oidcProviderParameters,
  originOfUrl,
} from '#infra/constructs/http-api.ts';
import { KfqFunction } from '#infra/constructs/kfq-function.ts';
import {
  grantDeclaredAccess,
  type QueuePair,
  type TableWithIndexes,
} from '#infra/constructs/least-privilege.ts';
import { acknowledge } from '#infra/constructs/nag.ts';
import { wireQueueConsumers } from '#infra/constructs/queue-consumers.ts';
import {
  describeSchedule,
  ruleScheduleOf,
  schedulerExpressionOf,
} from '#infra/constructs/schedule-expressions.ts';
import { KfqTransientBuckets } from '#infra/constructs/transient-buckets.ts';
import { type DeploymentSettings, GLOBAL_DEFAULTS, type Partition } from '#infra/deployment.ts';
import {
  type BucketDefinition,
  buckets as bucketDefinitions,
  type EventSourceDefinition,
  eventSources as eventSourceDefinitions,
  type FunctionDefinition,
  functions as functionDefinitions,
  type QueueDefinition,
  type RouteDefinition,
  routes as routeDefinitions,
  type ScheduleDefinition,
  type SecretDefinition,
  schedules as scheduleDefinitions,
  type TableDefinition,
} from '#infra/resources.ts';
import { groupRolesText } from '#shared/auth/role-claims.ts';

export interface ServiceStackProps extends StackProps {
  /** Stateful resources from the data stack, by definition id. */
  readonly tables: ReadonlyMap<string, ITable>;
  readonly queues: ReadonlyMap<string, IQueue>;
  /** Dead-letter queues by the id of their source queue. */
  readonly deadLetterQueues: ReadonlyMap<string, IQueue>;
  readonly tableDefinitions: readonly TableDefinition[];
  readonly queueDefinitions: readonly QueueDefinition[];
  /** Secrets from the data stack, by definition id (none in tests that need none). */
  readonly secrets?: ReadonlyMap<string, ISecret>;
  readonly secretDefinitions?: readonly SecretDefinition[];
  /** Buckets of transient files (built here); default `infra/resources.ts`. */
  readonly buckets?: readonly BucketDefinition[];
  /** Default to `infra/resources.ts`; tests may pass their own. */
  readonly functions?: readonly FunctionDefinition[];
  readonly routes?: readonly RouteDefinition[];
  readonly eventSources?: readonly EventSourceDefinition[];
  readonly schedules?: readonly ScheduleDefinition[];
  /** Sector codes: one Cognito group each. */
  readonly sectorCodes: readonly string[];
  /** Funds known at deploy time (each gets its own availability alarm). */
  readonly fundIds?: readonly string[];
  /** Work waiting in the tables longer than this alarms (default 15 minutes). */
  readonly pendingWorkAlarmSeconds?: number;
  /**
   * Runtime, architecture, tracing, schedules and identity for the partition deployed to
   * (infra/deployment.ts); default: the global defaults (Cognito, X-Ray, nodejs24.x on arm64).
   */
  readonly deployment?: Omit<DeploymentSettings, 'partition' | 'region' | 'console'>;
  /** The web console on S3 behind CloudFront (infra/deployment.ts decides where it can be built). */
  readonly console?: { readonly settings: CloudFrontConsole; readonly partition: Partition };
}

/** `submit-lead` → `SubmitLead`: construct ids stay readable in the console. */
const pascal = (id: string) =>
  id
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');

/**
 * The stateless half: functions, HTTP API with its user pool, event sources and alarms, all built
 * generically from the resource definition, so a new function, route or mapping needs no change here.
 */
export class ServiceStack extends Stack {
  readonly functions: ReadonlyMap<string, KfqFunction>;
  readonly httpApi: KfqHttpApi;
  readonly alarms: KfqAlarms;
  readonly console: KfqConsoleHosting | undefined;
  readonly transientBuckets: KfqTransientBuckets;
  /** The Object Lock bucket of the global audit digests (issue 18). */
  readonly auditDigests: KfqAuditDigestArchive;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const functions = props.functions ?? functionDefinitions;
    const routes = props.routes ?? routeDefinitions;
    const eventSources = props.eventSources ?? eventSourceDefinitions;
    const deployment = props.deployment ?? GLOBAL_DEFAULTS;

    // Every function gets every store's name: config is parsed whole (shared/config.ts); IAM decides access.
    const environment: Record<string, string> = {};
    for (const table of props.tableDefinitions) {
      environment[table.envVar] = required(props.tables, table.id, 'table').tableName;
    }
    for (const queue of props.queueDefinitions) {
      environment[queue.envVar] = required(props.queues, queue.id, 'queue').queueUrl;
      environment[queue.deadLetterQueue.envVar] = required(
        props.deadLetterQueues,
        queue.id,
        'dead-letter queue',
      ).queueUrl;
    }

    // Which claim carries the caller's groups, and how they map to roles (shared/config.ts reads them).
    environment.AUTH_ROLES_CLAIM = deployment.identity.rolesClaim;
    if (deployment.identity.groupRoles !== undefined) {
      environment.AUTH_GROUP_ROLES = groupRolesText(deployment.identity.groupRoles);
    }

    // A secret's ARN goes to every function too; only those that declare the secret may read it.
    for (const secret of props.secretDefinitions ?? []) {
      environment[secret.envVar] = required(props.secrets ?? new Map(), secret.id, 'secret').secretArn;
    }

    // Buckets of transient files (exports); a bucket's name goes to every function too, only the
    // functions that declare it get a grant.
    this.transientBuckets = new KfqTransientBuckets(this, 'Buckets', {
      definitions: props.buckets ?? bucketDefinitions,
    });
    for (const bucket of props.buckets ?? bucketDefinitions) {
      environment[bucket.envVar] = required(this.transientBuckets.buckets, bucket.id, 'bucket').bucketName;
    }

    // Global audit digests, kept outside the table in an Object Lock bucket; only the digest step writes.
    const accessLogs = this.transientBuckets.accessLogs;
    this.auditDigests = new KfqAuditDigestArchive(this, 'AuditDigests', {
      ...(accessLogs === undefined ? {} : { accessLogs }),
    });
    environment.AUDIT_DIGEST_BUCKET = this.auditDigests.bucket.bucketName;
    environment.AUDIT_DIGEST_RETENTION_DAYS = String(this.auditDigests.retentionDays);

    const queuePairs = new Map<string, QueuePair>();
    for (const queue of props.queueDefinitions) {
      queuePairs.set(queue.id, {
        queue: required(props.queues, queue.id, 'queue'),
        deadLetterQueue: required(props.deadLetterQueues, queue.id, 'dead-letter queue'),
      });
    }

    const tablesWithIndexes = new Map<string, TableWithIndexes>();
    for (const table of props.tableDefinitions) {
      tablesWithIndexes.set(table.id, {
        table: required(props.tables, table.id, 'table'),
        indexNames: table.globalIndexes.map((index) => index.name),
      });
    }

    const built = new Map<string, KfqFunction>();
    for (const definition of functions) {
      if (built.has(definition.id)) throw new Error(`Function id ${definition.id} is defined twice`);
      const fn = new KfqFunction(this, pascal(definition.id), {
        definition,
        environment,
        runtime: deployment.runtime,
        architecture: deployment.architecture,
        tracing: deployment.tracing,
      });
      grantDeclaredAccess(fn.function, definition, {
        tables: tablesWithIndexes,
        queues: queuePairs,
        eventSources,
        ...(props.secrets === undefined ? {} : { secrets: props.secrets }),
        buckets: this.transientBuckets.buckets,
      });
      const declared: FunctionDefinition = definition;
      for (const bucketId of Object.keys(declared.buckets ?? {})) {
        acknowledge(
          fn.role,
          `AwsSolutions-IAM5[Resource::${this.transientBuckets.arnReference(bucketId)}/*]`,
          `s3:PutObject and s3:GetObject on the objects of the ${bucketId} bucket only (keys are random per export; a pre-signed GET is signed with this role): no list, no delete, no other bucket.`,
        );
      }
      built.set(definition.id, fn);
    }
    const digestWriter = built.get('audit-digest');
    if (digestWriter !== undefined) {
      this.auditDigests.grantDigestWriter(digestWriter.function);
      acknowledge(
        digestWriter.role,
        `AwsSolutions-IAM5[Resource::${this.auditDigests.arnReference}/*]`,
        's3:PutObject, s3:PutObjectRetention and s3:GetObject on the objects of the audit digest bucket only (one key per digest): Object Lock in compliance mode keeps every version until its retention ends, so no delete or retention change is possible anyway.',
      );
    }
    this.functions = built;

    const lambdas = new Map<string, IFunction>([...built].map(([fnId, fn]) => [fnId, fn.function]));

    wireQueueConsumers({
      eventSources,
      queueDefinitions: props.queueDefinitions,
      queues: props.queues,
      functions: new Map(
        [...built].map(([fnId, fn]) => [fnId, { function: fn.function, definition: fn.definition }]),
      ),
    });

    // Scheduled functions (the reconciler), retried on failure: an EventBridge rule per schedule (the
    // default, in every partition), or an EventBridge Scheduler schedule (context kfq:schedules).
    for (const schedule of props.schedules ?? scheduleDefinitions) {
      const description = describeSchedule(schedule);
      const target = required(lambdas, schedule.functionId, 'function');
      if (deployment.schedules === 'eventbridge-scheduler') {
        // One role per schedule, allowed to invoke its one function (and that function's versions).
        const role = new Role(this, `${pascal(schedule.id)}SchedulerRole`, {
          assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
          description: `EventBridge Scheduler: invokes ${schedule.functionId} only`,
        });
        new SchedulerSchedule(this, `${pascal(schedule.id)}Scheduler`, {
          description,
          schedule: schedulerExpressionOf(schedule),
          target: new LambdaInvoke(target, { retryAttempts: 2, role }),
        });
        const functionLogicalId = this.getLogicalId(target.node.defaultChild as CfnElement);
        acknowledge(
          role,
          `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
          `lambda:InvokeFunction on ${schedule.functionId} and its versions (<arn>:*, as grantInvoke writes it): the role can invoke this one function and nothing else.`,
        );
      } else {
        new Rule(this, `${pascal(schedule.id)}Schedule`, {
          description,
          schedule: ruleScheduleOf(schedule),
          targets: [new LambdaFunction(target, { retryAttempts: 2 })],
        });
      }
    }

    // The console first: the API's CORS and sign-in return addresses name its origin; config.json, written
    // after the API exists, names the API's.
    const identity = deployment.identity;
    let consoleSignIn: ConsoleSignIn | undefined;
    if (props.console !== undefined) {
      const { settings, partition } = props.console;
      let signIn: { connect: string[]; pages: string[] };
      if (identity.kind === 'cognito') {
        const cognito = cognitoSignInOrigins(settings.cognitoDomainPrefix ?? defaultCognitoDomainPrefix());
        signIn = { connect: [cognito.issuer, cognito.pages], pages: [cognito.pages] };
      } else {
        const issuer = originOfUrl(oidcProviderParameters(this, identity).issuer.valueAsString);
        signIn = { connect: [issuer], pages: [issuer] };
      }
      this.console = new KfqConsoleHosting(this, 'Console', {
        settings,
        partition,
        signInConnectOrigins: signIn.connect,
        signInPageOrigins: signIn.pages,
      });
      consoleSignIn = {
        origins: [this.console.origin, ...settings.extraOrigins],
        ...(settings.cognitoDomainPrefix === undefined
          ? {}
          : { cognitoDomainPrefix: settings.cognitoDomainPrefix }),
        ...(settings.clientId === undefined ? {} : { oidcClientId: settings.clientId }),
      };
    } else {
      this.console = undefined;
    }

    this.httpApi = new KfqHttpApi(this, 'Api', {
      routes,
      functions: lambdas,
      sectorCodes: props.sectorCodes,
      identity,
      ...(consoleSignIn === undefined ? {} : { console: consoleSignIn }),
    });

    if (this.console !== undefined) {
      const clientId = this.httpApi.consoleClient?.userPoolClientId ?? props.console?.settings.clientId;
      if (clientId === undefined) throw new Error('The console has no client id to sign in with');
      this.console.publish({
        apiBaseUrl: this.httpApi.api.apiEndpoint,
        auth: {
          mode: 'oidc',
          authority: this.httpApi.issuer,
          clientId,
          scope: CONSOLE_SCOPES.join(' '),
          ...(this.httpApi.signInDomain === undefined
            ? {}
            : { endSessionEndpoint: `${this.httpApi.signInDomain.baseUrl()}/logout` }),
        },
      });
      if (this.httpApi.consoleClient !== undefined && this.httpApi.signInDomain !== undefined) {
        new CfnOutput(this, 'ConsoleClientId', { value: this.httpApi.consoleClient.userPoolClientId });
        new CfnOutput(this, 'SignInUrl', {
          value: this.httpApi.signInDomain.baseUrl(),
          description: 'Cognito managed login (hosted sign-in) for the console',
        });
      }
    }

    this.alarms = new KfqAlarms(this, 'Alarms', {
      functions: lambdas,
      deadLetterQueues: props.deadLetterQueues,
      api: this.httpApi.api,
      fundIds: props.fundIds ?? [],
      ...(props.pendingWorkAlarmSeconds === undefined
        ? {}
        : { pendingWorkAlarmSeconds: props.pendingWorkAlarmSeconds }),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'HTTP API base URL' });
    if (this.httpApi.userPool !== undefined && this.httpApi.userPoolClient !== undefined) {
      new CfnOutput(this, 'UserPoolId', { value: this.httpApi.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.httpApi.userPoolClient.userPoolClientId });
    } else {
      new CfnOutput(this, 'OidcIssuerUrl', {
        value: this.httpApi.issuer,
        description: 'The OIDC issuer whose tokens the API accepts (stack parameter OidcIssuer)',
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe an e-mail or chat endpoint to receive the alarms',
    });
  }
}

function required<T>(map: ReadonlyMap<string, T>, id: string, kind: string): T {
  const value = map.get(id);
  if (value === undefined) throw new Error(`The data stack has no ${kind} ${id}`);
  return value;
}
