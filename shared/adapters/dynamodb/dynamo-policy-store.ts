import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type Policy, PolicySchema } from '#shared/policy/policy-schema.ts';
import type { PolicyStore } from '#shared/ports/policies.ts';
import { queryAll } from './query-pages.ts';

const PARTITION = 'POLICY';

/**
 * The one place that knows how a policy version is stored: one item per version, the document as its
 * JSON text, put only if that version is not there yet (also used inside audited transactions).
 */
export function policyPut(table: string, policy: Policy) {
  return {
    TableName: table,
    Item: marshall({
      pk: PARTITION,
      sk: policy.version,
      effectiveFrom: policy.effectiveFrom,
      document: JSON.stringify(policy),
    }),
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/**
 * Published policy versions in the reference table, one item per version, never overwritten. The
 * document is kept as its JSON text, so it reads back exactly as published (and hashes the same).
 */
export class DynamoPolicyStore implements PolicyStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  async all(): Promise<readonly Policy[]> {
    const policies: Policy[] = [];
    const items = queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': PARTITION }),
    });
    for await (const item of items) {
      policies.push(PolicySchema.parse(JSON.parse(String(unmarshall(item).document))));
    }
    return policies;
  }

  async publish(policy: Policy): Promise<'published' | 'version_exists'> {
    try {
      await this.#client.send(new PutItemCommand(policyPut(this.#table, policy)));
      return 'published';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'version_exists';
      throw error;
    }
  }
}
