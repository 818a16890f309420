import { randomUUID } from 'node:crypto';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  type ScalarAttributeType,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionTables } from '#infra/local/provision.ts';
import { tables } from '#infra/resources.ts';
import { DynamoAuditTrail } from '#shared/adapters/dynamodb/dynamo-audit-trail.ts';
import { DynamoLeadStore, indexKeys, leadKey } from '#shared/adapters/dynamodb/dynamo-lead-store.ts';
import { backfillLeadList } from '#shared/adapters/dynamodb/lead-list-backfill.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { leadIdFor } from '#shared/domain/lead-outcome.ts';
import type { LeadRecord } from '#shared/schemas/lead-record.ts';
import { listLeads } from '#shared/use-cases/list-leads.ts';
import { receivedLeadRecord } from '#test/fixtures/lead-records.ts';
import { leadInFen } from '#test/fixtures/leads.ts';
import { localDynamoDb } from '#test/support/api.ts';

/**
 * Issue 18, part 4, on DynamoDB Local: GET /leads answers each page in at most three requests to DynamoDB,
 * however the leads spread over the months since 2019 (the month-by-month walk it replaced asked once per
 * month). A table of its own, made from the Leads definition of infra/resources.ts, so the leads listed
 * are exactly these; every command the store sends is counted by a middleware on the real client.
 */

const client = localDynamoDb();
const sent: string[] = [];
client.middlewareStack.add(
  (next, context) => async (args) => {
    sent.push(context.commandName ?? 'unknown');
    return next(args);
  },
  { step: 'initialize', name: 'countCommands' },
);
const table = `Leads-list-count-${randomUUID().slice(0, 8)}`;
const leads = new DynamoLeadStore(client, table, new DynamoAuditTrail(client, 'unused', 'unused'));

/** 60 leads, one every 48 days from 2019-01 to 2026-10 (gaps of empty months), two sectors. */
const stored: LeadRecord[] = Array.from({ length: 60 }, (_, index) => {
  const submittedAt = new Date(Date.UTC(2019, 0, 3) + index * 48 * 86_400_000).toISOString();
  const sector = index % 3 === 0 ? 'food' : 'equipment';
  return receivedLeadRecord(
    { ...leadInFen({ plannedFen: 12_000_000_000 }), sector },
    { leadId: leadIdFor('list-count', `${index}`), submittedAt, updatedAt: submittedAt, sector },
  );
});
const newestFirst = [...stored].reverse().map((lead) => lead.leadId);
const finance: Principal = { userId: 'finance-1', roles: ['finance'] };

function leadsTable() {
  const definition = tables.find((candidate) => candidate.id === 'Leads');
  if (definition === undefined) throw new Error('no Leads table in infra/resources.ts');
  return definition;
}

async function createTable(
  client: DynamoDBClient,
  name: string,
  withIndex: (indexName: string) => boolean = () => true,
): Promise<void> {
  const definition = leadsTable();
  const globalIndexes = definition.globalIndexes.filter((index) => withIndex(index.name));
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const attributes = new Map<string, AttributeDefinition>();
  for (const key of keys)
    attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type as ScalarAttributeType });
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes.values()],
      KeySchema: [
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: globalIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'projection' in index ? index.projection : 'ALL' },
      })),
    }),
  );
}

/** The lead item as the store writes it; `withoutListKeys`: as it was written before the index. */
async function put(lead: LeadRecord, withoutListKeys = false, into = table): Promise<void> {
  const { gsi4pk: _pk, gsi4sk: _sk, ...olderKeys } = indexKeys(lead);
  const keys = withoutListKeys ? olderKeys : indexKeys(lead);
  await client.send(
    new PutItemCommand({
      TableName: into,
      Item: marshall({ ...leadKey(lead.leadId), ...keys, ...lead }, { removeUndefinedValues: true }),
    }),
  );
}

