import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketDefinition } from '#infra/resources.ts';
import { acknowledge } from './nag.ts';

/** How long the server access logs of the buckets are kept. */
export const BUCKET_ACCESS_LOG_DAYS = 90;

/**
 * The buckets of transient files (the exports too big for a Lambda response), one per definition:
 * private (public access blocked, no ACLs), encrypted (SSE-S3, in every partition), TLS only, not
 * versioned, objects expire after the definition's days. Who fetched what through a pre-signed link is
 * in the server access logs, kept in a log bucket of their own.
 *
 * In the service stack, not the data stack: nothing in them outlives a day, and the grants that name a
 * bucket of the same stack read `<logical id>.Arn/*`, which cdk-nag findings can name.
 */
export class KfqTransientBuckets extends Construct {
  /** Buckets by definition id. */
  readonly buckets: ReadonlyMap<string, Bucket>;
  readonly accessLogs: Bucket | undefined;

  constructor(scope: Construct, id: string, props: { readonly definitions: readonly BucketDefinition[] }) {
    super(scope, id);
    const buckets = new Map<string, Bucket>();
    if (props.definitions.length === 0) {
      this.buckets = buckets;
      this.accessLogs = undefined;
      return;
    }
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // S3 server access logs are delivered with the log-delivery ACL, which needs ACLs enabled.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(BUCKET_ACCESS_LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      accessLogs,
      'AwsSolutions-S1',
      'This is the server access log bucket of the transient (exports) buckets; logging its own access would log the log writes.',
    );
    for (const definition of props.definitions) {
      const bucket = new Bucket(this, definition.id, {
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned: false,
        lifecycleRules: [
          {
            expiration: Duration.days(definition.expirationDays),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
        ],
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${definition.id.toLowerCase()}/`,
        // CloudFormation cannot delete a bucket that still holds objects; they expire within a day, and
        // docs/deploy.md says how to remove the bucket after a destroy.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      buckets.set(definition.id, bucket);
      new CfnOutput(Stack.of(this), `${definition.id}BucketName`, {
        value: bucket.bucketName,
        description: `${definition.envVar}: ${definition.description}`,
      });
    }
    this.buckets = buckets;
    this.accessLogs = accessLogs;
  }

  /** `<logical id>.Arn` of a bucket, as cdk-nag names it in a finding. */
  arnReference(bucketId: string): string {
    const bucket = this.buckets.get(bucketId);
    if (bucket === undefined) throw new Error(`No bucket ${bucketId}`);
    return `<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>`;
  }
}
