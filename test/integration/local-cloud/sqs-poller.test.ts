import { randomUUID } from 'node:crypto';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { jsonLog } from '#infra/local/log.ts';
import { type ProvisionedQueue, provisionQueues } from '#infra/local/provision.ts';
import { type SqsPoller, startSqsPoller } from '#infra/local/sqs-poller.ts';

/**
 * The poller on the real SQS server, with test-only queues and consumers created here (never in
 * `infra/resources.ts`): partial batch responses, redelivery after the visibility timeout, the redrive
 * to the dead-letter queue, and the event's shape as Lambda sends it.
 */

const cloud = inject('localCloud');
const region = cloud.env.AWS_REGION ?? 'cn-north-1';
const sqs = new SQSClient({
  endpoint: cloud.endpoints.sqs,
  region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const log = jsonLog('warn');
const pollers: SqsPoller[] = [];

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});
afterAll(() => sqs.destroy());

async function testQueue(maxReceiveCount: number, visibilityTimeoutSeconds = 2): Promise<ProvisionedQueue> {
  const id = `Test${randomUUID().slice(0, 8)}`;
  const [queue] = await provisionQueues(
    sqs,
    [
      {
        id,
        envVar: 'UNUSED',
        visibilityTimeoutSeconds,
        maxReceiveCount,
        retentionDays: 1,
        deadLetterQueue: { id: `${id}Dlq`, envVar: 'UNUSED_DLQ', retentionDays: 1 },
      },
    ],
    { log },
  );
  if (queue === undefined) throw new Error('no queue');
  return queue;
}

async function send(queue: ProvisionedQueue, bodies: readonly string[]) {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: bodies.map((body, index) => ({
        Id: String(index),
        MessageBody: body,
        MessageAttributes: {
          schemaVersion: { DataType: 'Number', StringValue: '1' },
          leadId: { DataType: 'String', StringValue: `lead-${body}` },
        },
      })),
    }),
  );
}

type Seen = { body: string; receiveCount: number; messageId: string };

