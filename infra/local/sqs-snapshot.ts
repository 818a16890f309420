import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LocalLog } from './log.ts';

/**
 * local-aws-sqs keeps messages in memory only. With a data dir, the local cloud saves the queued
 * messages on a clean stop (after the pollers have finished and handed back their failed records) to
 * `<dataDir>/sqs/messages.json`, and sends them again on the next start. What this does NOT keep:
 * the receive count (a restored message starts again at 1, so its maxReceiveCount budget is reset),
 * the message id, delays and timestamps. A crash or `kill -9` saves nothing: the work whose message was
 * lost still waits in DynamoDB (which does persist), and the reconciler sends it again as the stack starts.
 */

interface SavedMessage {
  readonly body: string;
  readonly attributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

type Saved = Record<string, SavedMessage[]>;

const fileOf = (dataDir: string) => join(resolve(dataDir, 'sqs'), 'messages.json');

export async function saveQueuedMessages(
  sqs: SQSClient,
  queues: readonly { readonly name: string; readonly url: string }[],
  dataDir: string,
  log: LocalLog,
): Promise<void> {
  const saved: Saved = {};
  let total = 0;
  for (const queue of queues) {
    const messages: SavedMessage[] = [];
    const seen = new Set<string>();
    for (;;) {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 3600,
          MessageAttributeNames: ['All'],
        }),
      );
      const batch = received.Messages ?? [];
      if (batch.length === 0) break;
      for (const message of batch) {
        if (message.MessageId === undefined || seen.has(message.MessageId)) continue;
        seen.add(message.MessageId);
        const attributes: SavedMessage['attributes'] = {};
        for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
          attributes[name] = {
            DataType: value.DataType ?? 'String',
            ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
            ...(value.BinaryValue === undefined
              ? {}
              : { BinaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
          };
        }
        messages.push({
          body: message.Body ?? '',
          ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
        });
      }
    }
    if (messages.length > 0) saved[queue.name] = messages;
    total += messages.length;
  }
  const file = fileOf(dataDir);
  mkdirSync(resolve(dataDir, 'sqs'), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(saved));
  renameSync(`${file}.tmp`, file);
  log('info', 'queued messages saved to the data dir', { file, messages: total });
}

/** Sends the saved messages again (at least once: a crash mid-restore may send some twice). */
export async function restoreQueuedMessages(
  sqs: SQSClient,
  queues: readonly { readonly name: string; readonly url: string }[],
  dataDir: string,
  log: LocalLog,
): Promise<void> {
  const file = fileOf(dataDir);
  const restoring = `${file}.restoring`;
  if (existsSync(file)) renameSync(file, restoring);
  if (!existsSync(restoring)) return;
  const saved = JSON.parse(readFileSync(restoring, 'utf8')) as Saved;
  let total = 0;
  for (const [name, messages] of Object.entries(saved)) {
    const queue = queues.find((candidate) => candidate.name === name);
    if (queue === undefined) {
      log('warn', 'saved messages for a queue that no longer exists were dropped', {
        queue: name,
        messages: messages.length,
      });
      continue;
    }
    for (let index = 0; index < messages.length; index += 10) {
      const group = messages.slice(index, index + 10);
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: group.map((message, position) => ({
            Id: String(position),
            MessageBody: message.body,
            ...(message.attributes === undefined
              ? {}
              : {
                  MessageAttributes: Object.fromEntries(
                    Object.entries(message.attributes).map(
                      ([key, value]): [string, MessageAttributeValue] => [
                        key,
                        {
                          DataType: value.DataType,
                          ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
                          ...(value.BinaryValue === undefined
                            ? {}
                            : { BinaryValue: Buffer.from(value.BinaryValue, 'base64') }),
                        },
                      ],
                    ),
                  ),
                }),
          })),
        }),
      );
    }
    total += messages.length;
  }
  rmSync(restoring);
  log('info', 'queued messages restored from the data dir', { messages: total });
}
