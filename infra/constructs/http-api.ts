import { Aws, CfnParameter, CfnRule, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
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
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
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
  /** The web console: its origins (CORS), and its sign-in (a Cognito client and domain, or the OIDC client). */
  readonly console?: ConsoleSignIn;
}

/** What the API needs to know about the web console. */
export interface ConsoleSignIn {
  /** `https://<host>` origins the console is served from; the first is where sign-in returns to. */
  readonly origins: readonly string[];
  /** Cognito: prefix of the hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  readonly cognitoDomainPrefix?: string;
  /** OIDC: the console's client id at the provider, which must be among the trusted audiences. */
  readonly oidcClientId?: string;
}

/** The scopes the console asks for; its ID token (audience: the console's client) is its bearer token. */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;
/** Where sign-in returns and sign-out lands, under each console origin. */
export const CONSOLE_CALLBACK_PATH = '/console/callback';
export const CONSOLE_SIGNED_OUT_PATH = '/console/';

/** Request headers the console sends cross-origin (shared/middleware reads the last two). */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'Accept-Language'];

/** Default Cognito domain prefix: unique per account in a region (prefixes are global per region). */
export const defaultCognitoDomainPrefix = (): string => `kfq-${Aws.ACCOUNT_ID}`;

/** The origins Cognito sign-in uses: the issuer (discovery, keys) and the hosted domain (pages, token). */
export function cognitoSignInOrigins(domainPrefix: string): { issuer: string; pages: string } {
  return {
    issuer: `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`,
    pages: `https://${domainPrefix}.auth.${Aws.REGION}.amazoncognito.com`,
  };
}

/** `https://host/realms/x` → `https://host`, at deploy time (the issuer is a stack parameter). */
export function originOfUrl(url: string): string {
  return Fn.join('', ['https://', Fn.select(2, Fn.split('/', url))]);
}

/** The stack parameters that name the external OIDC provider (only with `identity.kind = 'oidc'`). */
export const OIDC_ISSUER_PARAMETER = 'OidcIssuer';
export const OIDC_AUDIENCE_PARAMETER = 'OidcAudience';

/** Cognito groups are the roles the handlers read from the `cognito:groups` claim. */
export function roleGroupNames(sectorCodes: readonly string[]): string[] {
  return [...sectorCodes.map((code) => `sector-${code}`), 'finance', 'finance-head', 'auditor', 'admin'];
}

