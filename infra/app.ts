import { Annotations, App, Tags, Validations } from 'aws-cdk-lib';
import { ensureConsoleBuilt } from '#infra/console-build.ts';
import { AwsSolutionsChecks } from '#infra/constructs/nag.ts';
import { type DeploymentSettings, deploymentSettingsFrom } from '#infra/deployment.ts';
import { DataStack } from '#infra/stacks/data-stack.ts';
import { ServiceStack } from '#infra/stacks/service-stack.ts';
import { DEFAULT_SECTORS } from '#shared/domain/sectors.ts';

export interface KfqStacks {
  readonly data: DataStack;
  readonly service: ServiceStack;
  readonly deployment: DeploymentSettings;
}

/** Funds that get an availability alarm of their own (context `kfq:fundIds`); all funds share one more. */
function fundIdsFrom(app: App): string[] {
  const value: unknown = app.node.tryGetContext('kfq:fundIds');
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

/** Work waiting in the tables longer than this alarms (context `kfq:pendingWorkAlarmSeconds`, seconds). */
function pendingWorkAlarmSecondsFrom(app: App): number | undefined {
  const value: unknown = app.node.tryGetContext('kfq:pendingWorkAlarmSeconds');
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * The two stacks, with cdk-nag's AwsSolutions pack applied to everything. Stateful resources live in the
 * data stack and are passed as props. Environment-agnostic by default; context `region` (and `partition`)
 * pins them to a region, still without lookups: synth works offline either way (infra/deployment.ts).
 */
export function buildApp(app: App): KfqStacks {
  const deployment = deploymentSettingsFrom((key) => app.node.tryGetContext(key));
  const env = deployment.region === undefined ? {} : { env: { region: deployment.region } };
  const signIn = deployment.identity.kind === 'cognito' ? 'user pool' : 'OIDC authorizer';
  const data = new DataStack(app, 'KfqData', {
    description: 'kfq-incentives: tables, queues and dead-letter queues (stateful, retained)',
    ...env,
  });
  const webConsole = deployment.console.kind === 'cloudfront' ? ', web console (S3 + CloudFront)' : '';
  const service = new ServiceStack(app, 'KfqService', {
    description: `kfq-incentives: functions, HTTP API, ${signIn}, event sources, alarms${webConsole}`,
    ...env,
    deployment,
    tables: data.tables,
    queues: data.queues,
    deadLetterQueues: data.deadLetterQueues,
    tableDefinitions: data.tableDefinitions,
    queueDefinitions: data.queueDefinitions,
    secrets: data.secrets,
    secretDefinitions: data.secretDefinitions,
    sectorCodes: DEFAULT_SECTORS.map((sector) => sector.code),
    fundIds: fundIdsFrom(app),
    pendingWorkAlarmSeconds: pendingWorkAlarmSecondsFrom(app),
    ...(deployment.console.kind === 'cloudfront'
      ? { console: { settings: deployment.console, partition: deployment.partition } }
      : {}),
  });
  if (deployment.console.kind === 'none' && deployment.console.reason !== undefined) {
    Annotations.of(service).addWarningV2('kfq:console', deployment.console.reason);
  }
  Tags.of(app).add('project', 'kfq-incentives');
  // cdk-nag v3 is a policy-validation plugin: synth fails on any unacknowledged error finding.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  return { data, service, deployment };
}

if (import.meta.main) {
  const app = new App();
  // The console's files are uploaded from console/dist: build it first when its sources changed (~3 s).
  if (deploymentSettingsFrom((key) => app.node.tryGetContext(key)).console.kind === 'cloudfront') {
    await ensureConsoleBuilt();
  }
  buildApp(app);
  app.synth();
}
