import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Aws,
  type CfnElement,
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
} from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  type CfnDistribution,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_DIST } from '#infra/console-build.ts';
import type { ConsoleSettings, Partition } from '#infra/deployment.ts';
import {
  CONSOLE_BASE,
  contentSecurityPolicy,
  ROOT_REDIRECT_HTML,
  VIEWER_REQUEST_CODE,
  withConnectPolicy,
} from './console-edge.ts';
import { acknowledge } from './nag.ts';

export type CloudFrontConsole = Extract<ConsoleSettings, { kind: 'cloudfront' }>;

/** What the console reads at run time from /console/config.json (console/src/auth/session.ts). */
export interface ConsoleRuntimeConfig {
  /** The API's origin, no trailing slash. */
  readonly apiBaseUrl: string;
  readonly auth: {
    readonly mode: 'oidc';
    readonly authority: string;
    readonly clientId: string;
    readonly scope: string;
    /**
     * Where signing out ends the provider's session, when its discovery document does not say (Cognito's
     * managed login: `<domain>/logout`); other providers publish `end_session_endpoint` themselves.
     */
    readonly endSessionEndpoint?: string;
  };
}

export interface KfqConsoleHostingProps {
  readonly settings: CloudFrontConsole;
  /**
   * `aws`: origin access control and a CloudFront Function for deep links. `aws-cn`: CloudFormation there
   * has neither (no AWS::CloudFront::OriginAccessControl, no AWS::CloudFront::Function): an origin access
   * identity, and deep links through error responses.
   */
  readonly partition: Partition;
  /** Origins the console calls besides the API: the OIDC issuer and its token endpoint. */
  readonly signInConnectOrigins: readonly string[];
  /** Origins of the sign-in pages (CSP form-action). */
  readonly signInPageOrigins: readonly string[];
}

/** Hashed assets never change under their name; index.html and config.json change with every deploy. */
const IMMUTABLE = CacheControl.fromString('public, max-age=31536000, immutable');
const REVALIDATE = CacheControl.noCache();

/**
 * The console on S3 behind CloudFront: a private bucket (all public access blocked, TLS only, encrypted,
 * access-logged) read by CloudFront alone, security headers on every response (strict CSP, HSTS), deep
 * links served by index.html, and `config.json` written at deploy time with the API's URL and the sign-in
 * settings (`publish`). Two steps because the API's CORS needs this distribution's domain, and
 * config.json needs the API.
 */
