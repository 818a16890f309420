import {
  DeleteMessageCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface RedriveResult {
  readonly moved: number;
}

/**
 * Moves every message of a dead-letter queue back to its source queue, once the cause is fixed. Each
 * message is sent before it is deleted, so a crash in between leaves a duplicate (which the idempotent
 * consumers absorb), never a loss.
 */
export async function redriveDeadLetters(
  client: SQSClient,
  from: { deadLetterQueueUrl: string; sourceQueueUrl: string },
  limit = 10_000,
): Promise<RedriveResult> {
  let moved = 0;
  while (moved < limit) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: from.deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: from.sourceQueueUrl,
          MessageBody: message.Body ?? '',
          MessageAttributes: message.MessageAttributes as Record<string, MessageAttributeValue> | undefined,
        }),
      );
      await client.send(
        new DeleteMessageCommand({ QueueUrl: from.deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      moved += 1;
    }
  }
  return { moved };
}
