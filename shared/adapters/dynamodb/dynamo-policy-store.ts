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
  /**
   * Versions parsed before, by version id: a published version is never rewritten (`policyPut` puts it
   * only if absent), so its document is read and parsed once per process. The same parsed object also
   * keeps what the engine derives from it once (`perPolicy`: its rules, its hash).
   */
  readonly #parsed = new Map<string, Policy>();
  readonly #reuseParsed: boolean;

  /**
   * `reuseParsed: false` reads and parses every document on every call: for a replay, which proves what is
   * stored now (a document changed in the table since this process parsed it must not replay as intact).
   */
  constructor(client: DynamoDBClient, table: string, options: { readonly reuseParsed?: boolean } = {}) {
    this.#client = client;
    this.#table = table;
    this.#reuseParsed = options.reuseParsed ?? true;
  }

  /**
   * Every published version. Which versions there are is read each time (one may have been published a
   * moment ago, effective back to a lead's submission), keys only; the documents only when one is new.
   */
  async all(): Promise<readonly Policy[]> {
    if (!this.#reuseParsed) this.#parsed.clear();
    const versions: string[] = [];
    for await (const item of this.#query('sk')) versions.push(String(unmarshall(item).sk));
    if (versions.some((version) => !this.#parsed.has(version))) {
      for await (const item of this.#query()) {
        const { sk, document } = unmarshall(item);
        if (!this.#parsed.has(String(sk))) {
          this.#parsed.set(String(sk), PolicySchema.parse(JSON.parse(String(document))));
        }
      }
    }
    return versions.flatMap((version) => this.#parsed.get(version) ?? []);
  }

  #query(projection?: string) {
    return queryAll(this.#client, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': PARTITION }),
      ...(projection === undefined ? {} : { ProjectionExpression: projection }),
    });
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