export class KfqConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<domain>`: where the console is served (its own domain, or CloudFront's default name). */
  readonly origin: string;
  /** `https://<domain>/console/`. */
  readonly url: string;
  private readonly props: KfqConsoleHostingProps;
  private readonly assets: BucketDeployment;
  /** index.html of the build uploaded, read with it (the build directory may be rebuilt meanwhile). */
  private readonly indexHtml: string;

  constructor(scope: Construct, id: string, props: KfqConsoleHostingProps) {
    super(scope, id);
    this.props = props;
    const china = props.partition === 'aws-cn';

    // Access logs of the bucket and of the distribution. CloudFront's standard logs are written with ACLs,
    // so this bucket keeps them enabled (object writer); it holds logs only and is never public.
    this.logBucket = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.logBucket,
      'AwsSolutions-S1',
      'This is the access-log bucket of the console bucket and distribution; logging its own access would log the log writes.',
    );

    this.bucket = new Bucket(this, 'Files', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      // Retained: CloudFormation cannot delete a bucket that holds objects (emptying it on destroy would
      // take one more custom-resource Lambda); docs/deploy.md says how to remove both buckets.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const origin = china
      ? S3BucketOrigin.withOriginAccessIdentity(this.bucket)
      : S3BucketOrigin.withOriginAccessControl(this.bucket);

    // The header cannot name the API (see connectPolicyMeta): API Gateway endpoints of this region here,
    // the API's exact origin in index.html's meta policy.
    const regionalApis = `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'kfq console: strict CSP, HSTS, no sniffing, no framing, same-origin referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy({
            connect: [regionalApis, ...props.signInConnectOrigins, ...props.settings.connectOrigins],
            formAction: props.signInPageOrigins,
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
    });

    // Caching follows the objects' Cache-Control (immutable assets, revalidated index.html and config.json);
    // minimum TTL 0 so `no-cache` is honoured at the edge too.
    const cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: 'kfq console: as the objects say (Cache-Control), compressed',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const domain = props.settings.domain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'kfq-incentives web console',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: headers,
        compress: true,
        ...(china
          ? {}
          : {
              functionAssociations: [
                {
                  eventType: FunctionEventType.VIEWER_REQUEST,
                  function: new EdgeFunction(this, 'DeepLinks', {
                    comment: 'kfq console: / to /console/, app routes to /console/index.html',
                    code: FunctionCode.fromInline(VIEWER_REQUEST_CODE),
                    runtime: FunctionRuntime.JS_2_0,
                  }),
                },
              ],
            }),
      },
      // China: no functions, so the root is a meta-refresh page and a missing key (S3 answers 403 to
      // CloudFront without list rights) is an app route served by index.html.
      ...(china
        ? {
            defaultRootObject: 'index.html',
            errorResponses: [403, 404].map((httpStatus) => ({
              httpStatus,
              responseHttpStatus: 200,
              responsePagePath: `${CONSOLE_BASE}index.html`,
              ttl: Duration.seconds(0),
            })),
          }
        : {}),
      ...(domain?.certificate.kind === 'acm'
        ? {
            domainNames: [domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificate.arn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      httpVersion: HttpVersion.HTTP2,
      enableIpv6: !china,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    if (domain?.certificate.kind === 'iam') {
      // CDK's Distribution takes ACM certificates only; China's CloudFront takes IAM server certificates.
      // Set on the L1 properties (not as a raw override) so cdk-nag sees the TLS policy too.
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.distributionConfig = {
        ...(cfn.distributionConfig as CfnDistribution.DistributionConfigProperty),
        aliases: [domain.name],
        viewerCertificate: {
          iamCertificateId: domain.certificate.id,
          sslSupportMethod: 'sni-only',
          minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        },
      };
    }
    this.origin = `https://${domain?.name ?? this.distribution.distributionDomainName}`;
    this.url = `${this.origin}${CONSOLE_BASE}`;

    if (domain === undefined) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        "Served on CloudFront's default *.cloudfront.net name, whose certificate CloudFront does not let a distribution restrict to TLS 1.2; give kfq:consoleDomain and kfq:consoleCertificateArn to serve it with TLSv1.2_2021 as the minimum (docs/deploy.md).",
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: staff sign in from wherever they work, every page of data needs a token from the sign-in, and the static files hold no data.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      china
        ? 'AWS WAF in the China regions is regional only and cannot be attached to CloudFront; the files are static and public by design, the API behind them is authorized and throttled.'
        : 'No WAF web ACL (it must live in us-east-1 and costs a fixed monthly fee): the files are static and public by design, the API behind them is authorized and throttled; attaching one is documented as optional hardening in docs/deploy.md.',
    );
    if (china) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR7',
        'The China regions have no origin access control (CloudFormation there has no AWS::CloudFront::OriginAccessControl): the bucket is read through an origin access identity instead, still private with all public access blocked.',
      );
    }

    // The build, minus index.html (published with the runtime settings). Never pruned: a browser that
    // loaded the previous index.html keeps loading its route chunks after a deploy.
    const build = snapshotConsoleBuild();
    try {
      this.indexHtml = build.indexHtml;
      this.assets = new BucketDeployment(this, 'Assets', {
        destinationBucket: this.bucket,
        destinationKeyPrefix: CONSOLE_BASE.slice(1),
        sources: [Source.asset(build.dir, { exclude: ['index.html'] })],
        cacheControl: [IMMUTABLE],
        prune: false,
        memoryLimit: 512,
      });
    } finally {
      // The asset is staged (copied under its content hash) as it is created.
      rmSync(build.dir, { recursive: true, force: true });
    }
    acknowledgeDeploymentFindings(this.assets, this.bucket);
  }

  /**
   * Writes index.html (with the meta policy naming the API's exact origin) and config.json, after the
   * assets they point to, revalidated on every load.
   */
  publish(config: ConsoleRuntimeConfig): BucketDeployment {
    const connect = [
      config.apiBaseUrl,
      ...this.props.signInConnectOrigins,
      ...this.props.settings.connectOrigins,
    ];
    const html = withConnectPolicy(this.indexHtml, connect);
    const sources = [
      Source.data(`${CONSOLE_BASE.slice(1)}index.html`, html),
      Source.jsonData(`${CONSOLE_BASE.slice(1)}config.json`, config),
    ];
    if (this.props.partition === 'aws-cn') sources.push(Source.data('index.html', ROOT_REDIRECT_HTML));
    const published = new BucketDeployment(this, 'Published', {
      destinationBucket: this.bucket,
      sources,
      cacheControl: [REVALIDATE],
      prune: false,
      memoryLimit: 512,
    });
    published.node.addDependency(this.assets);
    acknowledgeDeploymentFindings(published, this.bucket);

    const stack = Stack.of(this);
    new CfnOutput(stack, 'ConsoleUrl', { value: this.url, description: 'The web console' });
    new CfnOutput(stack, 'ConsoleDistributionDomain', {
      value: this.distribution.distributionDomainName,
      description: this.props.settings.domain
        ? `CNAME target for ${this.props.settings.domain.name}`
        : 'The distribution serving the console',
    });
    new CfnOutput(stack, 'ConsoleBucketName', { value: this.bucket.bucketName });
    return published;
  }
}

