import type { Role } from '#shared/auth/principal.ts';
import { COGNITO_ROLES_CLAIM, parseGroupRoles, RolesClaimSchema } from '#shared/auth/role-claims.ts';

/**
 * Where the stacks go and what they may use there, from CDK context (`cdk synth -c key=value`, or
 * `cdk.json`). One app, two partitions: the global default synthesizes what it always did; the AWS China
 * partition (`-c partition=aws-cn -c region=cn-north-1`) only what exists there. Every choice that may not
 * hold in a region is a switch with a documented fallback (docs/deploy.md, "Context keys").
 */

export type Partition = 'aws' | 'aws-cn';
export type LambdaArchitecture = 'arm64' | 'x86_64';
export type LambdaRuntime = 'nodejs24.x' | 'nodejs22.x';
export type ScheduleService = 'eventbridge-rules' | 'eventbridge-scheduler';

export type IdentitySettings =
  | { readonly kind: 'cognito'; readonly rolesClaim: string; readonly groupRoles?: ReadonlyMap<string, Role> }
  | {
      readonly kind: 'oidc';
      /** Default of the `OidcIssuer` stack parameter; without it, deploy must pass the parameter. */
      readonly issuer?: string;
      /** Default of the `OidcAudience` stack parameter (one or more client ids). */
      readonly audience?: readonly string[];
      readonly rolesClaim: string;
      readonly groupRoles?: ReadonlyMap<string, Role>;
    };

export interface DeploymentSettings {
  readonly partition: Partition;
  /** Pins the stacks to a region; undefined keeps them environment-agnostic (the global default). */
  readonly region?: string;
  readonly architecture: LambdaArchitecture;
  readonly runtime: LambdaRuntime;
  /** Lambda active X-Ray tracing (none in the China regions). */
  readonly tracing: boolean;
  readonly schedules: ScheduleService;
  readonly identity: IdentitySettings;
}

/** The context keys, in one place (documented in docs/deploy.md). */
export const CONTEXT_KEYS = {
  partition: 'partition',
  region: 'region',
  architecture: 'kfq:architecture',
  runtime: 'kfq:runtime',
  tracing: 'kfq:tracing',
  schedules: 'kfq:schedules',
  identity: 'kfq:identity',
  oidcIssuer: 'kfq:oidcIssuer',
  oidcAudience: 'kfq:oidcAudience',
  rolesClaim: 'kfq:rolesClaim',
  groupRoles: 'kfq:groupRoles',
} as const;

