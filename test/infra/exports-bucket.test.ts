import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DIGEST_RETENTION_DAYS } from '#infra/constructs/audit-digest-archive.ts';
import { buckets, functions } from '#infra/resources.ts';
import { removeSynthesis, type Synthesized, synthesizeApp } from './synth.ts';

/** The exports bucket, in both partitions: private, encrypted, TLS only, one-day objects, grants to the exporters only. */
const PARTITIONS = [
  ['aws', {}],
  ['aws-cn', { partition: 'aws-cn', region: 'cn-north-1' }],
] as const;

describe.each(PARTITIONS)('the exports bucket (%s)', (_partition, context) => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesizeApp({ context, bundle: false });
  }, 120_000);
  afterAll(() => removeSynthesis(synth));

  it('blocks public access, encrypts, logs access, keeps no versions and expires objects after a day', () => {
    synth.service.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ ExpirationInDays: buckets[0].expirationDays, Status: 'Enabled' }),
        ]),
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'exports/' }),
      VersioningConfiguration: Match.absent(),
    });
    synth.service.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only the export functions put and read its objects, and gives every function its name', () => {
    const exporters = functions.filter((fn) => 'buckets' in fn).map((fn) => fn.id);
    expect(exporters.sort()).toEqual(['export-audit', 'export-rewards', 'project-reports']);
    const policies = synth.service.findResources('AWS::IAM::Policy');
    // Function roles only (the console's BucketDeployment provider has grants of its own, on its bucket).
    const withS3 = Object.entries(policies).filter(
      ([id, policy]) =>
        /RoleDefaultPolicy/.test(id) &&
        !id.startsWith('CustomCDKBucketDeployment') &&
        JSON.stringify(policy).includes('s3:PutObject'),
    );
    // The audit digest step writes to its own Object Lock bucket (asserted below).
    const exportWriters = withS3.filter(([id]) => !id.startsWith('AuditDigest'));
    expect(exportWriters.map(([id]) => id.replace(/RoleDefaultPolicy.*$/, '')).sort()).toEqual([
      'ExportAudit',
      'ExportRewards',
      'ProjectReports',
    ]);
    for (const [, policy] of exportWriters) {
      const statements = (policy as { Properties: { PolicyDocument: { Statement: { Action: unknown }[] } } })
        .Properties.PolicyDocument.Statement;
      const s3 = statements.filter((statement) => JSON.stringify(statement.Action).includes('s3:'));
      expect(s3.map((statement) => statement.Action)).toEqual([['s3:PutObject', 's3:GetObject']]);
    }
    synth.service.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ EXPORTS_BUCKET: Match.anyValue() }) },
    });
  });

  it('keeps global audit digests in an Object Lock bucket, compliance mode, versioned, private, retained', () => {
    const locked = synth.service.findResources('AWS::S3::Bucket', {
      Properties: { ObjectLockEnabled: true },
    });
    expect(Object.keys(locked)).toHaveLength(1);
    const [id, bucket] = Object.entries(locked)[0] as [
      string,
      { Properties: unknown; DeletionPolicy: string },
    ];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: AUDIT_DIGEST_RETENTION_DAYS } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { LogFilePrefix: 'audit-digests/' },
    });
    // Only the digest step may put digests (with their retention); nothing may delete one.
    const policies = Object.entries(synth.service.findResources('AWS::IAM::Policy'));
    // Function roles only (the console's BucketDeployment provider has grants of its own, on its bucket).
    const retainers = policies.filter(
      ([policyId, policy]) =>
        !policyId.startsWith('CustomCDKBucketDeployment') &&
        JSON.stringify(policy).includes('s3:PutObjectRetention'),
    );
    expect(retainers.map(([policyId]) => policyId.replace(/RoleDefaultPolicy.*$/, ''))).toEqual([
      'AuditDigest',
    ]);
    expect(JSON.stringify(retainers[0]?.[1])).toContain(id);
    expect(JSON.stringify(retainers[0]?.[1])).not.toMatch(/s3:Delete|s3:BypassGovernanceRetention/);
    synth.service.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AUDIT_DIGEST_BUCKET: { Ref: id },
          AUDIT_DIGEST_RETENTION_DAYS: String(AUDIT_DIGEST_RETENTION_DAYS),
        }),
      },
    });
  });

  it('runs the digest step every minute (an EventBridge rule on the audit-digest function)', () => {
    const digestFunction = Object.keys(
      synth.service.findResources('AWS::Lambda::Function', {
        Properties: { Handler: Match.anyValue(), Description: Match.stringLikeRegexp('POST /audit/digests') },
      }),
    );
    expect(digestFunction).toHaveLength(1);
    synth.service.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [digestFunction[0], 'Arn'] } })]),
    });
  });
});
