/**
 * What DynamoDB Local itself costs per call on this machine, apart from the pipeline: the JVM's CPU per
 * audited TransactWriteItems (an audit entry with its three index keys, the chain head and two items of the
 * Leads table with their index keys, as the pipeline writes them) and per consistent GetItem of a lead.
 * Together with the pipeline's calls per lead this gives the least CPU a lead costs in DynamoDB Local
 * alone, whatever our own code does: the ceiling the local pipeline is measured against.
 *
 * The tables are the real ones (infra/resources.ts, created as the local cloud creates them); each of the
 * concurrent writers appends to a chain of its own, as the sharded trail's writers do, so nothing is
 * cancelled and every call is one unit of work.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startDynamoDbLocal } from '../infra/local/engines/dynamodb-local.ts';
import { provisionTables } from '../infra/local/provision.ts';
import { tables } from '../infra/resources.ts';
import { processCpuSeconds } from './lib/process-cpu.ts';

export interface DynamoDbLocalCosts {
  readonly writers: number;
  /** Each round: calls done, wall seconds, JVM CPU seconds. */
  readonly transactions: readonly Round[];
  readonly gets: readonly Round[];
  /** Medians over the rounds: JVM CPU milliseconds per call. */
  readonly cpuMsPerTransaction: number;
  readonly cpuMsPerGet: number;
}

interface Round {
  readonly calls: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const region = 'cn-north-1';
/** About the size of a stored lead and of an audit entry's hashed content. */
const DETAILS = 'x'.repeat(900);

export async function runDynamoDbLocalCosts(options: {
  readonly writers: number;
  readonly callsPerRound: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}): Promise<DynamoDbLocalCosts> {
  const quiet = () => undefined;
  const engine = await startDynamoDbLocal({ region, credentials, log: quiet });
  const client = new DynamoDBClient({ endpoint: engine.endpoint, region, credentials });
  try {
    await provisionTables(client, tables, quiet);
    const cpu = () => processCpuSeconds(engine.pid);
    const perWriter = Math.ceil(options.callsPerRound / options.writers);
    const chains = Array.from({ length: options.writers }, () => ({ chain: randomUUID(), seq: 0 }));
    const leadIds: string[] = [];

    const transactionRound = async (): Promise<Round> =>
      measured(cpu, options.writers * perWriter, () =>
        Promise.all(
          chains.map(async (writer) => {
            for (let call = 0; call < perWriter; call += 1) {
              writer.seq += 1;
              const leadId = randomUUID();
              leadIds.push(leadId);
              await client.send(
                new TransactWriteItemsCommand({ TransactItems: auditedWrite(writer, leadId) }),
              );
            }
          }),
        ),
      );
    const getRound = async (): Promise<Round> =>
      measured(cpu, options.writers * perWriter, () =>
        Promise.all(
          chains.map(async (_, writer) => {
            for (let call = 0; call < perWriter; call += 1) {
              const leadId = leadIds[(writer * perWriter + call) % leadIds.length] as string;
              await client.send(
                new GetItemCommand({
                  TableName: 'Leads',
                  Key: marshall({ pk: `LEAD#${leadId}`, sk: 'LEAD' }),
                  ConsistentRead: true,
                }),
              );
            }
          }),
        ),
      );

    options.log('  DynamoDB Local alone: warming up…');
    await transactionRound();
    await getRound();
    const transactions: Round[] = [];
    const gets: Round[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      transactions.push(await transactionRound());
      gets.push(await getRound());
    }
    return {
      writers: options.writers,
      transactions,
      gets,
      cpuMsPerTransaction: median(transactions.map(cpuMsPerCall)),
      cpuMsPerGet: median(gets.map(cpuMsPerCall)),
    };
  } finally {
    client.destroy();
    await engine.stop();
  }
}

/** One audited write as the pipeline makes it: entry, head, the lead and its pending-work mark. */
function auditedWrite(writer: { chain: string; seq: number }, leadId: string) {
  const at = new Date().toISOString();
  const submittedAt = `${at}#${leadId}`;
  return [
    {
      Put: {
        TableName: 'Audit',
        Item: marshall({
          pk: `CHAIN#${writer.chain}`,
          seq: writer.seq,
          chain: writer.chain,
          subject: leadId,
          actorId: 'bench',
          action: 'lead.submitted',
          at,
          details: DETAILS,
          hash: 'a'.repeat(64),
          prevHash: 'b'.repeat(64),
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: 'Audit',
        Item: marshall({
          pk: `HEAD#${writer.chain}`,
          seq: 0,
          lastSeq: writer.seq,
          lastHash: 'a'.repeat(64),
          at,
        }),
        ...(writer.seq === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'lastSeq = :previous',
              ExpressionAttributeValues: marshall({ ':previous': writer.seq - 1 }),
            }),
      },
    },
    {
      Put: {
        TableName: 'Leads',
        Item: marshall({
          pk: `LEAD#${leadId}`,
          sk: 'LEAD',
          gsi1pk: 'SECTOR#food',
          gsi1sk: submittedAt,
          gsi2pk: 'STATUS#RECEIVED',
          gsi2sk: submittedAt,
          gsi3pk: `MONTH#${at.slice(0, 7)}`,
          gsi3sk: submittedAt,
          gsi4pk: 'LEADS',
          gsi4sk: submittedAt,
          details: DETAILS,
          version: 1,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: 'Leads',
        Item: marshall({
          pk: `LEAD#${leadId}`,
          sk: 'PENDING#EVALUATION',
          pendingKind: 'EVALUATION',
          pendingOrder: submittedAt,
        }),
      },
    },
  ];
}

async function measured(cpu: () => number, calls: number, run: () => Promise<unknown>): Promise<Round> {
  const cpuBefore = cpu();
  const started = performance.now();
  await run();
  return { calls, seconds: (performance.now() - started) / 1000, cpuSeconds: cpu() - cpuBefore };
}

const cpuMsPerCall = (round: Round) => (round.cpuSeconds * 1000) / round.calls;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