/** The regions of the AWS China partition (Beijing, Ningxia). */
export const CHINA_REGIONS: readonly string[] = ['cn-north-1', 'cn-northwest-1'];
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The default OIDC claim for groups when no Cognito pool is used (Keycloak's group mapper, Entra ID, many SSOs). */
export const OIDC_DEFAULT_ROLES_CLAIM = 'groups';

type ContextReader = (key: string) => unknown;

function fail(key: string, message: string): never {
  throw new Error(`Context ${key}: ${message}`);
}

function oneOf<T extends string>(read: ContextReader, key: string, allowed: readonly T[], fallback: T): T {
  const value = read(key);
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(key, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

/** `-c` gives strings; cdk.json may give arrays and objects. */
function stringList(read: ContextReader, key: string): string[] | undefined {
  const value = read(key);
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || !items.every((item) => typeof item === 'string')) {
    return fail(key, 'expected a string, a comma-separated list or an array of strings');
  }
  const trimmed = (items as string[]).map((item) => item.trim()).filter((item) => item.length > 0);
  if (trimmed.length === 0) return fail(key, 'expected at least one value');
  return trimmed;
}

function partitionOfRegion(region: string): Partition | undefined {
  if (CHINA_REGIONS.includes(region)) return 'aws-cn';
  if (region.startsWith('cn-') || region.startsWith('us-gov-') || region.startsWith('us-iso'))
    return undefined;
  return 'aws';
}

/**
 * Reads and checks the deployment settings. Throws, naming the context key, on anything it cannot use:
 * a bad value, a region outside the partition, Cognito or X-Ray asked for in China.
 */
export function deploymentSettingsFrom(read: ContextReader): DeploymentSettings {
  const rawRegion = read(CONTEXT_KEYS.region);
  if (rawRegion !== undefined && (typeof rawRegion !== 'string' || !REGION_PATTERN.test(rawRegion))) {
    fail(CONTEXT_KEYS.region, `${JSON.stringify(rawRegion)} is not a region name`);
  }
  const region = rawRegion as string | undefined;
  const regionPartition = region === undefined ? undefined : partitionOfRegion(region);
  if (region !== undefined && regionPartition === undefined) {
    fail(CONTEXT_KEYS.region, `${region} is in neither the aws nor the aws-cn partition`);
  }
  const partition = oneOf<Partition>(
    read,
    CONTEXT_KEYS.partition,
    ['aws', 'aws-cn'],
    regionPartition ?? 'aws',
  );
  if (regionPartition !== undefined && regionPartition !== partition) {
    fail(CONTEXT_KEYS.region, `${region} is not a region of the ${partition} partition`);
  }
  const china = partition === 'aws-cn';

  const tracingChoice = oneOf(read, CONTEXT_KEYS.tracing, ['active', 'off'], china ? 'off' : 'active');
  if (china && tracingChoice === 'active') {
    fail(CONTEXT_KEYS.tracing, 'Lambda has no X-Ray integration in the China regions: use off');
  }

  const identityKind = oneOf(read, CONTEXT_KEYS.identity, ['cognito', 'oidc'], china ? 'oidc' : 'cognito');
  if (china && identityKind === 'cognito') {
    fail(CONTEXT_KEYS.identity, 'the China regions have no Cognito user pools: use oidc with your provider');
  }
  const rawClaim = read(CONTEXT_KEYS.rolesClaim);
  const claim =
    rawClaim === undefined
      ? identityKind === 'cognito'
        ? COGNITO_ROLES_CLAIM
        : OIDC_DEFAULT_ROLES_CLAIM
      : RolesClaimSchema.safeParse(rawClaim);
  const rolesClaim =
    typeof claim === 'string'
      ? claim
      : claim.success
        ? claim.data
        : fail(CONTEXT_KEYS.rolesClaim, claim.error.issues.map((issue) => issue.message).join('; '));
  const rawGroupRoles = read(CONTEXT_KEYS.groupRoles);
  let groupRoles: ReadonlyMap<string, Role> | undefined;
  if (rawGroupRoles !== undefined) {
    if (typeof rawGroupRoles !== 'string' && (typeof rawGroupRoles !== 'object' || rawGroupRoles === null)) {
      fail(CONTEXT_KEYS.groupRoles, 'expected a JSON object {"<group>": "<role>"}');
    }
    try {
      groupRoles = parseGroupRoles(rawGroupRoles as string | Record<string, unknown>);
    } catch (error) {
      fail(CONTEXT_KEYS.groupRoles, (error as Error).message);
    }
  }
  const claims = { rolesClaim, ...(groupRoles === undefined ? {} : { groupRoles }) };

  let identity: IdentitySettings;
  if (identityKind === 'cognito') {
    for (const key of [CONTEXT_KEYS.oidcIssuer, CONTEXT_KEYS.oidcAudience]) {
      if (read(key) !== undefined) fail(key, `only with ${CONTEXT_KEYS.identity}=oidc`);
    }
    identity = { kind: 'cognito', ...claims };
  } else {
    const issuer = read(CONTEXT_KEYS.oidcIssuer);
    if (issuer !== undefined && (typeof issuer !== 'string' || !/^https:\/\/\S+$/.test(issuer))) {
      fail(CONTEXT_KEYS.oidcIssuer, 'expected the https:// issuer URL of the OIDC provider');
    }
    const audience = stringList(read, CONTEXT_KEYS.oidcAudience);
    identity = {
      kind: 'oidc',
      ...(issuer === undefined ? {} : { issuer: issuer as string }),
      ...(audience === undefined ? {} : { audience }),
      ...claims,
    };
  }

  return {
    partition,
    ...(region === undefined ? {} : { region }),
    architecture: oneOf<LambdaArchitecture>(read, CONTEXT_KEYS.architecture, ['arm64', 'x86_64'], 'arm64'),
    runtime: oneOf<LambdaRuntime>(read, CONTEXT_KEYS.runtime, ['nodejs24.x', 'nodejs22.x'], 'nodejs24.x'),
    tracing: tracingChoice === 'active',
    schedules: oneOf<ScheduleService>(
      read,
      CONTEXT_KEYS.schedules,
      ['eventbridge-rules', 'eventbridge-scheduler'],
      'eventbridge-rules',
    ),
    identity,
  };
}

/** What the global default has always been: the settings when no context key is given. */
export const GLOBAL_DEFAULTS: DeploymentSettings = deploymentSettingsFrom(() => undefined);
