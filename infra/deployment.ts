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

/** The console's own domain and the certificate CloudFront serves it with. */
export interface ConsoleDomain {
  readonly name: string;
  /** ACM in us-east-1 in the global partition; an IAM server certificate in China (no ACM for CloudFront there). */
  readonly certificate:
    | { readonly kind: 'acm'; readonly arn: string }
    | { readonly kind: 'iam'; readonly id: string };
}

/**
 * The web console on S3 behind CloudFront, or none. Built where it can be: in the global partition by
 * default; in China only with an ICP-filed domain and an IAM certificate (CloudFront there serves no
 * default name); with an external OIDC provider only when its client id for the console is known.
 */
export type ConsoleSettings =
  | {
      readonly kind: 'none';
      /** Why there is none, for the synth-time warning (undefined when `kfq:console=none` said so). */
      readonly reason?: string;
    }
  | {
      readonly kind: 'cloudfront';
      /** Undefined: CloudFront's default `*.cloudfront.net` name (global partition only). */
      readonly domain?: ConsoleDomain;
      /** The console's client id at the external OIDC provider (identity `oidc` only). */
      readonly clientId?: string;
      /** Prefix of the Cognito hosted sign-in domain (identity `cognito` only); default `kfq-<account id>`. */
      readonly cognitoDomainPrefix?: string;
      /** More origins the API allows (CORS) and, with Cognito, sign-in may return to (`https://…`). */
      readonly extraOrigins: readonly string[];
      /** More origins the console may call besides the API and the issuer (an OIDC token endpoint elsewhere). */
      readonly connectOrigins: readonly string[];
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
  readonly console: ConsoleSettings;
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
  console: 'kfq:console',
  consoleDomain: 'kfq:consoleDomain',
  consoleCertificateArn: 'kfq:consoleCertificateArn',
  consoleIamCertificateId: 'kfq:consoleIamCertificateId',
  consoleClientId: 'kfq:consoleClientId',
  consoleOrigins: 'kfq:consoleOrigins',
  consoleConnectOrigins: 'kfq:consoleConnectOrigins',
  cognitoDomainPrefix: 'kfq:cognitoDomainPrefix',
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

  const consoleSettings = consoleSettingsFrom(read, partition, identity);
  if (consoleSettings.kind === 'cloudfront' && identity.kind === 'oidc' && consoleSettings.clientId) {
    // The console calls the API with its ID token, whose audience is the console's client.
    const audience = identity.audience ?? [];
    if (!audience.includes(consoleSettings.clientId)) {
      identity = { ...identity, audience: [...audience, consoleSettings.clientId] };
    }
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
    console: consoleSettings,
  };
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** An origin as a browser sends it: https://host[:port], or http on loopback for a developer's console. */
const ORIGIN = /^(https:\/\/[a-z0-9.-]+(:\d{1,5})?|http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?)$/;
const HTTPS_ORIGIN = /^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/;
/** An ACM certificate in us-east-1, the only region CloudFront takes ACM certificates from. */
const CLOUDFRONT_ACM_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/;
/** IAM server certificate ids start with ASCA. */
const IAM_CERTIFICATE_ID = /^ASCA[A-Z0-9]{10,40}$/;
/** Cognito domain prefixes: lowercase letters, digits, hyphens; no aws, amazon or cognito in them. */
const COGNITO_DOMAIN_PREFIX = /^(?!.*(aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function matching(read: ContextReader, key: string, pattern: RegExp, what: string): string | undefined {
  const value = read(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && pattern.test(value)) return value;
  return fail(key, `${JSON.stringify(value)} is not ${what}`);
}

function originList(read: ContextReader, key: string, pattern: RegExp, what: string): string[] {
  const origins = stringList(read, key) ?? [];
  for (const origin of origins) {
    if (!pattern.test(origin)) fail(key, `${JSON.stringify(origin)} is not ${what}`);
  }
  return origins;
}

/**
 * The console's hosting. Default: built where everything it needs is known, otherwise none with the
 * reason (the app turns it into a synth-time warning). Asked for (`kfq:console=cloudfront`, or any
 * console key given) and impossible: synth fails naming the missing key.
 */
function consoleSettingsFrom(
  read: ContextReader,
  partition: Partition,
  identity: IdentitySettings,
): ConsoleSettings {
  if (oneOf(read, CONTEXT_KEYS.console, ['cloudfront', 'none'], 'cloudfront') === 'none') {
    return { kind: 'none' };
  }
  const china = partition === 'aws-cn';

  const domainName = matching(read, CONTEXT_KEYS.consoleDomain, HOST_NAME, 'a domain name');
  const acmArn = matching(
    read,
    CONTEXT_KEYS.consoleCertificateArn,
    CLOUDFRONT_ACM_ARN,
    'the ARN of an ACM certificate in us-east-1',
  );
  const iamId = matching(
    read,
    CONTEXT_KEYS.consoleIamCertificateId,
    IAM_CERTIFICATE_ID,
    'an IAM server certificate id (ASCA…)',
  );
  const clientId = matching(read, CONTEXT_KEYS.consoleClientId, /^[\w.:@/-]{1,255}$/, 'a client id');
  const prefix = matching(
    read,
    CONTEXT_KEYS.cognitoDomainPrefix,
    COGNITO_DOMAIN_PREFIX,
    'a Cognito domain prefix (a-z, 0-9, hyphens; no aws, amazon or cognito)',
  );
  const extraOrigins = originList(
    read,
    CONTEXT_KEYS.consoleOrigins,
    ORIGIN,
    'an origin (https://host[:port])',
  );
  const connectOrigins = originList(
    read,
    CONTEXT_KEYS.consoleConnectOrigins,
    HTTPS_ORIGIN,
    'an https origin (https://host[:port])',
  );
  const asked =
    read(CONTEXT_KEYS.console) !== undefined ||
    [domainName, acmArn, iamId, clientId].some((value) => value !== undefined);

  // What cannot be used in this partition or with this identity fails whether asked or not.
  if (china && acmArn !== undefined) {
    fail(
      CONTEXT_KEYS.consoleCertificateArn,
      'CloudFront in China takes no ACM certificate: use kfq:consoleIamCertificateId',
    );
  }
  if (!china && iamId !== undefined) {
    fail(
      CONTEXT_KEYS.consoleIamCertificateId,
      'only in aws-cn; in the global partition give kfq:consoleCertificateArn',
    );
  }
  if (identity.kind === 'cognito' && clientId !== undefined) {
    fail(
      CONTEXT_KEYS.consoleClientId,
      `only with ${CONTEXT_KEYS.identity}=oidc (with Cognito the stack builds the client)`,
    );
  }
  if (identity.kind === 'oidc' && prefix !== undefined) {
    fail(CONTEXT_KEYS.cognitoDomainPrefix, `only with ${CONTEXT_KEYS.identity}=cognito`);
  }
  if (domainName === undefined && (acmArn ?? iamId) !== undefined) {
    fail(CONTEXT_KEYS.consoleDomain, 'a certificate needs the domain it is for');
  }

  // What is missing: skipped with a reason by default, a failure when asked for.
  const missing: [string, string][] = [];
  if (china && domainName === undefined) {
    missing.push([
      CONTEXT_KEYS.consoleDomain,
      'CloudFront in the China regions serves only an ICP-filed domain of your own, never its default name',
    ]);
  }
  if (china && iamId === undefined) {
    missing.push([
      CONTEXT_KEYS.consoleIamCertificateId,
      `the IAM server certificate (no ACM for CloudFront in China) for ${domainName ?? 'that domain'}`,
    ]);
  }
  if (domainName !== undefined && !china && acmArn === undefined) {
    missing.push([CONTEXT_KEYS.consoleCertificateArn, `the ACM certificate (us-east-1) for ${domainName}`]);
  }
  if (identity.kind === 'oidc' && clientId === undefined) {
    missing.push([CONTEXT_KEYS.consoleClientId, "the console's client id at the OIDC provider"]);
  }
  const [first] = missing;
  if (first !== undefined) {
    if (asked) fail(first[0], `needed for the console: ${first[1]}`);
    return {
      kind: 'none',
      reason: `No console hosting: ${missing.map(([key, why]) => `${key} (${why})`).join('; ')}. Set them to build it, or ${CONTEXT_KEYS.console}=none to silence this.`,
    };
  }

  let domain: ConsoleDomain | undefined;
  if (domainName !== undefined) {
    domain = {
      name: domainName,
      certificate: iamId !== undefined ? { kind: 'iam', id: iamId } : { kind: 'acm', arn: acmArn as string },
    };
  }
  return {
    kind: 'cloudfront',
    ...(domain === undefined ? {} : { domain }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(prefix === undefined ? {} : { cognitoDomainPrefix: prefix }),
    extraOrigins,
    connectOrigins,
  };
}

/** What the global default has always been: the settings when no context key is given. */
export const GLOBAL_DEFAULTS: DeploymentSettings = deploymentSettingsFrom(() => undefined);
