import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { errorFields, type LocalLog } from './log.ts';

/**
 * One event-source mapping, run as Lambda's SQS poller runs it: long-poll the queue, gather up to
 * `batchSize` messages within the batching window, invoke the consumer with an SQS event, delete the
 * records that succeeded (all of them, or all but those in `batchItemFailures`), and leave failed ones
 * to come back after the visibility timeout, where the queue's redrive policy counts the receives.
 * A thrown error (or a malformed batch response) fails the whole batch: nothing is deleted.
 */

export interface SqsPollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Long-poll wait; keep it below the queue's visibility timeout (local-aws-sqs returns duplicates otherwise). */
  readonly waitTimeSeconds?: number;
  readonly invoke: (event: SQSEvent) => Promise<unknown>;
  readonly name: string;
  readonly log: LocalLog;
  /**
   * On stop, make the records this poller left failed (still invisible until their visibility timeout)
   * visible again at once, so a snapshot of the queue taken right after sees them. Lambda has no such
   * step; the local cloud uses it only before saving queues to a data dir.
   */
  readonly releaseFailedOnStop?: boolean;
}

export interface SqsPoller {
  readonly name: string;
  /** Number of consumer invocations so far. */
  readonly invocations: () => number;
  /** Finishes the invocation in flight (never abandons one), then stops polling. */
  stop(): Promise<void>;
}

type LambdaMessageAttribute = SQSRecord['messageAttributes'][string];

function toRecord(message: Message, options: SqsPollerOptions): SQSRecord {
  const source = message.Attributes ?? {};
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: source.ApproximateReceiveCount ?? '1',
    SentTimestamp: source.SentTimestamp ?? String(Date.now()),
    SenderId: source.SenderId ?? 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: source.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  };
  for (const optional of [
    'MessageDeduplicationId',
    'MessageGroupId',
    'SequenceNumber',
    'AWSTraceHeader',
    'DeadLetterQueueSourceArn',
  ] as const) {
    const value = source[optional];
    if (value !== undefined && value !== '') attributes[optional] = value;
  }
  const messageAttributes: Record<string, LambdaMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
      dataType: (value.DataType ?? 'String') as LambdaMessageAttribute['dataType'],
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: attributes as unknown as SQSRecord['attributes'],
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}

