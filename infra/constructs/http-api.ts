import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  type HttpApi as HttpApiType,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IdentitySettings } from '#infra/deployment.ts';
import type { RouteDefinition } from '#infra/resources.ts';
import { acknowledge } from './nag.ts';

export interface KfqHttpApiProps {
  readonly routes: readonly RouteDefinition[];
  readonly functions: ReadonlyMap<string, IFunction>;
  /** Sector codes: one Cognito group `sector-<code>` each. */
  readonly sectorCodes: readonly string[];
  /** Stage default throttling (steady requests per second and burst). */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Who signs the tokens: the Cognito user pool built here (default), or an external OIDC provider. */
  readonly identity?: IdentitySettings;
}

/** The stack parameters that name the external OIDC provider (only with `identity.kind = 'oidc'`). */
export const OIDC_ISSUER_PARAMETER = 'OidcIssuer';
export const OIDC_AUDIENCE_PARAMETER = 'OidcAudience';

/** Cognito groups are the roles the handlers read from the `cognito:groups` claim. */
export function roleGroupNames(sectorCodes: readonly string[]): string[] {
  return [...sectorCodes.map((code) => `sector-${code}`), 'finance', 'auditor', 'admin'];
}

const GROUP_DESCRIPTIONS: Readonly<Record<string, string>> = {
  admin: 'Zone administrators: users, policy versions, sector configuration',
  finance: 'Finance: reviews and approves rewards (never its own submission)',
  auditor: 'Auditors: read-only, verify the audit trail',
};

/** HTTP API stage access log: one JSON object per request (no bodies, no personal data). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    httpMethod: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integration.latency',
    integrationStatus: '$context.integration.status',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    userId: '$context.authorizer.claims.sub',
    sourceIp: '$context.identity.sourceIp',
  }),
);

/** The Cognito user pool (the global default): its groups are the roles, its app client the audience. */
function cognitoAuthorizer(scope: Construct, sectorCodes: readonly string[]) {
  const userPool = new UserPool(scope, 'UserPool', {
    selfSignUpEnabled: false,
    signInAliases: { email: true, username: true },
    signInCaseSensitive: false,
    autoVerify: { email: true },
    mfa: Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    passwordPolicy: {
      minLength: 14,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    featurePlan: FeaturePlan.ESSENTIALS,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledge(
    userPool,
    'AwsSolutions-COG8',
    'The pool holds a closed set of zone staff created by admins (self sign-up off) with TOTP MFA required for everyone; the Plus tier (threat protection, per-MAU cost) is a documented opt-in in docs/deploy.md.',
  );

  // Precedence (lower wins, used only for a token's preferred IAM role): admin, finance, auditor, sectors.
  const precedence = ['admin', 'finance', 'auditor'];
  roleGroupNames(sectorCodes).forEach((groupName, index) => {
    new UserPoolGroup(scope, `Group-${groupName}`, {
      userPool,
      groupName,
      description: GROUP_DESCRIPTIONS[groupName] ?? `Sector team ${groupName.slice('sector-'.length)}`,
      precedence: precedence.includes(groupName) ? precedence.indexOf(groupName) : 10 + index,
    });
  });

  // A public client (no secret) for the CLI and a future web app: SRP for apps, and the admin flow
  // (needs AWS credentials on the pool) for operators; no plain USER_PASSWORD_AUTH from the internet.
  const userPoolClient = userPool.addClient('ApiClient', {
    generateSecret: false,
    authFlows: { userSrp: true, adminUserPassword: true },
    preventUserExistenceErrors: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(1),
    enableTokenRevocation: true,
  });

  const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', userPool, {
    userPoolClients: [userPoolClient],
    identitySource: ['$request.header.Authorization'],
  });

  return { authorizer, userPool, userPoolClient };
}

/**
 * An external OIDC provider (the zone's government sign-on, Keycloak run in the region): issuer and
 * audience are stack parameters, so one template serves any zone; their defaults come from context.
 * API Gateway reads the provider's `/.well-known/openid-configuration` and keys from the issuer URL.
 */
function oidcAuthorizer(scope: Construct, identity: Extract<IdentitySettings, { kind: 'oidc' }>) {
  const stack = Stack.of(scope);
  const issuer = new CfnParameter(stack, OIDC_ISSUER_PARAMETER, {
    type: 'String',
    description:
      'https:// issuer URL of the OIDC provider whose tokens the API accepts (its discovery document must be reachable by API Gateway)',
    allowedPattern: '^https://\\S+$',
    constraintDescription: 'an https:// URL',
    ...(identity.issuer === undefined ? {} : { default: identity.issuer }),
  });
  const audience = new CfnParameter(stack, OIDC_AUDIENCE_PARAMETER, {
    type: 'CommaDelimitedList',
    description:
      'Client id(s) of the console and tools at the OIDC provider: a token must carry one as aud (or client_id)',
    ...(identity.audience === undefined ? {} : { default: identity.audience.join(',') }),
  });
  const authorizer = new HttpJwtAuthorizer('OidcJwt', issuer.valueAsString, {
    jwtAudience: audience.valueAsList,
    identitySource: ['$request.header.Authorization'],
  });
  return { authorizer, issuer: issuer.valueAsString };
}

/**
 * The HTTP API (API Gateway v2) with its identity provider and a JWT authorizer on every route the
 * definition does not declare public. The provider is a Cognito user pool built here (admins create users,
 * MFA required, groups = roles), or, where there is no Cognito user pool (the China regions) or the zone
 * has its own sign-on, any OIDC provider named by the `OidcIssuer` and `OidcAudience` stack parameters.
 * API Gateway validates issuer, audience, expiry and signature; the handlers check roles and scope from
 * the claims exactly as in the local cloud.
 */
export class KfqHttpApi extends Construct {
  readonly api: HttpApiType;
  readonly stage: HttpStage;
  /** The Cognito user pool and its app client; undefined with an external OIDC provider. */
  readonly userPool: UserPool | undefined;
  readonly userPoolClient: UserPoolClient | undefined;
  /** The issuer the JWT authorizer trusts (a token for the pool's, a parameter's value for OIDC). */
  readonly issuer: string;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: KfqHttpApiProps) {
    super(scope, id);

    let authorizer: IHttpRouteAuthorizer;
    if (props.identity?.kind === 'oidc') {
      ({ authorizer, issuer: this.issuer } = oidcAuthorizer(this, props.identity));
      this.userPool = undefined;
      this.userPoolClient = undefined;
    } else {
      const cognito = cognitoAuthorizer(this, props.sectorCodes);
      authorizer = cognito.authorizer;
      this.userPool = cognito.userPool;
      this.userPoolClient = cognito.userPoolClient;
      this.issuer = cognito.userPool.userPoolProviderUrl;
    }

    this.api = new HttpApi(this, 'HttpApi', {
      description: 'kfq-incentives: leads, decisions, fund, rewards, audit',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const throttle = props.throttle ?? { rateLimit: 50, burstLimit: 100 };
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    for (const route of props.routes) {
      const fn = props.functions.get(route.functionId);
      if (fn === undefined) {
        throw new Error(`Route ${route.method} ${route.path} names unknown function ${route.functionId}`);
      }
      const isPublic = route.access === 'public';
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.method}${route.path}Integration`, fn),
        authorizer: isPublic ? new HttpNoneAuthorizer() : authorizer,
      });
      if (isPublic && created !== undefined) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          `${route.method} ${route.path} is declared access: 'public' in infra/resources.ts (no token by design); public routes return no protected data.`,
        );
      }
    }
  }

  /** The invoke URL of the default stage. */
  get url(): string {
    return this.stage.url;
  }
}