/** A reference to a Vite output file, `assets/` or `./` then `<name>-<8-character hash>.js|css`. */
const BUILT_FILE = /(?:assets\/|\.\/)([\w-]+-[\w-]{8}\.(?:js|css))\b/g;

/**
 * A consistent copy of console/dist: every file index.html and the chunks name is there. The directory is
 * rebuilt in place (Vite empties it first) whenever the console's sources change, by `npm start` or a
 * test run beside this synth, so a copy caught mid-build is taken again, a few times, then refused.
 */
export function snapshotConsoleBuild(
  source = CONSOLE_DIST,
  attempts = 10,
): { dir: string; indexHtml: string } {
  for (let attempt = 1; ; attempt += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'kfq-console-'));
    try {
      cpSync(source, dir, { recursive: true, filter: (path) => !path.endsWith('.fingerprint') });
      const indexHtml = readFileSync(join(dir, 'index.html'), 'utf8');
      const assets = new Set(readdirSync(join(dir, 'assets')));
      const texts = [
        indexHtml,
        ...[...assets]
          .filter((name) => name.endsWith('.js'))
          .map((name) => readFileSync(join(dir, 'assets', name), 'utf8')),
      ];
      const missing = texts
        .flatMap((text) => [...text.matchAll(BUILT_FILE)].map((match) => match[1] as string))
        .filter((name) => !assets.has(name));
      if (missing.length === 0) return { dir, indexHtml };
      throw new Error(
        `files named by the build are missing: ${[...new Set(missing)].slice(0, 5).join(', ')}`,
      );
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      if (attempt >= attempts) {
        throw new Error(
          `${source} is not a complete console build (${(error as Error).message}); build it with npm run build:console (cdk synth builds it when stale)`,
        );
      }
      // Synth is synchronous: wait for the build in progress without returning to the event loop.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
    }
  }
}

/**
 * BucketDeployment runs CDK's own provider Lambda (one per stack, shared by both deployments); its
 * findings are acknowledged on that provider, each saying what it lets the copy do.
 */
const acknowledgedProviders = new WeakSet<Stack>();
function acknowledgeDeploymentFindings(deployment: BucketDeployment, files: Bucket): void {
  const stack = Stack.of(deployment);
  if (acknowledgedProviders.has(stack)) return;
  acknowledgedProviders.add(stack);
  const role = deployment.handlerRole;
  const filesId = stack.getLogicalId(files.node.defaultChild as CfnElement);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const assetBucket = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-${region}/*`;
  const why: Record<string, string> = {
    'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      "CDK's BucketDeployment provider writes its own logs through AWSLambdaBasicExecutionRole (CloudWatch Logs only).",
    'IAM5[Action::s3:GetObject*]':
      "CDK's BucketDeployment provider reads the uploaded build from the CDK asset bucket and the console bucket's objects.",
    'IAM5[Action::s3:GetBucket*]':
      "CDK's BucketDeployment provider reads the location and settings of the two buckets it copies between.",
    'IAM5[Action::s3:List*]':
      "CDK's BucketDeployment provider lists the two buckets it copies between (aws s3 sync).",
    'IAM5[Action::s3:DeleteObject*]':
      "CDK's BucketDeployment provider may delete under the console bucket only (no prune is asked, so it deletes nothing).",
    'IAM5[Action::s3:Abort*]':
      "CDK's BucketDeployment provider aborts its own failed multipart uploads into the console bucket.",
    [`IAM5[Resource::<${filesId}.Arn>/*]`]:
      "CDK's BucketDeployment provider writes the console's files: every object of the console bucket, that bucket only.",
    [`IAM5[Resource::${assetBucket}]`]:
      "CDK's BucketDeployment provider reads the build uploaded by cdk deploy: objects of this account's CDK asset bucket.",
  };
  for (const [finding, reason] of Object.entries(why)) acknowledge(role, `AwsSolutions-${finding}`, reason);
  for (const provider of stack.node.children.filter((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  )) {
    acknowledge(
      provider,
      'AwsSolutions-L1',
      "The runtime of CDK's own BucketDeployment provider (Python with the AWS CLI layer, run only during cdk deploy) is chosen by aws-cdk-lib and moves with CDK upgrades.",
    );
  }
}
