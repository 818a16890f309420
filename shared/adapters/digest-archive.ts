import type { Config } from '#shared/config.ts';
import type { DigestArchive } from '#shared/ports/audit-trail.ts';
import { FileDigestArchive, noDigestArchive } from './file-digest-archive.ts';

/**
 * Where global audit digests are kept outside the table, by configuration: the Object Lock bucket in the
 * cloud (AUDIT_DIGEST_BUCKET), a folder of the local data dir in the local cloud (AUDIT_DIGEST_DIR).
 */
export function digestArchiveOf(config: Config): DigestArchive {
  if (config.AUDIT_DIGEST_BUCKET !== undefined) {
    const settings = {
      bucket: config.AUDIT_DIGEST_BUCKET,
      trail: config.AUDIT_CHAIN,
      retentionDays: config.AUDIT_DIGEST_RETENTION_DAYS,
    };
    // The S3 client loads with the first digest: the function's other work (reading heads) needs none of it.
    let archive: Promise<DigestArchive> | undefined;
    const s3 = () => {
      archive ??= Promise.all([import('@aws-sdk/client-s3'), import('./s3/s3-digest-archive.ts')]).then(
        ([{ S3Client }, { S3DigestArchive }]) =>
          new S3DigestArchive(new S3Client({ maxAttempts: 5 }), settings),
      );
      return archive;
    };
    return {
      has: async (seq) => (await s3()).has(seq),
      put: async (record) => (await s3()).put(record),
    };
  }
  if (config.AUDIT_DIGEST_DIR !== undefined)
    return new FileDigestArchive(config.AUDIT_DIGEST_DIR, config.AUDIT_CHAIN);
  return noDigestArchive;
}
