import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '#shared/config.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ExportDelivery } from '#shared/ports/export-delivery.ts';
import { leadStores } from './lead-adapters.ts';
import { inlineDelivery, S3ExportDelivery } from './s3/s3-export-delivery.ts';

/** Built once per execution environment; unused (and left out of the bundle's work) without a bucket. */
const s3Client = /* @__PURE__ */ new S3Client({ maxAttempts: 5 });

/**
 * How exports reach the caller, by configuration: with an exports bucket (the cloud) big files go through
 * it as pre-signed links; without one (the local cloud, whose gateway has no size limit) all go inline.
 */
export function exportDeliveryOf(config: Config, clock: Clock): ExportDelivery {
  if (config.EXPORTS_BUCKET === undefined) return inlineDelivery;
  return new S3ExportDelivery(
    s3Client,
    {
      bucket: config.EXPORTS_BUCKET,
      maxInlineBytes: config.EXPORT_INLINE_MAX_BYTES,
      linkSeconds: config.EXPORT_LINK_SECONDS,
    },
    clock,
  );
}

/** The payment list's and the audit extract's adapters: the lead and audit stores (read), delivery. */
export function exportAdapters() {
  const { config, clock, audit, leads } = leadStores();
  return {
    config,
    clock,
    audit,
    leads,
    reviews: leads,
    zoneUnit: config.EXPORT_UNIT,
    delivery: exportDeliveryOf(config, clock),
  };
}
