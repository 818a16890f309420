import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition } from '#shared/middleware/with-http.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { DeliveredExport, ExportDelivery, ExportFile } from '#shared/ports/export-delivery.ts';

/** The longest a pre-signed link may live: 15 minutes. */
export const MAX_LINK_SECONDS = 900;

export interface S3ExportDeliverySettings {
  readonly bucket: string;
  /** Files up to this many bytes are answered inline; bigger ones go through the bucket. */
  readonly maxInlineBytes: number;
  /** Lifetime of a pre-signed link, at most {@link MAX_LINK_SECONDS}. */
  readonly linkSeconds: number;
}

/**
 * Delivery in the cloud: a file a Lambda response can carry is answered inline; a bigger one is put in
 * the exports bucket (which expires objects after a day) and answered as a pre-signed GET URL. The URL is
 * signed with the function's own role, so the role needs s3:GetObject on the bucket's objects too.
 */
export class S3ExportDelivery implements ExportDelivery {
  readonly #client: S3Client;
  readonly #settings: S3ExportDeliverySettings;
  readonly #clock: Clock;

  constructor(client: S3Client, settings: S3ExportDeliverySettings, clock: Clock) {
    if (settings.linkSeconds > MAX_LINK_SECONDS || settings.linkSeconds < 1) {
      throw new RangeError(`A link may live 1 to ${MAX_LINK_SECONDS} seconds, not ${settings.linkSeconds}`);
    }
    this.#client = client;
    this.#settings = settings;
    this.#clock = clock;
  }

  /** Whether a file of this size is answered in the response itself. */
  fitsInline(byteLength: number): boolean {
    return byteLength <= this.#settings.maxInlineBytes;
  }

  async deliver(file: ExportFile): Promise<DeliveredExport> {
    if (this.fitsInline(file.bytes.byteLength)) return { kind: 'inline', file };
    const extension = /\.[a-z]+$/.exec(file.fileName)?.[0] ?? '';
    const key = `exports/${this.#clock.now().toISOString().slice(0, 10)}/${randomUUID()}${extension}`;
    const disposition = contentDisposition(file.fileName);
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#settings.bucket,
        Key: key,
        Body: file.bytes,
        ContentType: file.contentType,
        ContentDisposition: disposition,
        CacheControl: 'no-store',
      }),
    );
    return this.link(key, disposition, file.contentType);
  }

  /** A pre-signed GET of `key` (offline: signing needs credentials, not the network). */
  async link(key: string, disposition: string, contentType: string): Promise<DeliveredExport> {
    const signedAt = this.#clock.now();
    const url = await getSignedUrl(
      this.#client,
      new GetObjectCommand({
        Bucket: this.#settings.bucket,
        Key: key,
        ResponseContentDisposition: disposition,
        ResponseContentType: contentType,
      }),
      { expiresIn: this.#settings.linkSeconds, signingDate: signedAt },
    );
    const expiresAt = new Date(signedAt.getTime() + this.#settings.linkSeconds * 1000).toISOString();
    return { kind: 'link', url, expiresAt };
  }
}

let client: S3Client | undefined;

/** One S3 client per execution environment, made when the first file goes through the bucket. */
export function exportsS3Client(): S3Client {
  client ??= new S3Client({ maxAttempts: 5 });
  return client;
}