/** Lambda's reading of a partial batch response; `undefined` means "the whole batch failed". */
function failedIds(result: unknown, batch: readonly SQSRecord[]): Set<string> | undefined {
  if (result === undefined || result === null) return new Set();
  if (typeof result !== 'object' || !('batchItemFailures' in result)) return new Set();
  const failures = (result as { batchItemFailures: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const known = new Set(batch.map((record) => record.messageId));
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    // An empty, missing or unknown identifier makes Lambda treat the whole batch as failed.
    if (typeof id !== 'string' || !known.has(id)) return undefined;
    ids.add(id);
  }
  return ids;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

export function startSqsPoller(options: SqsPollerOptions): SqsPoller {
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;
  let running = true;
  let invocations = 0;
  let wake: (() => void) | undefined;
  /** Failed records still possibly invisible, newest receipt handle per message (bounded). */
  const leftFailed = new Map<string, SQSRecord>();

  /**
   * Stop aborts a long poll that is still waiting, so stopping is immediate. A message the server hands
   * out just as the poll is aborted stays invisible until its visibility timeout: harmless in memory,
   * so with `releaseFailedOnStop` (a data dir whose queues are saved) the poll is let finish instead.
   */
  const aborter = new AbortController();
  const receive = async (max: number, wait: number): Promise<Message[]> => {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: wait,
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      options.releaseFailedOnStop === true ? {} : { abortSignal: aborter.signal },
    );
    return received.Messages ?? [];
  };

  /** Gathers one batch: the first long poll, what is waiting besides, then more until batchSize or the batching window ends. */
  const gather = async (): Promise<SQSRecord[]> => {
    const byId = new Map<string, SQSRecord>();
    const add = (messages: readonly Message[]) => {
      // The same message twice in one receive (at-least-once): keep one record, with the newest handle.
      for (const message of messages) {
        const record = toRecord(message, options);
        byId.set(record.messageId, record);
      }
    };
    // The long poll asks for one message: local-aws-sqs holds a long poll until it can fill the whole
    // request (or the wait ends), where SQS answers as soon as a message is there. Asking for one makes
    // the local poll answer on arrival too; what else is already waiting is taken at once, as SQS would.
    add(await receive(1, waitTimeSeconds));
    if (byId.size === 0) return [];
    if (options.batchSize > 1) add(await receive(options.batchSize - 1, 0));
    const windowEnds = Date.now() + options.maxBatchingWindowSeconds * 1000;
    while (running && byId.size < options.batchSize && Date.now() < windowEnds) {
      const remaining = Math.ceil((windowEnds - Date.now()) / 1000);
      const more = await receive(
        options.batchSize - byId.size,
        Math.max(0, Math.min(waitTimeSeconds, remaining)),
      );
      if (more.length === 0 && remaining <= waitTimeSeconds) break;
      add(more);
    }
    return [...byId.values()];
  };

  const deleteRecords = async (records: readonly SQSRecord[]) => {
    for (const group of chunks(records, 10)) {
      const result = await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: group.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
      if ((result.Failed ?? []).length > 0) {
        options.log('warn', 'some deletes failed; those records will be delivered again', {
          poller: options.name,
          failed: result.Failed?.length,
        });
      }
    }
  };

  /** Received while stopping: hand the messages back at once rather than after the visibility timeout. */
  const release = async (records: readonly SQSRecord[]) => {
    for (const group of chunks(records, 10)) {
      await options.sqs
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: group.map((record, index) => ({
              Id: String(index),
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: 0,
            })),
          }),
        )
        .catch(() => undefined);
    }
  };

  const loop = async () => {
    while (running) {
      let batch: SQSRecord[];
      try {
        batch = await gather();
      } catch (error) {
        if (!running) break;
        options.log('warn', 'receive failed; retrying', { poller: options.name, ...errorFields(error) });
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 500);
        });
        continue;
      }
      if (batch.length === 0) continue;
      if (!running) {
        await release(batch);
        break;
      }
      invocations += 1;
      const requestId = randomUUID();
      let failed: Set<string> | undefined;
      try {
        const result = await options.invoke({ Records: batch });
        failed = failedIds(result, batch);
        if (failed === undefined) {
          options.log('warn', 'malformed batchItemFailures: the whole batch fails', {
            poller: options.name,
            requestId,
          });
        }
      } catch (error) {
        options.log('warn', 'consumer threw: the whole batch will be delivered again', {
          poller: options.name,
          requestId,
          records: batch.length,
          ...errorFields(error),
        });
      }
      if (failed === undefined) failed = new Set(batch.map((record) => record.messageId));
      if (failed.size === batch.length) {
        for (const record of batch) leftFailed.set(record.messageId, record);
        continue;
      }
      const succeeded = batch.filter((record) => !failed.has(record.messageId));
      for (const record of batch) {
        leftFailed.delete(record.messageId);
        if (failed.has(record.messageId)) leftFailed.set(record.messageId, record);
      }
      while (leftFailed.size > 1000) leftFailed.delete(leftFailed.keys().next().value as string);
      options.log('debug', 'batch done', {
        poller: options.name,
        requestId,
        records: batch.length,
        failed: failed.size,
      });
      try {
        await deleteRecords(succeeded);
      } catch (error) {
        options.log('warn', 'delete failed; records will be delivered again', {
          poller: options.name,
          ...errorFields(error),
        });
      }
    }
  };

  const done = loop().catch((error: unknown) => {
    options.log('error', 'poller crashed', { poller: options.name, ...errorFields(error) });
  });
  options.log('info', 'poller started', {
    poller: options.name,
    queueUrl: options.queueUrl,
    batchSize: options.batchSize,
  });

  return {
    name: options.name,
    invocations: () => invocations,
    stop: async () => {
      running = false;
      wake?.();
      aborter.abort();
      await done;
      if (options.releaseFailedOnStop === true) await release([...leftFailed.values()]);
      options.log('info', 'poller stopped', { poller: options.name, invocations });
    },
  };
}