function poll(
  queue: ProvisionedQueue,
  consumer: (event: SQSEvent) => Promise<unknown>,
  options: { batchSize?: number; windowSeconds?: number; waitTimeSeconds?: number } = {},
) {
  const poller = startSqsPoller({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    region,
    batchSize: options.batchSize ?? 10,
    maxBatchingWindowSeconds: options.windowSeconds ?? 0,
    waitTimeSeconds: options.waitTimeSeconds ?? 1,
    invoke: consumer,
    name: queue.name,
    log,
  });
  pollers.push(poller);
  return poller;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function depth(url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

function record(seen: Seen[], event: SQSEvent) {
  for (const item of event.Records) {
    seen.push({
      body: item.body,
      receiveCount: Number(item.attributes.ApproximateReceiveCount),
      messageId: item.messageId,
    });
  }
}

describe('the SQS poller', () => {
  it('builds the event Lambda sends: Powertools SqsSchema parses it, attributes in Lambda shape', async () => {
    const queue = await testQueue(5);
    const events: SQSEvent[] = [];
    poll(queue, async (event) => {
      events.push(event);
    });
    await send(queue, ['a', 'b']);
    await waitFor(() => events.flatMap((event) => event.Records).length >= 2);
    const parsed = SqsSchema.parse(events[0]);
    const first = parsed.Records[0];
    expect(first?.eventSource).toBe('aws:sqs');
    expect(first?.eventSourceARN).toBe(queue.arn);
    expect(first?.awsRegion).toBe(region);
    expect(first?.attributes.ApproximateReceiveCount).toBe('1');
    expect(first?.attributes.SentTimestamp).toMatch(/^\d+$/);
    expect(first?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(first?.messageAttributes.schemaVersion).toEqual({
      stringValue: '1',
      stringListValues: [],
      binaryListValues: [],
      dataType: 'Number',
    });
    await waitFor(async () => (await depth(queue.url)) === 0);
  });

  it('gets back only the record it reported failed, not the others of the batch', async () => {
    const queue = await testQueue(5);
    const seen: Seen[] = [];
    let failedOnce = false;
    poll(queue, async (event) => {
      record(seen, event);
      const poison = event.Records.find((item) => item.body === 'm3');
      if (poison !== undefined && !failedOnce) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: poison.messageId }] };
      }
      return { batchItemFailures: [] };
    });
    await send(queue, ['m1', 'm2', 'm3', 'm4', 'm5']);
    await waitFor(() => seen.filter((item) => item.body === 'm3').length === 2);
    // Long enough for any wrongly kept record to come back after the 2 s visibility timeout.
    await new Promise((resolve) => setTimeout(resolve, (cloud.visibilityTimeoutSeconds + 1) * 1000));
    const counts = Object.fromEntries(
      ['m1', 'm2', 'm3', 'm4', 'm5'].map((body) => [body, seen.filter((item) => item.body === body).length]),
    );
    expect(counts).toEqual({ m1: 1, m2: 1, m3: 2, m4: 1, m5: 1 });
    expect(seen.filter((item) => item.body === 'm3').map((item) => item.receiveCount)).toEqual([1, 2]);
    expect(await depth(queue.url)).toBe(0);
  });

  it('gets the whole batch back when the consumer throws', async () => {
    const queue = await testQueue(5);
    const seen: Seen[] = [];
    let invocations = 0;
    poll(queue, async (event) => {
      invocations += 1;
      record(seen, event);
      if (invocations === 1) throw new Error('consumer crashed');
    });
    await send(queue, ['t1', 't2', 't3']);
    await waitFor(() => seen.length >= 6);
    await waitFor(async () => (await depth(queue.url)) === 0);
    for (const body of ['t1', 't2', 't3']) {
      expect(seen.filter((item) => item.body === body).map((item) => item.receiveCount)).toEqual([1, 2]);
    }
  });

  it('sends a record that always fails to the dead-letter queue after maxReceiveCount receives', async () => {
    const maxReceiveCount = 3;
    const queue = await testQueue(maxReceiveCount);
    const seen: Seen[] = [];
    poll(queue, async (event) => {
      record(seen, event);
      return {
        batchItemFailures: event.Records.filter((item) => item.body === 'poison').map((item) => ({
          itemIdentifier: item.messageId,
        })),
      };
    });
    await send(queue, ['poison', 'good']);
    const dead: string[] = [];
    await waitFor(async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.deadLetterQueue.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        }),
      );
      dead.push(...(Messages ?? []).map((message) => message.Body ?? ''));
      return dead.length > 0;
    });
    expect(dead).toEqual(['poison']);
    expect(seen.filter((item) => item.body === 'poison').map((item) => item.receiveCount)).toEqual([1, 2, 3]);
    expect(seen.filter((item) => item.body === 'good')).toHaveLength(1);
    expect(await depth(queue.url)).toBe(0);
  });

  it('hands a message over when it arrives, not when the long poll ends (as SQS answers a long poll)', async () => {
    // local-aws-sqs holds a long poll until it can fill the whole request: the poller asks for one message.
    const queue = await testQueue(5, 30);
    const handed: number[] = [];
    poll(queue, async () => void handed.push(Date.now()), { waitTimeSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the poller is now inside its long poll
    const sentAt = Date.now();
    await send(queue, ['arrives']);
    await waitFor(() => handed.length > 0, 15_000);
    // Half the long poll at most: the old poller would have handed it over after about 9.5 s.
    expect((handed[0] as number) - sentAt).toBeLessThan(5_000);
  });

  it('takes every message already waiting into one batch', async () => {
    const queue = await testQueue(5);
    await send(queue, ['w1', 'w2', 'w3', 'w4', 'w5']);
    const events: SQSEvent[] = [];
    poll(queue, async (event) => void events.push(event));
    await waitFor(() => events.length > 0);
    expect(events[0]?.Records.map((item) => item.body).sort()).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
  });

  it('never hands the same message twice in one batch, even when the server returns it twice', async () => {
    // Visibility timeout equal to the poll wait: the setting where local-aws-sqs may return duplicates.
    const queue = await testQueue(10, 1);
    const events: SQSEvent[] = [];
    poll(
      queue,
      async (event) => {
        events.push(event);
      },
      { waitTimeSeconds: 1, windowSeconds: 2, batchSize: 10 },
    );
    await send(queue, ['d1']);
    await waitFor(() => events.length > 0);
    for (const event of events) {
      const ids = event.Records.map((item) => item.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
