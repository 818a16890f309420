import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LambdaArchitecture, LambdaRuntime } from '#infra/deployment.ts';
import type { FunctionDefinition } from '#infra/resources.ts';
import { acknowledge } from './nag.ts';

/** Repository root: entries in the resource definition are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One service name and one metrics namespace for every function (see `shared/observability.ts`). */
export const SERVICE_NAME = 'kfq-incentives';
export const METRICS_NAMESPACE = 'KfqIncentives';

/** ESM output still meets CommonJS dependencies that call `require`: give them one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __kfqCreateRequire } from 'node:module'; const require = __kfqCreateRequire(import.meta.url);";

/**
 * Built-ins the bundles load as CommonJS instead of ESM (esbuild `alias`, paths from the repository root).
 * Node builds the ESM namespace of a built-in by reading every export, which runs its lazy getters:
 * `http`'s WebSocket/CloseEvent/MessageEvent load undici (10–15 ms of every cold start; the SDK imports
 * `node:http` statically for its instance-metadata credentials, and Lambda uses none of these),
 * `process`'s stdin/allowedNodeEnvironmentFlags open a stream and list every Node flag (~1 ms).
 * Each target is `module.exports = process.getBuiltinModule(...)`: the same module object, read when used.
 */
export const ESBUILD_ALIAS: Readonly<Record<string, string>> = {
  'node:http': 'shared/adapters/node-builtins/http.cts',
  http: 'shared/adapters/node-builtins/http.cts',
  'node:process': 'shared/adapters/node-builtins/process.cts',
  process: 'shared/adapters/node-builtins/process.cts',
};

export interface KfqFunctionProps {
  readonly definition: FunctionDefinition;
  /** Table names and queue URLs, by the env var names of the resource definition. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention?: RetentionDays;
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Default nodejs24.x; nodejs22.x is the fallback where 24 is not offered (context `kfq:runtime`). */
  readonly runtime?: LambdaRuntime;
  /** Default arm64; x86_64 where Graviton is not offered (context `kfq:architecture`). */
  readonly architecture?: LambdaArchitecture;
  /** Active X-Ray tracing; default on. Off in the China regions, which have no Lambda X-Ray integration. */
  readonly tracing?: boolean;
}

const RUNTIMES: Readonly<Record<LambdaRuntime, { runtime: Runtime; esbuildTarget: string }>> = {
  'nodejs24.x': { runtime: Runtime.NODEJS_24_X, esbuildTarget: 'node24' },
  'nodejs22.x': { runtime: Runtime.NODEJS_22_X, esbuildTarget: 'node22' },
};

/**
 * The defaults every function shares: Node.js 24 on ARM64, bundled by the local esbuild (never Docker)
 * to minified ESM with source maps and the AWS SDK inside the bundle (tree-shaken), X-Ray active
 * tracing (where Lambda has it), its own log group with retention, Powertools settings. The role starts
 * empty except for writing to its own log group and X-Ray: every data grant comes from the resource
 * definition.
 */
export class KfqFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly definition: FunctionDefinition;

  constructor(scope: Construct, id: string, props: KfqFunctionProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    const runtime = RUNTIMES[props.runtime ?? 'nodejs24.x'];
    const tracing = props.tracing ?? true;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Logs are operational, not the record: the audit trail lives in its own retained table.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of AWSLambdaBasicExecutionRole: logs may go to this log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${definition.id}: grants come from infra/resources.ts`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}${definition.entry}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: definition.description,
      runtime: runtime.runtime,
      architecture: props.architecture === 'x86_64' ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      // Without X-Ray no tracing property at all: Lambda's default, and no X-Ray grant on the role.
      ...(tracing ? { tracing: Tracing.ACTIVE } : {}),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: runtime.esbuildTarget,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // The SDK is bundled and tree-shaken: the function runs the version we tested, not the runtime's.
        bundleAwsSDK: true,
        externalModules: [],
        banner: ESM_REQUIRE_BANNER,
        esbuildArgs: {
          '--alias': Object.entries(ESBUILD_ALIAS).map(([from, to]) => `${from}=${REPO_ROOT}${to}`),
        },
        logLevel: LogLevel.WARNING,
      },
    });

    if (props.runtime === 'nodejs22.x') {
      acknowledge(
        this.function,
        'AwsSolutions-L1',
        'nodejs22.x is the documented fallback (context kfq:runtime) for a region where Lambda does not yet offer nodejs24.x; the code and its bundle target run on both, and nodejs24.x is the default.',
      );
    }
    if (tracing) {
      acknowledge(
        this.role,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions: active tracing needs Resource "*". Every data grant names its table, index or queue.',
      );
    }
  }
}
