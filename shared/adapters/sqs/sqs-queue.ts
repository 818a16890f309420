import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type * as z from 'zod';

/**
 * A queue that accepts one message contract. The producer parses what it sends with the consumer's own
 * schema, so a message that breaks the contract fails here, not in the dead-letter queue.
 */
export class SqsQueue<TSchema extends z.ZodType> {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #schema: TSchema;

  constructor(client: SQSClient, queueUrl: string, schema: TSchema) {
    this.#client = client;
    this.#queueUrl = queueUrl;
    this.#schema = schema;
  }

  async send(message: z.input<TSchema>): Promise<void> {
    const body = this.#schema.parse(message);
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: JSON.stringify(body),
        MessageAttributes: {
          schemaVersion: {
            DataType: 'Number',
            StringValue: String((body as { schemaVersion?: number }).schemaVersion ?? 1),
          },
        },
      }),
    );
  }
}
