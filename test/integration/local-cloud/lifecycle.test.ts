import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '#infra/local/local-cloud.ts';
import { jsonLog } from '#infra/local/log.ts';
import { tables } from '#infra/resources.ts';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from '#shared/adapters/dynamodb/dynamo-lead-store.ts';
import { DynamoPolicyStore } from '#shared/adapters/dynamodb/dynamo-policy-store.ts';
import { sha256Hex } from '#shared/domain/canonical-json.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { receivedAuditDraft, receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { leadInFen } from '#test/fixtures/leads.ts';
import { eventually } from '#test/support/api.ts';

/**
 * A second, private local cloud on a temporary data dir: its Java process is gone after stop, and a
 * restart on the same dir keeps the tables' items and the queued messages (including one a consumer had
 * just failed, still invisible when the stack stopped), and sends again, as it starts, the work its
 * tables show waiting (a lead whose message was never sent).
 */

const dataDir = mkdtempSync(join(tmpdir(), 'local-cloud-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const testQueue = {
  id: 'LifecycleTest',
  envVar: 'LIFECYCLE_TEST_QUEUE_URL',
  visibilityTimeoutSeconds: 30,
  maxReceiveCount: 5,
  retentionDays: 1,
  deadLetterQueue: { id: 'LifecycleTestDlq', envVar: 'LIFECYCLE_TEST_DLQ_URL', retentionDays: 1 },
} as const;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ESRCH');
    return false;
  }
}

/** The leads and policies of a stack, built by hand on its endpoint (no handler module is loaded). */
function storesOn(cloud: LocalCloud) {
  const client = new DynamoDBClient({
    endpoint: cloud.endpoints.dynamodb,
    region: 'cn-north-1',
    credentials,
  });
  const audit = new DynamoAuditTrail(client, cloud.env.AUDIT_TABLE as string, 'main');
  return {
    client,
    leads: new DynamoLeadStore(client, cloud.env.LEADS_TABLE as string, audit),
    policies: new DynamoPolicyStore(client, cloud.env.REFERENCE_TABLE as string),
  };
}

async function start(extra: Partial<LocalCloudOptions> = {}): Promise<LocalCloud> {
  // No scheduled functions unless asked: a handler module, once loaded, keeps the endpoints of the stack that
  // loaded it (in this process), so only the last stack may load one.
  return startLocalCloud({
    port: 0,
    dataDir,
    log: jsonLog('warn'),
    extraQueues: [testQueue],
    schedules: false,
    ...extra,
  });
}

// Any table of the definition will do; its key is built from the definition, so this test never drifts.
const table = tables[0];
const key: Record<string, AttributeValue> = {
  [table.partitionKey.name]: table.partitionKey.type === 'S' ? { S: 'LIFECYCLE#1' } : { N: '1' },
  ...('sortKey' in table && table.sortKey !== undefined
    ? { [table.sortKey.name]: table.sortKey.type === 'S' ? { S: 'ITEM' } : { N: '1' } }
    : {}),
};

describe('the local cloud lifecycle', () => {
  it('leaves no Java process after stop, keeps items and queued messages across a restart on a data dir, and sends again what its tables show waiting', async () => {
    let failedOnce = false;
    const first = await start({
      extraEventSources: [
        {
          queueId: testQueue.id,
          batchSize: 10,
          maxBatchingWindowSeconds: 0,
          fn: {
            id: 'lifecycle-consumer',
            timeoutSeconds: 5,
            handler: async (event: unknown) => {
              failedOnce = true;
              const records = (event as { Records: { messageId: string }[] }).Records;
              return { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) };
            },
          },
        },
      ],
    });
    const pid = first.pids.dynamodb;
    expect(isAlive(pid)).toBe(true);
    expect(existsSync(join(dataDir, 'dev-identity', 'signing-key.json'))).toBe(true);

    const dynamo = new DynamoDBClient({
      endpoint: first.endpoints.dynamodb,
      region: 'cn-north-1',
      credentials,
    });
    await dynamo.send(
      new PutItemCommand({ TableName: first.tables[table.id], Item: { ...key, note: { S: 'kept' } } }),
    );
    dynamo.destroy();

    // A lead stored and its message never sent, as when the stack is killed between the two.
    const stores = storesOn(first);
    await stores.policies.publish(DEFAULT_POLICY);
    const received = receivedLeadRecord(leadInFen({ plannedFen: 12_000_000_000 }));
    const waiting = { ...received, projectKey: sha256Hex(`project-${received.leadId}`) };
    expect(await stores.leads.create(waiting, receivedAuditDraft(waiting))).toBe('created');
    stores.client.destroy();

    const queueUrl = first.env[testQueue.envVar];
    expect(queueUrl).toBeDefined();
    const sqs = new SQSClient({ endpoint: first.endpoints.sqs, region: 'cn-north-1', credentials });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'pending-1',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    sqs.destroy();
    // The consumer fails it: it is now invisible for 30 s, when the stack stops.
    await expect.poll(() => failedOnce, { timeout: 10_000 }).toBe(true);

    await first.stop();
    expect(isAlive(pid)).toBe(false);

    // With its scheduled functions: the reconciler runs once as the stack starts.
    const second = await start({ schedules: true });
    try {
      expect(second.pids.dynamodb).not.toBe(pid);
      const dynamoAgain = new DynamoDBClient({
        endpoint: second.endpoints.dynamodb,
        region: 'cn-north-1',
        credentials,
      });
      const { Item } = await dynamoAgain.send(
        new GetItemCommand({ TableName: second.tables[table.id], Key: key }),
      );
      dynamoAgain.destroy();
      expect(Item?.note).toEqual({ S: 'kept' });

      const sqsAgain = new SQSClient({ endpoint: second.endpoints.sqs, region: 'cn-north-1', credentials });
      const { Messages } = await sqsAgain.send(
        new ReceiveMessageCommand({
          QueueUrl: second.env[testQueue.envVar],
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      );
      sqsAgain.destroy();
      expect(Messages?.map((message) => message.Body)).toEqual(['pending-1']);
      expect(Messages?.[0]?.MessageAttributes?.kind?.StringValue).toBe('test');

      // Seconds old, far younger than the reconciler's setting, and no timed round has come yet.
      const storesAgain = storesOn(second);
      const evaluated = await eventually(async () => {
        const stored = await storesAgain.leads.get(waiting.leadId);
        return stored?.latestRevision === 1 ? stored : undefined;
      });
      storesAgain.client.destroy();
      expect(evaluated.status).toBe('PENDING_FINANCE');
    } finally {
      await second.stop();
    }
    expect(isAlive(second.pids.dynamodb)).toBe(false);
  });
});