/** Every page of a listing, with the commands each page sent. */
async function allPages(query: Parameters<typeof listLeads>[1]['query'], principal = finance) {
  const pages: { leadIds: string[]; commands: string[] }[] = [];
  let cursor: string | undefined;
  do {
    sent.length = 0;
    const page = await listLeads(
      { leads },
      { principal, query: { ...query, ...(cursor === undefined ? {} : { cursor }) } },
    );
    pages.push({ leadIds: page.items.map((item) => item.leadId), commands: [...sent] });
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 50);
  return pages;
}

beforeAll(async () => {
  await createTable(client, table);
  for (const lead of stored) await put(lead);
});
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: table }));
  client.destroy();
});

describe('GET /leads without filters, 60 leads over 2019-01 … 2026-10', () => {
  it('answers every page in at most three requests, newest first, all leads once', async () => {
    const pages = await allPages({ limit: 20 });
    for (const page of pages) expect(page.commands.length).toBeLessThanOrEqual(3);
    // A page of leads: one query of the key-only index, one BatchGetItem of the items.
    expect(pages[0]?.commands).toEqual(['QueryCommand', 'BatchGetItemCommand']);
    expect(pages.flatMap((page) => page.leadIds)).toEqual(newestFirst);
  });

  it('pages of one lead within a period (from, to) take the same two requests', async () => {
    const pages = await allPages({
      limit: 1,
      from: '2019-01-01T00:00:00.000Z',
      to: '2019-12-31T23:59:59.999Z',
    });
    const inRange = newestFirst.filter((leadId) => {
      const at = stored.find((lead) => lead.leadId === leadId)?.submittedAt ?? '';
      return at.startsWith('2019');
    });
    expect(pages.flatMap((page) => page.leadIds)).toEqual(inRange);
    for (const page of pages) expect(page.commands.length).toBeLessThanOrEqual(3);
  });

  it('a sector team without `sector` gets its sector’s list, each page in one query', async () => {
    const team: Principal = { userId: 'officer-food', roles: ['sector:food'] };
    const pages = await allPages({ limit: 7 }, team);
    const food = newestFirst.filter(
      (leadId) => stored.find((lead) => lead.leadId === leadId)?.sector === 'food',
    );
    expect(pages.flatMap((page) => page.leadIds)).toEqual(food);
    for (const page of pages) expect(page.commands).toEqual(['QueryCommand']);
  });

  it('lists a lead stored before the index once the backfill has given it the keys', async () => {
    const older = receivedLeadRecord(
      { ...leadInFen({ plannedFen: 12_000_000_000 }), sector: 'equipment' },
      {
        leadId: leadIdFor('list-count', 'older'),
        submittedAt: '2018-12-31T00:00:00.000Z',
        sector: 'equipment',
      },
    );
    await put(older, true);
    const before = await allPages({ limit: 100 });
    expect(before.flatMap((page) => page.leadIds)).not.toContain(older.leadId);
    expect(await backfillLeadList(client, table)).toEqual({ found: 1, updated: 1 });
    expect(await backfillLeadList(client, table)).toEqual({ found: 0, updated: 0 });
    const after = await allPages({ limit: 100 });
    expect(after.flatMap((page) => page.leadIds)).toEqual([...newestFirst, older.leadId]);
  });

  it('a table kept from before the index (a local data dir) gets it at start; the backfill lists its leads', async () => {
    const kept = `Leads-kept-${randomUUID().slice(0, 8)}`;
    await createTable(client, kept, (index) => index !== 'newestFirst');
    try {
      const old = stored.slice(0, 2);
      for (const lead of old) await put(lead, true, kept);
      const provisioned = await provisionTables(client, [{ ...leadsTable(), id: kept }], () => undefined);
      expect(provisioned.kept).toEqual([kept]);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: kept }));
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toContain('newestFirst');
      expect(await backfillLeadList(client, kept)).toEqual({ found: 2, updated: 2 });
      const store = new DynamoLeadStore(client, kept, new DynamoAuditTrail(client, 'unused', 'unused'));
      const page = await listLeads({ leads: store }, { principal: finance, query: { limit: 20 } });
      expect(page.items.map((item) => item.leadId)).toEqual(old.map((lead) => lead.leadId).reverse());
    } finally {
      await client.send(new DeleteTableCommand({ TableName: kept }));
    }
  });
});
