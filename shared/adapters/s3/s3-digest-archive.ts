import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditDigestRecord } from '#shared/domain/audit-digest.ts';
import { canonicalJson } from '#shared/domain/canonical-json.ts';
import type { DigestArchive } from '#shared/ports/audit-trail.ts';

/**
 * Global audit digests kept in an S3 bucket with Object Lock (issue 18): each digest is one object,
 * `<trail>/<seq padded>.json`, put with a compliance-mode retention of `retentionDays` (the bucket's
 * default retention says the same, so an object is locked even if this header were dropped). In
 * compliance mode no one, the account's root user included, can overwrite (a new version is all a put
 * makes), delete or shorten the retention of a version before it ends.
 */
export class S3DigestArchive implements DigestArchive {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #trail: string;
  readonly #retentionDays: number;
  readonly #now: () => Date;

  constructor(
    client: S3Client,
    settings: { bucket: string; trail: string; retentionDays: number },
    now = () => new Date(),
  ) {
    this.#client = client;
    this.#bucket = settings.bucket;
    this.#trail = settings.trail;
    this.#retentionDays = settings.retentionDays;
    this.#now = now;
  }

  async has(seq: number): Promise<boolean> {
    try {
      await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: digestKey(this.#trail, seq) }),
      );
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return false;
      throw error;
    }
  }

  async put(record: AuditDigestRecord): Promise<void> {
    const body = canonicalJson(record);
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: digestKey(this.#trail, record.seq),
        Body: body,
        ContentType: 'application/json',
        // Object Lock refuses a put without an integrity checksum.
        ChecksumAlgorithm: 'SHA256',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(this.#now().getTime() + this.#retentionDays * 86_400_000),
      }),
    );
  }
}

/** `<trail>/000000000042.json`: sorted by sequence in a listing. */
export function digestKey(trail: string, seq: number): string {
  return `${trail}/${String(seq).padStart(12, '0')}.json`;
}
