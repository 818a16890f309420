import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_BASE,
  contentSecurityPolicy,
  ROOT_REDIRECT_HTML,
  VIEWER_REQUEST_CODE,
  withConnectPolicy,
} from '#infra/constructs/console-edge.ts';
import { snapshotConsoleBuild } from '#infra/constructs/console-hosting.ts';
import {
  CORS_ALLOWED_HEADERS,
  OIDC_AUDIENCE_PARAMETER,
  OIDC_ISSUER_PARAMETER,
} from '#infra/constructs/http-api.ts';
import { deploymentSettingsFrom } from '#infra/deployment.ts';
import { routes } from '#infra/resources.ts';
import {
  asArray,
  type CfnResourceJson,
  logicalIdOf,
  removeSynthesis,
  resourcesOfType,
  type Synthesized,
  synthesizeApp,
} from './synth.ts';

/**
 * The web console in the cloud (issue 14): S3 behind CloudFront, security headers, deep links, sign-in by
 * authorization code with PKCE, CORS on the API, config.json written at deploy time; in both partitions.
 * Two syntheses: the global default, and China with the console's domain, certificate and client.
 */
const CHINA_CONSOLE = {
  partition: 'aws-cn',
  region: 'cn-north-1',
  'kfq:consoleDomain': 'kfq.zone.example.gov.cn',
  'kfq:consoleIamCertificateId': 'ASCAEXAMPLEEXAMPLE1234',
  'kfq:consoleClientId': 'kfq-console',
  'kfq:oidcIssuer': 'https://sso.zone.example.gov.cn/realms/kfq',
};

let global: Synthesized;
let china: Synthesized;
beforeAll(() => {
  // Nothing here reads the function bundles (service-stack.test.ts does).
  global = synthesizeApp({ bundle: false });
  china = synthesizeApp({ bundle: false, context: CHINA_CONSOLE });
}, 240_000);
afterAll(() => {
  removeSynthesis(global);
  removeSynthesis(china);
});

type Json = Synthesized['serviceJson'];

const props = (resource: CfnResourceJson | undefined): Record<string, unknown> => resource?.Properties ?? {};

/** A template value as text: intrinsics become <Ref>, <Resource.Attribute>, <host:<Ref>>. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return `<${object.Ref as string}>`;
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(text).join(separator);
  }
  if ('Fn::Select' in object) {
    const [index, list] = object['Fn::Select'] as [number, { 'Fn::Split': [string, unknown] }];
    const [separator, source] = list['Fn::Split'];
    if (index === 2 && separator === '/') return `<host:${text(source)}>`;
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

const only = (template: Json, type: string): [string, CfnResourceJson] => {
  const found = resourcesOfType(template, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, CfnResourceJson];
};

const distributionConfig = (template: Json) =>
  props(only(template, 'AWS::CloudFront::Distribution')[1]).DistributionConfig as Record<string, unknown>;

const securityHeaders = (template: Json) =>
  (
    props(only(template, 'AWS::CloudFront::ResponseHeadersPolicy')[1]).ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    }
  ).SecurityHeadersConfig;

/** CSP directives by name: `connect-src` → ['self', …]. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name as string, sources];
    }),
  );
}

/** The files a BucketDeployment uploads (its staged source folders), with its deploy-time markers. */
function deployment(synth: Synthesized, id: string) {
  const [, resource] =
    resourcesOfType(synth.serviceJson, 'Custom::CDKBucketDeployment').find(([logicalId]) =>
      logicalId.startsWith(`Console${id}`),
    ) ?? [];
  if (resource === undefined) throw new Error(`no deployment ${id}`);
  const props = resource.Properties as {
    SourceObjectKeys: string[];
    SourceMarkers?: Record<string, unknown>[];
    DestinationBucketKeyPrefix?: string;
    Prune: boolean;
    SystemMetadata: Record<string, string>;
  };
  const read = (key: string): string => {
    for (const [index, objectKey] of props.SourceObjectKeys.entries()) {
      const dir = join(synth.outdir, `asset.${objectKey.replace(/\.zip$/, '')}`);
      try {
        let body = readFileSync(join(dir, key), 'utf8');
        for (const [marker, value] of Object.entries(props.SourceMarkers?.[index] ?? {})) {
          body = body.replaceAll(marker, text(value));
        }
        return body;
      } catch {}
    }
    throw new Error(`deployment ${id} uploads no ${key}`);
  };
  return { props, read };
}

