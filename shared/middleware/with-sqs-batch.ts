import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { logger, metrics } from '#shared/observability.ts';

/** What a queue consumer sees for each record: the parsed message and how often it has been received. */
export interface QueueMessage<TBody> {
  readonly body: TBody;
  readonly messageId: string;
  readonly receiveCount: number;
  readonly record: SQSRecord;
  /** How long the invocation has left (a consumer with long work stops between steps in time). */
  readonly remainingTimeMs: () => number;
}

/** A body that does not match its contract can never succeed: it fails until the dead-letter queue takes it. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/**
 * The one middy chain for SQS consumers: logger → metrics (records processed and failed) → Powertools
 * batch processor.
 * Each record is handled on its own; a failing record is reported in `batchItemFailures` and comes back
 * after the visibility timeout, while the others are deleted.
 */
export function withSqsBatch<TSchema extends z.ZodType>(
  schema: TSchema,
  handleMessage: (message: QueueMessage<z.infer<TSchema>>) => Promise<void>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord, context: Context): Promise<void> => {
    let json: unknown;
    try {
      json = JSON.parse(record.body);
    } catch {
      throw new PoisonMessageError(`Message ${record.messageId} is not JSON.`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new PoisonMessageError(
        `Message ${record.messageId} breaks its contract: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      );
    }
    // Records of a batch run concurrently: per-record facts go in each log call, never appendKeys.
    await handleMessage({
      body: parsed.data,
      messageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      record,
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
    });
  };
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const response = await processPartialResponse(
        event,
        (record: SQSRecord) => handleRecord(record, context),
        processor,
        {
          context,
          throwOnFullBatchFailure: false,
          processInParallel: false,
        },
      );
      // Failed records come back after the visibility timeout; a steady count here precedes the DLQ alarm.
      const failed = response.batchItemFailures.length;
      metrics.addMetric('RecordsFailed', MetricUnit.Count, failed);
      metrics.addMetric('RecordsProcessed', MetricUnit.Count, event.Records.length - failed);
      return response;
    });
}
