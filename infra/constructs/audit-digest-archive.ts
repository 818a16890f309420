import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Default days a global audit digest stays locked (context `kfq:auditDigestRetentionDays` overrides). */
export const AUDIT_DIGEST_RETENTION_DAYS = 3650;
export const AUDIT_DIGEST_RETENTION_CONTEXT = 'kfq:auditDigestRetentionDays';

/**
 * The bucket the global audit digests are kept in outside the table (issue 18): S3 Object Lock in
 * compliance mode with a default retention, so no one, the account's root user included, can change or
 * delete a digest before its retention ends, and an auditor's check against it proves the trail up to it
 * unchanged. Object Lock needs versioning (a second put of a key only adds a version). Private,
 * encrypted (SSE-S3), TLS only, access logged. Object Lock exists in every partition, aws-cn included.
 * Retained on stack deletion: it cannot be emptied before the retention ends anyway.
 */
export class KfqAuditDigestArchive extends Construct {
  readonly bucket: Bucket;
  readonly retentionDays: number;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly accessLogs?: IBucket; readonly retentionDays?: number },
  ) {
    super(scope, id);
    this.retentionDays =
      props.retentionDays ?? retentionDaysFrom(this.node.tryGetContext(AUDIT_DIGEST_RETENTION_CONTEXT));
    this.bucket = new Bucket(this, 'Digests', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(this.retentionDays)),
      ...(props.accessLogs === undefined
        ? {}
        : { serverAccessLogsBucket: props.accessLogs, serverAccessLogsPrefix: 'audit-digests/' }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(Stack.of(this), 'AuditDigestBucketName', {
      value: this.bucket.bucketName,
      description: `AUDIT_DIGEST_BUCKET: global audit digests, Object Lock compliance mode, ${this.retentionDays} days`,
    });
  }

  /**
   * What the digest step needs: put an object with its retention, and read one back (HeadObject, and
   * ListBucket so a missing digest answers 404 rather than 403). No delete, no retention change.
   */
  grantDigestWriter(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'],
      resourceArns: [this.bucket.arnForObjects('*')],
    });
    Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
  }

  /** `<logical id>.Arn` of the bucket, as cdk-nag names it in a finding. */
  get arnReference(): string {
    return `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>`;
  }
}

function retentionDaysFrom(value: unknown): number {
  if (value === undefined || value === null || value === '') return AUDIT_DIGEST_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 36_500) {
    throw new Error(
      `${AUDIT_DIGEST_RETENTION_CONTEXT} must be whole days from 1 to 36500, not ${String(value)}`,
    );
  }
  return days;
}