const GROUP_DESCRIPTIONS: Readonly<Record<string, string>> = {
  admin: 'Zone administrators: users, policy versions, sector configuration',
  finance: 'Finance: reviews and approves rewards (never its own submission)',
  auditor: 'Auditors: read-only, verify the audit trail',
  'finance-head': 'Finance head: the second sign-off of rewards above the first approval tier',
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

/** The Cognito user pool (the global default): its groups are the roles, its app clients the audience. */
function cognitoAuthorizer(scope: Construct, sectorCodes: readonly string[], consoleSignIn?: ConsoleSignIn) {
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

  // A public client (no secret) for the CLI and scripts: SRP for apps, and the admin flow
  // (needs AWS credentials on the pool) for operators; no plain USER_PASSWORD_AUTH from the internet.
  const userPoolClient = userPool.addClient('ApiClient', {
    generateSecret: false,
    authFlows: { userSrp: true, adminUserPassword: true },
    // No OAuth on this client: left on, CDK's defaults would let the hosted sign-in (the console's
    // domain) run the implicit flow for it towards https://example.com.
    disableOAuth: true,
    preventUserExistenceErrors: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(1),
    enableTokenRevocation: true,
  });

  // The web console: a public client (no secret) for the authorization code flow with PKCE only, on the
  // hosted sign-in (managed login, which speaks Chinese: ?lang=zh-CN). Managed login signs in with SRP, so
  // the client allows it (the password never leaves the page), plus refresh tokens; nothing implicit.
  let consoleClient: UserPoolClient | undefined;
  let signInDomain: UserPoolDomain | undefined;
  if (consoleSignIn !== undefined) {
    consoleClient = userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: consoleSignIn.origins.map((origin) => `${origin}${CONSOLE_CALLBACK_PATH}`),
        logoutUrls: consoleSignIn.origins.map((origin) => `${origin}${CONSOLE_SIGNED_OUT_PATH}`),
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
    signInDomain = userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: consoleSignIn.cognitoDomainPrefix ?? defaultCognitoDomainPrefix() },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows a client's pages only once it has a style: Cognito's own look.
    new CfnManagedLoginBranding(scope, 'ConsoleSignInStyle', {
      userPoolId: userPool.userPoolId,
      clientId: consoleClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', userPool, {
    userPoolClients: consoleClient === undefined ? [userPoolClient] : [userPoolClient, consoleClient],
    identitySource: ['$request.header.Authorization'],
  });

  return { authorizer, userPool, userPoolClient, consoleClient, signInDomain };
}

/**
 * An external OIDC provider (the zone's government sign-on, Keycloak run in the region): issuer and
 * audience are stack parameters, so one template serves any zone; their defaults come from context.
 * API Gateway reads the provider's `/.well-known/openid-configuration` and keys from the issuer URL.
 */
function oidcAuthorizer(
  scope: Construct,
  identity: Extract<IdentitySettings, { kind: 'oidc' }>,
  consoleSignIn?: ConsoleSignIn,
) {
  const { issuer, audience } = oidcProviderParameters(scope, identity);
  const authorizer = new HttpJwtAuthorizer('OidcJwt', issuer.valueAsString, {
    jwtAudience: audience.valueAsList,
    identitySource: ['$request.header.Authorization'],
  });
  const consoleClientId = consoleSignIn?.oidcClientId;
  if (consoleClientId !== undefined) {
    // The console's ID token carries its client as audience: a deploy that drops it from the audience
    // would leave a console that signs in and is refused by the API. CloudFormation checks before deploying.
    new CfnRule(Stack.of(scope), 'ConsoleClientIsAnAudience', {
      assertions: [
        {
          assert: Fn.conditionContains(audience.valueAsList, consoleClientId),
          assertDescription: `${OIDC_AUDIENCE_PARAMETER} must include the console's client id ${consoleClientId} (context kfq:consoleClientId)`,
        },
      ],
    });
  }
  return { authorizer, issuer: issuer.valueAsString };
}

/**
 * The stack parameters naming the OIDC provider, made once per stack: the console's hosting reads the
 * issuer too (its CSP and config.json), before the API is built.
 */
export function oidcProviderParameters(
  scope: Construct,
  identity: Extract<IdentitySettings, { kind: 'oidc' }>,
): { issuer: CfnParameter; audience: CfnParameter } {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(OIDC_ISSUER_PARAMETER);
  if (existing instanceof CfnParameter) {
    return { issuer: existing, audience: stack.node.findChild(OIDC_AUDIENCE_PARAMETER) as CfnParameter };
  }
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
  return { issuer, audience };
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
  /** The console's Cognito client and hosted sign-in domain (Cognito with a console only). */
  readonly consoleClient: UserPoolClient | undefined;
  readonly signInDomain: UserPoolDomain | undefined;
  /** The issuer the JWT authorizer trusts (a token for the pool's, a parameter's value for OIDC). */
  readonly issuer: string;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: KfqHttpApiProps) {
    super(scope, id);

    let authorizer: IHttpRouteAuthorizer;
    if (props.identity?.kind === 'oidc') {
      ({ authorizer, issuer: this.issuer } = oidcAuthorizer(this, props.identity, props.console));
      this.userPool = undefined;
      this.userPoolClient = undefined;
      this.consoleClient = undefined;
      this.signInDomain = undefined;
    } else {
      const cognito = cognitoAuthorizer(this, props.sectorCodes, props.console);
      authorizer = cognito.authorizer;
      this.userPool = cognito.userPool;
      this.userPoolClient = cognito.userPoolClient;
      this.consoleClient = cognito.consoleClient;
      this.signInDomain = cognito.signInDomain;
      this.issuer = cognito.userPool.userPoolProviderUrl;
    }

    // The console calls from its own origin: API Gateway answers the preflight (before any authorizer)
    // and adds the CORS headers to every response, 401s from the authorizer included.
    const methods = [...new Set(props.routes.map((route) => HttpMethod[route.method]))];
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'kfq-incentives: leads, decisions, fund, rewards, audit',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      ...(props.console === undefined
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...props.console.origins],
              allowMethods: methods.map((method) => CorsHttpMethod[method]),
              allowHeaders: CORS_ALLOWED_HEADERS,
              // What the console reads of an answer: where a new resource is, an export's file name, that an
              // upload was seen before, and the audit extract's verification and digest.
              exposeHeaders: [
                'Location',
                'Content-Disposition',
                'Idempotent-Replayed',
                'Audit-Verification',
                'Audit-Digest',
              ],
              allowCredentials: false,
              // Chromium keeps a preflight at most two hours.
              maxAge: Duration.hours(2),
            },
          }),
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