describe('the console on S3 behind CloudFront (global partition)', () => {
  it('keeps the bucket private: all public access blocked, TLS only, encrypted, access-logged, read only by this distribution through origin access control', () => {
    const bucketId = logicalIdOf(global.stacks.service.console?.bucket as never);
    const bucket = global.serviceJson.Resources[bucketId]?.Properties ?? {};
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toBeDefined();
    expect((bucket.LoggingConfiguration as { DestinationBucketName: unknown }).DestinationBucketName).toEqual(
      {
        Ref: logicalIdOf(global.stacks.service.console?.logBucket as never),
      },
    );
    expect(bucket.WebsiteConfiguration).toBeUndefined();

    const [, policy] =
      resourcesOfType(global.serviceJson, 'AWS::S3::BucketPolicy').find(
        ([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: bucketId }),
      ) ?? [];
    const statements = asArray(
      (props(policy).PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(allows[0]?.Action).toBe('s3:GetObject');
    const [distributionId] = only(global.serviceJson, 'AWS::CloudFront::Distribution');
    expect(
      text(
        ((allows[0]?.Condition ?? {}) as { StringEquals: Record<string, unknown> }).StringEquals[
          'AWS:SourceArn'
        ],
      ),
    ).toBe(`arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distributionId}>`);

    const [originAccessControlId] = only(global.serviceJson, 'AWS::CloudFront::OriginAccessControl');
    const [origin] = distributionConfig(global.serviceJson).Origins as Record<string, unknown>[];
    expect(origin?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [originAccessControlId, 'Id'] });
    expect(origin?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(resourcesOfType(global.serviceJson, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual(
      [],
    );
  });

  it('serves HTTPS only (HTTP redirected), GET and HEAD, logs every request, and rewrites with the CloudFront Function shipped here', () => {
    const config = distributionConfig(global.serviceJson);
    const behavior = config.DefaultCacheBehavior as Record<string, unknown>;
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.Logging).toBeDefined();
    const [functionId, fn] = only(global.serviceJson, 'AWS::CloudFront::Function');
    expect(behavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
    ]);
    expect(fn.Properties?.FunctionCode).toBe(VIEWER_REQUEST_CODE);
    expect((props(fn).FunctionConfig as { Runtime: string }).Runtime).toBe('cloudfront-js-2.0');
    const [headersId] = only(global.serviceJson, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: headersId });
  });

  it('sends a strict Content-Security-Policy on every response', () => {
    const csp = securityHeaders(global.serviceJson).ContentSecurityPolicy as {
      ContentSecurityPolicy: unknown;
      Override: boolean;
    };
    expect(csp.Override).toBe(true);
    const policy = directives(text(csp.ContentSecurityPolicy));
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    const signInPages = 'https://kfq-<AWS::AccountId>.auth.<AWS::Region>.amazoncognito.com';
    expect(policy.get('connect-src')).toEqual([
      "'self'",
      'https://*.execute-api.<AWS::Region>.<AWS::URLSuffix>',
      'https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>',
      signInPages,
    ]);
    expect(policy.get('form-action')).toEqual(["'self'", signInPages]);
    // Nothing the console does not need: no eval, no inline script, no other origin for scripts.
    expect(text(csp.ContentSecurityPolicy)).not.toMatch(
      /unsafe-eval|script-src[^;]*unsafe-inline|\*(?!\.execute-api)/,
    );
  });

  it('sends HSTS for two years with subdomains and preload, nosniff, DENY framing and a same-origin referrer', () => {
    const headers = securityHeaders(global.serviceJson);
    expect(headers.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 2 * 365 * 24 * 3600,
      IncludeSubdomains: true,
      Preload: true,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
  });

  it('caches as the objects say: the hashed build immutable for a year, index.html and config.json revalidated, nothing pruned', () => {
    const assets = deployment(global, 'Assets');
    expect(assets.props.DestinationBucketKeyPrefix).toBe('console/');
    expect(assets.props.SystemMetadata['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(assets.props.Prune).toBe(false);
    expect(() => assets.read('index.html')).toThrow(/uploads no index.html/);
    const published = deployment(global, 'Published');
    expect(published.props.SystemMetadata['cache-control']).toBe('no-cache');
    expect(published.props.Prune).toBe(false);
    const [, policy] = only(global.serviceJson, 'AWS::CloudFront::CachePolicy');
    expect((props(policy).CachePolicyConfig as { MinTTL: number }).MinTTL).toBe(0);
  });

  it('writes config.json at deploy time: the API origin and Cognito sign-in with the console client', () => {
    const config = JSON.parse(deployment(global, 'Published').read('console/config.json'));
    const apiId = logicalIdOf(global.stacks.service.httpApi.api);
    const poolId = logicalIdOf(global.stacks.service.httpApi.userPool as never);
    const clientId = logicalIdOf(global.stacks.service.httpApi.consoleClient as never);
    expect(config).toEqual({
      apiBaseUrl: `<${apiId}.ApiEndpoint>`,
      auth: {
        mode: 'oidc',
        authority: `<${poolId}.ProviderURL>`,
        clientId: `<${clientId}>`,
        scope: 'openid email profile',
        endSessionEndpoint: expect.stringMatching(/amazoncognito\.com\/logout$/),
      },
    });
  });

  it("publishes index.html with a second policy, before any script, narrowing connect-src to the API's exact origin", () => {
    const html = deployment(global, 'Published').read('console/index.html');
    const apiId = logicalIdOf(global.stacks.service.httpApi.api);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)" \/>/.exec(html);
    expect(meta?.[1]).toBe(
      `connect-src 'self' <${apiId}.ApiEndpoint> https://cognito-idp.<AWS::Region>.<AWS::URLSuffix> https://kfq-<AWS::AccountId>.auth.<AWS::Region>.amazoncognito.com`,
    );
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(html).toContain(`src="${CONSOLE_BASE}assets/`);
  });

  it('signs in with a public Cognito client: authorization code (PKCE) only, openid email profile, back to /console/callback', () => {
    const clientId = logicalIdOf(global.stacks.service.httpApi.consoleClient as never);
    const client = global.serviceJson.Resources[clientId]?.Properties ?? {};
    const distribution = only(global.serviceJson, 'AWS::CloudFront::Distribution')[0];
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(asArray(client.CallbackURLs as unknown[]).map(text)).toEqual([
      `https://<${distribution}.DomainName>/console/callback`,
    ]);
    expect(asArray(client.LogoutURLs as unknown[]).map(text)).toEqual([
      `https://<${distribution}.DomainName>/console/`,
    ]);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');

    // The CLI's client takes no part in browser sign-in.
    const cliClient =
      global.serviceJson.Resources[logicalIdOf(global.stacks.service.httpApi.userPoolClient as never)];
    expect(cliClient?.Properties?.AllowedOAuthFlows).toBeUndefined();
    expect(cliClient?.Properties?.AllowedOAuthFlowsUserPoolClient).toBe(false);

    const [, domain] = only(global.serviceJson, 'AWS::Cognito::UserPoolDomain');
    expect(text(domain.Properties?.Domain)).toBe('kfq-<AWS::AccountId>');
    expect(domain.Properties?.ManagedLoginVersion).toBe(2);
    const [, style] = only(global.serviceJson, 'AWS::Cognito::ManagedLoginBranding');
    expect(style.Properties?.ClientId).toEqual({ Ref: clientId });

    const [, authorizer] = only(global.serviceJson, 'AWS::ApiGatewayV2::Authorizer');
    expect((props(authorizer).JwtConfiguration as { Audience: unknown[] }).Audience).toContainEqual({
      Ref: clientId,
    });
  });

  it("lets the console's origin call the API (CORS): the methods of the routes, its headers, Location exposed", () => {
    const [, api] = only(global.serviceJson, 'AWS::ApiGatewayV2::Api');
    const cors = props(api).CorsConfiguration as Record<string, unknown>;
    const distribution = only(global.serviceJson, 'AWS::CloudFront::Distribution')[0];
    expect(asArray(cors.AllowOrigins as unknown[]).map(text)).toEqual([
      `https://<${distribution}.DomainName>`,
    ]);
    expect(cors.AllowHeaders).toEqual(CORS_ALLOWED_HEADERS);
    expect(cors.AllowHeaders).toEqual([
      'Authorization',
      'Content-Type',
      'Idempotency-Key',
      'Accept-Language',
    ]);
    expect([...(cors.AllowMethods as string[])].sort()).toEqual(
      [...new Set(routes.map((r) => r.method))].sort(),
    );
    expect(cors.ExposeHeaders).toEqual([
      'Location',
      'Content-Disposition',
      'Idempotent-Replayed',
      'Audit-Verification',
      'Audit-Digest',
    ]);
    expect(cors.AllowCredentials).toBe(false);
    expect(cors.MaxAge).toBe(7200);
  });

  it('outputs the console URL, its client id and the sign-in URL', () => {
    expect(Object.keys(global.serviceJson.Outputs ?? {})).toEqual(
      expect.arrayContaining(['ConsoleUrl', 'ConsoleClientId', 'SignInUrl', 'ConsoleDistributionDomain']),
    );
  });
});

describe('the CloudFront Function, run in Node', () => {
  type Request = { uri: string; querystring?: Record<string, unknown> };
  const handler = new Function(`${VIEWER_REQUEST_CODE}; return handler;`)() as (event: {
    request: Request;
  }) => Request | { statusCode: number; headers: Record<string, { value: string }> };
  const run = (uri: string) => handler({ request: { uri, querystring: {} } });

  it('serves index.html for the routes of the app (deep links)', () => {
    for (const uri of [
      '/console/',
      '/console/leads',
      '/console/leads/new',
      '/console/leads/ld_0123456789abcdef01234567',
      '/console/funds/conversion-2019',
      '/console/callback',
      '/console/reviews/',
    ]) {
      expect(run(uri), uri).toEqual({ uri: '/console/index.html', querystring: {} });
    }
  });

  it('leaves files alone: the hashed assets, config.json, anything outside /console/', () => {
    for (const uri of [
      '/console/assets/index-B3lycYmv.js',
      '/console/config.json',
      '/console/index.html',
      '/favicon.ico',
    ]) {
      expect(run(uri), uri).toEqual({ uri, querystring: {} });
    }
  });

  it('redirects / and /console to /console/', () => {
    for (const uri of ['/', '/console']) {
      const response = run(uri) as { statusCode: number; headers: Record<string, { value: string }> };
      expect(response.statusCode, uri).toBe(302);
      expect(response.headers.location?.value, uri).toBe('/console/');
    }
  });
});

describe('the console in the China partition (cn-north-1, with an ICP-filed domain)', () => {
  it('reads the bucket through an origin access identity: China has no origin access control and no CloudFront Functions', () => {
    const types = Object.values(china.serviceJson.Resources).map((resource) => resource.Type);
    expect(types).not.toContain('AWS::CloudFront::OriginAccessControl');
    expect(types).not.toContain('AWS::CloudFront::Function');
    expect(types.filter((type) => type.startsWith('AWS::Cognito::'))).toEqual([]);
    const [oaiId] = only(china.serviceJson, 'AWS::CloudFront::CloudFrontOriginAccessIdentity');
    const [origin] = distributionConfig(china.serviceJson).Origins as Record<string, unknown>[];
    expect(
      text(((origin?.S3OriginConfig ?? {}) as { OriginAccessIdentity: unknown }).OriginAccessIdentity),
    ).toBe(`origin-access-identity/cloudfront/<${oaiId}>`);
    expect(origin?.OriginAccessControlId).toBeUndefined();
    const bucketId = logicalIdOf(china.stacks.service.console?.bucket as never);
    expect(china.serviceJson.Resources[bucketId]?.Properties?.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });

  it('serves only the ICP-filed domain, with the IAM server certificate and TLS 1.2 at least', () => {
    const config = distributionConfig(china.serviceJson);
    expect(config.Aliases).toEqual(['kfq.zone.example.gov.cn']);
    expect(config.ViewerCertificate).toEqual({
      IamCertificateId: 'ASCAEXAMPLEEXAMPLE1234',
      SslSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
  });

  it('serves deep links through error responses and / through a meta-refresh page', () => {
    const config = distributionConfig(china.serviceJson);
    expect(config.CustomErrorResponses).toEqual(
      [403, 404].map((code) => ({
        ErrorCode: code,
        ResponseCode: 200,
        ResponsePagePath: '/console/index.html',
        ErrorCachingMinTTL: 0,
      })),
    );
    expect(config.DefaultRootObject).toBe('index.html');
    expect(deployment(china, 'Published').read('index.html')).toBe(ROOT_REDIRECT_HTML);
    expect(ROOT_REDIRECT_HTML).toContain('<meta http-equiv="refresh" content="0; url=/console/" />');
  });

  it('signs in at the OIDC provider the deployment names, with the client id from context, which the API must accept', () => {
    const config = JSON.parse(deployment(china, 'Published').read('console/config.json'));
    expect(config.auth).toEqual({
      mode: 'oidc',
      authority: `<${OIDC_ISSUER_PARAMETER}>`,
      clientId: 'kfq-console',
      scope: 'openid email profile',
    });
    const parameters = (china.serviceJson as { Parameters?: Record<string, Record<string, unknown>> })
      .Parameters;
    expect(parameters?.[OIDC_AUDIENCE_PARAMETER]?.Default).toBe('kfq-console');
    const rules = (china.serviceJson as { Rules?: Record<string, { Assertions: Record<string, unknown>[] }> })
      .Rules;
    expect(rules?.ConsoleClientIsAnAudience?.Assertions[0]?.Assert).toEqual({
      'Fn::Contains': [{ Ref: OIDC_AUDIENCE_PARAMETER }, 'kfq-console'],
    });
    const csp = directives(
      text(
        (securityHeaders(china.serviceJson).ContentSecurityPolicy as { ContentSecurityPolicy: unknown })
          .ContentSecurityPolicy,
      ),
    );
    expect(csp.get('connect-src')).toContain(`https://<host:<${OIDC_ISSUER_PARAMETER}>>`);
    expect(csp.get('form-action')).toEqual(["'self'", `https://<host:<${OIDC_ISSUER_PARAMETER}>>`]);
    const [, api] = only(china.serviceJson, 'AWS::ApiGatewayV2::Api');
    expect((props(api).CorsConfiguration as { AllowOrigins: string[] }).AllowOrigins).toEqual([
      'https://kfq.zone.example.gov.cn',
    ]);
  });

  it('writes no literal arn:aws: and passes cdk-nag, the China-only findings justified', () => {
    expect(JSON.stringify(china.serviceJson)).not.toMatch(/arn:aws:/);
    const report = JSON.parse(readFileSync(join(china.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        pluginName: string;
        conclusion: string;
        suppressedViolations?: { ruleName: string; reason?: string }[];
      }[];
    };
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    const cfr7 = nag?.suppressedViolations?.find((violation) => violation.ruleName === 'AwsSolutions-CFR7');
    expect(cfr7?.reason).toMatch(/no origin access control/);
  });
});

describe('where the console is built (context settings)', () => {
  const read = (context: Record<string, string>) => deploymentSettingsFrom((key) => context[key]);

  it('is built by default in the global partition, and skipped with the reason in China without a domain', () => {
    expect(read({}).console).toEqual({ kind: 'cloudfront', extraOrigins: [], connectOrigins: [] });
    const skipped = read({ partition: 'aws-cn' }).console;
    expect(skipped.kind).toBe('none');
    expect(skipped.kind === 'none' && skipped.reason).toMatch(/kfq:consoleDomain.*ICP/);
    expect(skipped.kind === 'none' && skipped.reason).toMatch(/kfq:consoleClientId/);
    expect(read({ 'kfq:identity': 'oidc' }).console).toMatchObject({ kind: 'none' });
    expect(read({ 'kfq:console': 'none' }).console).toEqual({ kind: 'none' });
  });

  it('fails synth, naming the key, when a console is asked for and cannot be built', () => {
    expect(() => read({ partition: 'aws-cn', 'kfq:console': 'cloudfront' })).toThrow(/kfq:consoleDomain/);
    expect(() => read({ partition: 'aws-cn', 'kfq:consoleDomain': 'kfq.zone.example.gov.cn' })).toThrow(
      /kfq:consoleIamCertificateId/,
    );
    expect(() =>
      read({
        ...CHINA_CONSOLE,
        'kfq:consoleCertificateArn':
          'arn:aws-cn:acm:us-east-1:123456789012:certificate/0f0e0d0c-1234-5678-9abc-def012345678',
      }),
    ).toThrow(/kfq:consoleCertificateArn.*no ACM/);
    expect(() => read({ 'kfq:consoleClientId': 'x' })).toThrow(
      /kfq:consoleClientId.*only with kfq:identity=oidc/,
    );
    expect(() => read({ 'kfq:consoleDomain': 'kfq.example.org' })).toThrow(/kfq:consoleCertificateArn/);
    expect(() => read({ 'kfq:consoleOrigins': 'kfq.example.org' })).toThrow(/kfq:consoleOrigins/);
    expect(() => read({ 'kfq:cognitoDomainPrefix': 'my-cognito-login' })).toThrow(/kfq:cognitoDomainPrefix/);
  });

  it("adds the console's client id to the OIDC audiences the API trusts", () => {
    const settings = read({ ...CHINA_CONSOLE, 'kfq:oidcAudience': 'kfq-cli' });
    expect(settings.identity).toMatchObject({ kind: 'oidc', audience: ['kfq-cli', 'kfq-console'] });
    expect(read({ ...CHINA_CONSOLE, 'kfq:oidcAudience': 'kfq-console,kfq-cli' }).identity).toMatchObject({
      audience: ['kfq-console', 'kfq-cli'],
    });
  });

  it('takes a custom domain with its ACM certificate (us-east-1) in the global partition', () => {
    const arn = [
      'arn',
      'aws',
      'acm',
      'us-east-1',
      '123456789012',
      'certificate/0f0e0d0c-1234-5678-9abc-def012345678',
    ].join(':');
    expect(
      read({ 'kfq:consoleDomain': 'kfq.example.org', 'kfq:consoleCertificateArn': arn }).console,
    ).toMatchObject({
      kind: 'cloudfront',
      domain: { name: 'kfq.example.org', certificate: { kind: 'acm', arn } },
    });
    expect(() =>
      read({
        'kfq:consoleDomain': 'kfq.example.org',
        'kfq:consoleCertificateArn': arn.replace('us-east-1', 'eu-west-1'),
      }),
    ).toThrow(/us-east-1/);
  });
});

describe('the policies, as text', () => {
  it('puts the meta policy first in <head>, before the scripts it governs', () => {
    const html = withConnectPolicy(
      '<!doctype html><html><head><meta charset="UTF-8" /><script type="module" src="/console/assets/a.js"></script></head></html>',
      ['https://api.example'],
    );
    expect(html).toMatch(
      /<head>\n {4}<meta http-equiv="Content-Security-Policy" content="connect-src 'self' https:\/\/api\.example" \/><meta charset/,
    );
    expect(() => withConnectPolicy('<html></html>', [])).toThrow(/no <head>/);
  });

  it('lists every directive once', () => {
    const policy = contentSecurityPolicy({ connect: ['https://a'], formAction: ['https://b'] });
    const names = policy.split(';').map((directive) => directive.trim().split(' ')[0]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the build uploaded', () => {
  it('is a consistent copy of console/dist: every chunk index.html and the chunks name, no fingerprint', () => {
    const dist = mkdtempSync(join(tmpdir(), 'kfq-dist-'));
    try {
      mkdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, '.fingerprint'), 'abc');
      writeFileSync(
        join(dist, 'index.html'),
        '<html><head><script type="module" src="/console/assets/index-AbCd1234.js"></script></head></html>',
      );
      writeFileSync(join(dist, 'assets', 'index-AbCd1234.js'), 'import("./LeadPage-Zz_9-xYq.js")');
      // Mid-build: the entry chunk names a chunk not written yet.
      expect(() => snapshotConsoleBuild(dist, 1)).toThrow(
        /not a complete console build.*LeadPage-Zz_9-xYq\.js/,
      );
      writeFileSync(join(dist, 'assets', 'LeadPage-Zz_9-xYq.js'), 'export default 1');
      const copy = snapshotConsoleBuild(dist, 1);
      try {
        expect(copy.indexHtml).toContain('index-AbCd1234.js');
        expect(existsSync(join(copy.dir, 'assets', 'LeadPage-Zz_9-xYq.js'))).toBe(true);
        expect(existsSync(join(copy.dir, '.fingerprint'))).toBe(false);
      } finally {
        rmSync(copy.dir, { recursive: true, force: true });
      }
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
