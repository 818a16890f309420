import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  queues as queueDefinitions,
  secrets as secretDefinitions,
  tables as tableDefinitions,
} from '#infra/resources.ts';
import { parseIdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import {
  asArray,
  logicalIdOf,
  removeSynthesis,
  resourcesOfType,
  STATEFUL_LOGICAL_IDS,
  type Synthesized,
  synthesizeApp,
} from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  // Nothing here reads the bundles (service-stack.test.ts does): skip esbuild, the slow part of synth.
  synth = synthesizeApp({ bundle: false });
}, 120_000);
afterAll(() => removeSynthesis(synth));

describe('data stack', () => {
  it('keeps the logical ids of every table and queue stable', () => {
    const ids = [
      ...resourcesOfType(synth.dataJson, 'AWS::DynamoDB::Table'),
      ...resourcesOfType(synth.dataJson, 'AWS::SQS::Queue'),
    ]
      .map(([logicalId]) => logicalId)
      .sort();
    expect(ids).toEqual(STATEFUL_LOGICAL_IDS);
  });

  it('builds one table per definition: on-demand, PITR, deletion protection, encrypted, retained, no physical name', () => {
    const tables = resourcesOfType(synth.dataJson, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(tableDefinitions.length);
    for (const definition of tableDefinitions) {
      const table = synth.stacks.data.tables.get(definition.id);
      expect(table, definition.id).toBeDefined();
      const resource = synth.dataJson.Resources[logicalIdOf(table as NonNullable<typeof table>)];
      const props = resource?.Properties ?? {};
      expect(resource?.DeletionPolicy, definition.id).toBe('Retain');
      expect(resource?.UpdateReplacePolicy, definition.id).toBe('Retain');
      expect(props.BillingMode).toBe('PAY_PER_REQUEST');
      expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(props.DeletionProtectionEnabled).toBe(true);
      expect(props.SSESpecification).toMatchObject({ SSEEnabled: true });
      expect(props.TableName).toBeUndefined();
      expect(props.ProvisionedThroughput).toBeUndefined();
    }
  });

  it('gives every table the keys, indexes and TTL of its definition', () => {
    for (const definition of tableDefinitions) {
      const table = synth.stacks.data.tables.get(definition.id);
      const props =
        synth.dataJson.Resources[logicalIdOf(table as NonNullable<typeof table>)]?.Properties ?? {};
      const keySchema = [
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        ...('sortKey' in definition && definition.sortKey
          ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }]
          : []),
      ];
      expect(props.KeySchema, definition.id).toEqual(keySchema);
      const indexes = asArray(props.GlobalSecondaryIndexes as { IndexName: string }[] | undefined);
      expect(indexes.map((index) => index.IndexName).sort(), definition.id).toEqual(
        definition.globalIndexes.map((index) => index.name).sort(),
      );
      const ttl = 'ttlAttribute' in definition ? definition.ttlAttribute : undefined;
      if (ttl) {
        expect(props.TimeToLiveSpecification).toEqual({ AttributeName: ttl, Enabled: true });
      } else {
        expect(props.TimeToLiveSpecification).toBeUndefined();
      }
    }
  });

  it('encrypts every queue, names none, and gives each source queue its own dead-letter queue', () => {
    const queues = resourcesOfType(synth.dataJson, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(queueDefinitions.length * 2);
    for (const [logicalId, queue] of queues) {
      const props = queue.Properties ?? {};
      expect(props.SqsManagedSseEnabled === true || props.KmsMasterKeyId !== undefined, logicalId).toBe(true);
      expect(props.QueueName, logicalId).toBeUndefined();
    }
    const dlqIds = new Set<string>();
    for (const definition of queueDefinitions) {
      const queue = synth.stacks.data.queues.get(definition.id);
      const dlq = synth.stacks.data.deadLetterQueues.get(definition.id);
      expect(queue && dlq, definition.id).toBeTruthy();
      const dlqId = logicalIdOf(dlq as NonNullable<typeof dlq>);
      expect(dlqIds.has(dlqId), 'one DLQ per queue').toBe(false);
      dlqIds.add(dlqId);
      const props =
        synth.dataJson.Resources[logicalIdOf(queue as NonNullable<typeof queue>)]?.Properties ?? {};
      expect(props.VisibilityTimeout).toBe(definition.visibilityTimeoutSeconds);
      expect(props.MessageRetentionPeriod).toBe(definition.retentionDays * 86_400);
      expect(props.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: definition.maxReceiveCount,
      });
      expect(definition.maxReceiveCount).toBeGreaterThanOrEqual(5);
      const dlqProps = synth.dataJson.Resources[dlqId]?.Properties ?? {};
      expect(dlqProps.MessageRetentionPeriod).toBe(definition.deadLetterQueue.retentionDays * 86_400);
    }
  });

  it('denies every non-TLS request on every queue, dead-letter queues included', () => {
    const policies = resourcesOfType(synth.dataJson, 'AWS::SQS::QueuePolicy');
    for (const [logicalId] of resourcesOfType(synth.dataJson, 'AWS::SQS::Queue')) {
      const denying = policies.filter(([, policy]) => {
        const props = policy.Properties ?? {};
        const onQueue = JSON.stringify(props.Queues).includes(`"${logicalId}"`);
        const statements = asArray(
          (props.PolicyDocument as { Statement?: Record<string, unknown>[] } | undefined)?.Statement,
        );
        return (
          onQueue &&
          statements.some(
            (s) =>
              s.Effect === 'Deny' &&
              JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          )
        );
      });
      expect(denying.length, logicalId).toBe(1);
    }
  });

  it('outputs every table name', () => {
    for (const definition of tableDefinitions) {
      expect(Object.keys(synth.dataJson.Outputs ?? {})).toContain(`${definition.id}TableName`);
    }
  });

  it('keeps the identifier keyring in a retained secret with a stable logical id, generated as a keyring', () => {
    // A new logical id would make CloudFormation generate a new key: every recorded input hash would then
    // be unverifiable. Update only on purpose.
    expect(resourcesOfType(synth.dataJson, 'AWS::SecretsManager::Secret').map(([id]) => id)).toEqual([
      'IdentifierKeysSecret7CA41C2D',
    ]);
    for (const definition of secretDefinitions) {
      const secret = synth.stacks.data.secrets.get(definition.id);
      const resource = synth.dataJson.Resources[logicalIdOf(secret as NonNullable<typeof secret>)];
      expect(resource?.DeletionPolicy).toBe('Retain');
      expect(resource?.UpdateReplacePolicy).toBe('Retain');
      const generate = resource?.Properties?.GenerateSecretString as Record<string, unknown>;
      expect(generate).toMatchObject({ ExcludePunctuation: true, GenerateStringKey: 'k1' });
      expect(generate.PasswordLength).toBeGreaterThanOrEqual(32);
      // What Secrets Manager will store parses as a keyring whose current key is the generated one.
      const generated = {
        ...(JSON.parse(generate.SecretStringTemplate as string) as Record<string, string>),
        k1: 'x'.repeat(generate.PasswordLength as number),
      };
      expect(parseIdentifierKeyring(JSON.stringify(generated)).current.keyId).toBe('k1');
      expect(Object.keys(synth.dataJson.Outputs ?? {})).toContain(`${definition.id}SecretArn`);
    }
  });
});
