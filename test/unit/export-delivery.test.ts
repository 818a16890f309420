import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { exportDeliveryOf } from '#shared/adapters/export-adapters.ts';
import {
  exportsS3Client,
  MAX_LINK_SECONDS,
  S3ExportDelivery,
} from '#shared/adapters/s3/s3-export-delivery.ts';
import type { Config } from '#shared/config.ts';

const NOW = new Date('2026-03-01T02:00:00.000Z');
const clock = { now: () => NOW };

/** Presigning is offline: static credentials, no network. Puts are recorded instead of sent. */
function delivery(linkSeconds = 900, maxInlineBytes = 4_000_000) {
  const client = new S3Client({
    region: 'cn-north-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' },
  });
  const puts: unknown[] = [];
  Object.assign(client, { send: async (command: { input: unknown }) => puts.push(command.input) });
  return {
    puts,
    delivery: new S3ExportDelivery(client, { bucket: 'exports-bucket', maxInlineBytes, linkSeconds }, clock),
  };
}

const file = (bytes: number) => ({
  bytes: new Uint8Array(bytes),
  contentType: 'text/csv; charset=utf-8',
  fileName: '审计摘录-2026-01-01-2026-01-31.csv',
});

describe('export delivery through S3', () => {
  it('answers a file up to the threshold inline and puts nothing', async () => {
    const { puts, delivery: s3 } = delivery(900, 1000);
    expect(await s3.deliver(file(1000))).toMatchObject({ kind: 'inline' });
    expect(puts).toHaveLength(0);
  });

  it('puts a bigger file in the bucket and links it with a pre-signed GET that expires within 15 minutes', async () => {
    const { puts, delivery: s3 } = delivery(900, 1000);
    const delivered = await s3.deliver(file(1001));
    expect(puts).toEqual([
      expect.objectContaining({
        Bucket: 'exports-bucket',
        ContentType: 'text/csv; charset=utf-8',
        CacheControl: 'no-store',
      }),
    ]);
    if (delivered.kind !== 'link') throw new Error('expected a link');
    const url = new URL(delivered.url);
    expect(url.hostname).toContain('exports-bucket');
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(MAX_LINK_SECONDS);
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260301T020000Z');
    expect(url.searchParams.get('response-content-disposition')).toContain("filename*=UTF-8''");
    expect(delivered.expiresAt).toBe('2026-03-01T02:15:00.000Z');
    expect(url.pathname).toMatch(/^\/exports\/2026-03-01\/[0-9a-f-]{36}\.csv$/);
  });

  it('takes a shorter lifetime and refuses one over 15 minutes', async () => {
    const { delivery: s3 } = delivery(300, 0);
    const delivered = await s3.deliver(file(1));
    expect(delivered.kind === 'link' && new URL(delivered.url).searchParams.get('X-Amz-Expires')).toBe('300');
    expect(() => delivery(901)).toThrow(RangeError);
  });
});

describe('export delivery by configuration', () => {
  it('answers inline without a bucket, and with one loads S3 only for a file too big to answer', async () => {
    const small = file(10);
    expect(await exportDeliveryOf({} as Config, clock).deliver(small)).toEqual({
      kind: 'inline',
      file: small,
    });

    Object.assign(process.env, {
      AWS_REGION: 'cn-north-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret-example',
    });
    const config = {
      EXPORTS_BUCKET: 'exports-bucket',
      EXPORT_INLINE_MAX_BYTES: 100,
      EXPORT_LINK_SECONDS: 600,
    } as Config;
    const configured = exportDeliveryOf(config, clock);
    const puts: unknown[] = [];
    Object.assign(exportsS3Client(), {
      send: async (command: { input: unknown }) => puts.push(command.input),
    });
    expect(await configured.deliver(file(100))).toMatchObject({ kind: 'inline' });
    expect(puts).toHaveLength(0);
    const delivered = await configured.deliver(file(101));
    expect(puts).toEqual([expect.objectContaining({ Bucket: 'exports-bucket' })]);
    expect(delivered).toMatchObject({ kind: 'link', expiresAt: '2026-03-01T02:10:00.000Z' });
  });
});
