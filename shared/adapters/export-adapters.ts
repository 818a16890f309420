import type { Config } from '#shared/config.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ExportDelivery } from '#shared/ports/export-delivery.ts';
import { dynamoDbClient } from './aws-clients.ts';
import { DynamoClawbackStore } from './dynamodb/dynamo-clawback-store.ts';
import { DynamoDiscretionaryStore } from './dynamodb/dynamo-discretionary-store.ts';
import { leadStores } from './lead-adapters.ts';

/** Delivery in the local cloud: its gateway has no response size limit, so every file goes inline. */
export const inlineDelivery: ExportDelivery = {
  deliver: async (file) => ({ kind: 'inline', file }),
};

/**
 * How exports reach the caller, by configuration: with an exports bucket (the cloud) big files go through
 * it as pre-signed links; without one (the local cloud, whose gateway has no size limit) all go inline.
 */
export function exportDeliveryOf(config: Config, clock: Clock): ExportDelivery {
  if (config.EXPORTS_BUCKET === undefined) return inlineDelivery;
  const settings = {
    bucket: config.EXPORTS_BUCKET,
    maxInlineBytes: config.EXPORT_INLINE_MAX_BYTES,
    linkSeconds: config.EXPORT_LINK_SECONDS,
  };
  // The S3 client and the presigner (~30 MB resident) load with the first file too big to answer inline:
  // most exports never need them, and every export function would otherwise carry them from its start.
  let viaBucket: Promise<ExportDelivery> | undefined;
  return {
    async deliver(file) {
      if (file.bytes.byteLength <= settings.maxInlineBytes) return { kind: 'inline', file };
      viaBucket ??= import('./s3/s3-export-delivery.ts').then(
        ({ S3ExportDelivery, exportsS3Client }) => new S3ExportDelivery(exportsS3Client(), settings, clock),
      );
      return (await viaBucket).deliver(file);
    },
  };
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
    recoveries: new DynamoClawbackStore(dynamoDbClient, config.LEADS_TABLE, config.FUNDS_TABLE, audit),
    discretionary: new DynamoDiscretionaryStore(
      dynamoDbClient,
      config.LEADS_TABLE,
      config.FUNDS_TABLE,
      audit,
    ),
    zoneUnit: config.EXPORT_UNIT,
    delivery: exportDeliveryOf(config, clock),
  };
}
