import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore } from '#shared/adapters/dynamodb/dynamo-lead-store.ts';
import { configuredIdentifierKeys } from '#shared/adapters/identifier-keys.ts';
import { replayDecision } from '#shared/use-cases/replay-decision.ts';
import {
  api,
  cloud,
  ensureDefaultPolicy,
  freshLead,
  localDynamoDb,
  submit,
  tableName,
  tokenFor,
  waitForEvaluation,
} from '#test/support/api.ts';

/** Replaying a decision from its recorded inputs and recorded policy version (scenario 18's basis). */

type Replay = {
  identical: boolean;
  policyFound: boolean;
  policyHashMatches: boolean;
  recorded: unknown;
  replayed: unknown;
};

const client = localDynamoDb();
let auditor: string;
let leadId: string;

beforeAll(async () => {
  await ensureDefaultPolicy(client);
  auditor = await tokenFor('auditor');
  const team = await tokenFor('sector:equipment');
  leadId = await submit(team, freshLead('equipment'));
  await waitForEvaluation(team, leadId);
});
afterAll(() => client.destroy());

describe('decision replay', () => {
  it('recomputes a recorded decision identically, byte for byte', async () => {
    const { status, body } = await api<Replay>('POST', `/leads/${leadId}/decisions/1/replay`, {
      token: auditor,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ identical: true, policyFound: true, policyHashMatches: true });
    expect(body.replayed).toEqual(body.recorded);
  });

  it('says not identical when the stored decision was changed after it was recorded', async () => {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName('LEADS_TABLE'),
        Key: marshall({ pk: `LEAD#${leadId}`, sk: 'DECISION#000001' }),
        UpdateExpression: 'SET #d.#r.#t = :text',
        ExpressionAttributeNames: { '#d': 'decision', '#r': 'referralReward', '#t': 'amountText' },
        ExpressionAttributeValues: marshall({ ':text': '9999万元' }),
      }),
    );
    const { body } = await api<Replay>('POST', `/leads/${leadId}/decisions/1/replay`, { token: auditor });
    expect(body).toMatchObject({ identical: false, policyFound: true, policyHashMatches: true });
  });

  it('says not identical, with nothing replayed, when the recorded policy version is not published', async () => {
    const leads = new DynamoLeadStore(
      client,
      tableName('LEADS_TABLE'),
      new DynamoAuditTrail(client, tableName('AUDIT_TABLE'), 'unused'),
    );
    const replay = await replayDecision(
      {
        leads,
        policies: { all: async () => [] },
        identifierKeys: configuredIdentifierKeys({ IDENTIFIER_KEYS: cloud.env.IDENTIFIER_KEYS }),
      },
      { leadId, revision: 1 },
    );
    expect(replay).toMatchObject({
      identical: false,
      policyFound: false,
      policyHashMatches: false,
      replayed: null,
    });
  });
});
