import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { PROJECTS_PER_GET, type ProjectStore, type SupervisionStore } from '#shared/ports/projects.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import {
  type PlanRecord,
  PlanRecordSchema,
  type ProgressEntry,
  ProgressEntrySchema,
  type ProjectRecord,
  ProjectRecordSchema,
  type StageEvent,
  StageEventSchema,
  type SupervisionItem,
  SupervisionItemSchema,
} from '#shared/schemas/projects.ts';
import { batchGet } from './batch-get.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { queryAll } from './query-pages.ts';
import { recordOf } from './stored-item.ts';
import { TransactionConditionFailedError } from './transactions.ts';

/**
 * The Projects table (infra/resources.ts), the one place that knows its key formats:
 *
 * | item | pk | sk | bySector (gsi1) | bySeries (gsi2) |
 * | --- | --- | --- | --- | --- |
 * | project | `PROJECT#<id>` | `PROJECT` | `PROJECTS#<sector>`, `<createdAt>#<id>` | `PROJECTS`, same |
 * | stage event | `PROJECT#<id>` | `STAGE#<seq>` | | |
 * | plan revision | `PROJECT#<id>` | `PLAN#<year>#<rev>` | | `PLANS#<year>`, `<id>#<rev>` |
 * | monthly entry | `PROJECT#<id>` | `PROGRESS#<month>#<seq>` | | `PROGRESS#<year>`, `<id>#<month>#<seq>` |
 * | lead link | `LEADLINK#<leadId>` | `LINK` | | |
 * | supervision item | `SUPERVISION#<id>` | `ITEM` | `SUPERVISION#<sector>`, `<openedOn>#<id>` | `SUPERVISION#<status>`, same |
 *
 * Plan revisions, monthly entries and stage events are put under `attribute_not_exists` and never
 * changed; the project item and a supervision item are rewritten only over the version they were read at.
 */

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const projectPk = (projectId: string) => `PROJECT#${projectId}`;
const PROJECT_SK = 'PROJECT';
const ALL_PROJECTS = 'PROJECTS';
const supervisionKey = (itemId: string) => ({ pk: `SUPERVISION#${itemId}`, sk: 'ITEM' });

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'];

const fromItem = <T>(item: Record<string, AttributeValue>, schema: { parse: (value: unknown) => T }): T =>
  recordOf(item, schema, KEY_ATTRIBUTES);

function projectItem(project: ProjectRecord) {
  const order = `${project.createdAt}#${project.projectId}`;
  return marshall(
    {
      pk: projectPk(project.projectId),
      sk: PROJECT_SK,
      gsi1pk: `PROJECTS#${project.sector}`,
      gsi1sk: order,
      gsi2pk: ALL_PROJECTS,
      gsi2sk: order,
      ...project,
    },
    { removeUndefinedValues: true },
  );
}

function eventPut(table: string, event: StageEvent): TransactWriteItem {
  return putNew(
    table,
    marshall({ pk: projectPk(event.projectId), sk: `STAGE#${pad(event.seq, 6)}`, ...event }),
  );
}

function supervisionItem(item: SupervisionItem) {
  const order = `${item.openedOn}#${item.itemId}`;
  return marshall({
    ...supervisionKey(item.itemId),
    gsi1pk: `SUPERVISION#${item.sector}`,
    gsi1sk: order,
    gsi2pk: `SUPERVISION#${item.status}`,
    gsi2sk: order,
    ...item,
  });
}

async function getItem(
  client: DynamoDBClient,
  table: string,
  key: { pk: string; sk: string },
): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: table, Key: marshall(key), ConsistentRead: true }),
  );
  return Item;
}

const INDEX_KEYS = { bySector: ['gsi1pk', 'gsi1sk'], bySeries: ['gsi2pk', 'gsi2sk'] } as const;

/** Every item of a partition (of the table or an index), optionally those whose sort key has a prefix. */
async function queryItems<T>(
  client: DynamoDBClient,
  table: string,
  input: { index?: keyof typeof INDEX_KEYS; pk: string; skPrefix?: string },
  schema: { parse: (value: unknown) => T },
  onItem?: (item: T) => void,
): Promise<T[]> {
  const [pkName, skName] = input.index === undefined ? ['pk', 'sk'] : INDEX_KEYS[input.index];
  const values: Record<string, string> = { ':pk': input.pk };
  let condition = '#pk = :pk';
  if (input.skPrefix !== undefined) {
    values[':prefix'] = input.skPrefix;
    condition += ' AND begins_with(#sk, :prefix)';
  }
  const results: T[] = [];
  const items = queryAll(client, {
    TableName: table,
    IndexName: input.index,
    KeyConditionExpression: condition,
    ExpressionAttributeNames: { '#pk': pkName, ...(input.skPrefix === undefined ? {} : { '#sk': skName }) },
    ExpressionAttributeValues: marshall(values),
    // Reads of the table itself see every acknowledged write; an index follows a moment later.
    ConsistentRead: input.index === undefined ? true : undefined,
  });
  for await (const item of items) {
    const parsed = fromItem(item, schema);
    results.push(parsed);
    onItem?.(parsed);
  }
  return results;
}

/** The items with the audit entry, all or nothing; a failed condition is a `conflict`, not an error. */
async function writeAudited(
  audit: DynamoAuditTrail,
  entry: AuditEntryDraft,
  items: TransactWriteItem[],
): Promise<'applied' | 'conflict'> {
  try {
    await audit.appendWithin(entry, items);
    return 'applied';
  } catch (error) {
    if (error instanceof TransactionConditionFailedError) return 'conflict';
    throw error;
  }
}

function putNew(table: string, item: Record<string, AttributeValue>): TransactWriteItem {
  return { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

function putOver(
  table: string,
  item: Record<string, AttributeValue>,
  previousVersion: number,
): TransactWriteItem {
  return {
    Put: {
      TableName: table,
      Item: item,
      ConditionExpression: 'version = :previous',
      ExpressionAttributeValues: marshall({ ':previous': previousVersion }),
    },
  };
}

export class DynamoProjectStore implements ProjectStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
  }

  async get(projectId: string): Promise<ProjectRecord | undefined> {
    const item = await getItem(this.#client, this.#table, { pk: projectPk(projectId), sk: PROJECT_SK });
    return item === undefined ? undefined : fromItem(item, ProjectRecordSchema);
  }

  all(sector?: string): Promise<ProjectRecord[]> {
    const partition =
      sector === undefined
        ? ({ index: 'bySeries', pk: ALL_PROJECTS } as const)
        : ({ index: 'bySector', pk: `PROJECTS#${sector}` } as const);
    return queryItems(this.#client, this.#table, partition, ProjectRecordSchema);
  }

  async getMany(projectIds: readonly string[]): Promise<ProjectRecord[]> {
    if (projectIds.length > PROJECTS_PER_GET) throw new RangeError(`At most ${PROJECTS_PER_GET} projects`);
    const keys = [...new Set(projectIds)].map((projectId) =>
      marshall({ pk: projectPk(projectId), sk: PROJECT_SK }),
    );
    const items = await batchGet(this.#client, this.#table, keys);
    return items.map((item) => fromItem(item, ProjectRecordSchema));
  }

  async projectOfLead(leadId: string): Promise<string | undefined> {
    const item = await getItem(this.#client, this.#table, { pk: `LEADLINK#${leadId}`, sk: 'LINK' });
    return item === undefined ? undefined : String(unmarshall(item).projectId);
  }

  async create(
    project: ProjectRecord,
    event: StageEvent,
    audit: AuditEntryDraft,
  ): Promise<'created' | 'exists' | 'lead_taken'> {
    const items: TransactWriteItem[] = [
      putNew(this.#table, projectItem(project)),
      eventPut(this.#table, event),
    ];
    if (project.leadId !== null) {
      const link = {
        pk: `LEADLINK#${project.leadId}`,
        sk: 'LINK',
        projectId: project.projectId,
        at: project.createdAt,
      };
      items.push(putNew(this.#table, marshall(link)));
    }
    try {
      await this.#audit.appendWithin(audit, items);
      return 'created';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      return error.failedIndexes.includes(0) ? 'exists' : 'lead_taken';
    }
  }

  events(projectId: string): Promise<StageEvent[]> {
    return queryItems(
      this.#client,
      this.#table,
      { pk: projectPk(projectId), skPrefix: 'STAGE#' },
      StageEventSchema,
    );
  }

  moveStage(
    previousVersion: number,
    project: ProjectRecord,
    event: StageEvent,
    audit: AuditEntryDraft,
  ): Promise<'applied' | 'conflict'> {
    return writeAudited(this.#audit, audit, [
      putOver(this.#table, projectItem(project), previousVersion),
      eventPut(this.#table, event),
    ]);
  }

  plans(projectId: string): Promise<PlanRecord[]> {
    return queryItems(
      this.#client,
      this.#table,
      { pk: projectPk(projectId), skPrefix: 'PLAN#' },
      PlanRecordSchema,
    );
  }

  async addPlan(plan: PlanRecord, audit: AuditEntryDraft): Promise<'added' | 'conflict'> {
    const item = marshall({
      pk: projectPk(plan.projectId),
      sk: `PLAN#${plan.year}#${pad(plan.revision, 4)}`,
      gsi2pk: `PLANS#${plan.year}`,
      gsi2sk: `${plan.projectId}#${pad(plan.revision, 4)}`,
      ...plan,
    });
    const outcome = await writeAudited(this.#audit, audit, [putNew(this.#table, item)]);
    return outcome === 'applied' ? 'added' : 'conflict';
  }

  progress(projectId: string): Promise<ProgressEntry[]> {
    return queryItems(
      this.#client,
      this.#table,
      { pk: projectPk(projectId), skPrefix: 'PROGRESS#' },
      ProgressEntrySchema,
    );
  }

  async addProgress(entry: ProgressEntry, audit: AuditEntryDraft): Promise<'added' | 'conflict'> {
    const item = marshall(
      {
        pk: projectPk(entry.projectId),
        sk: `PROGRESS#${entry.month}#${pad(entry.seq, 4)}`,
        gsi2pk: `PROGRESS#${entry.month.slice(0, 4)}`,
        gsi2sk: `${entry.projectId}#${entry.month}#${pad(entry.seq, 4)}`,
        ...entry,
      },
      { removeUndefinedValues: true },
    );
    const outcome = await writeAudited(this.#audit, audit, [putNew(this.#table, item)]);
    return outcome === 'applied' ? 'added' : 'conflict';
  }

  plansOfYear(year: number, onPlan?: (plan: PlanRecord) => void): Promise<PlanRecord[]> {
    return queryItems(
      this.#client,
      this.#table,
      { index: 'bySeries', pk: `PLANS#${year}` },
      PlanRecordSchema,
      onPlan,
    );
  }

  progressOfYear(year: number): Promise<ProgressEntry[]> {
    return queryItems(
      this.#client,
      this.#table,
      { index: 'bySeries', pk: `PROGRESS#${year}` },
      ProgressEntrySchema,
    );
  }
}

/** 督办 items in the Projects table, beside the projects they are about. */
export class DynamoSupervisionStore implements SupervisionStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
  }

  async get(itemId: string): Promise<SupervisionItem | undefined> {
    const item = await getItem(this.#client, this.#table, supervisionKey(itemId));
    return item === undefined ? undefined : fromItem(item, SupervisionItemSchema);
  }

  async list(status?: SupervisionItem['status']): Promise<SupervisionItem[]> {
    if (status !== undefined) {
      const partition = { index: 'bySeries', pk: `SUPERVISION#${status}` } as const;
      return queryItems(this.#client, this.#table, partition, SupervisionItemSchema);
    }
    const [open, resolved] = await Promise.all([this.list('open'), this.list('resolved')]);
    return [...open, ...resolved];
  }

  async open(item: SupervisionItem, audit: AuditEntryDraft): Promise<'opened' | 'exists'> {
    const outcome = await writeAudited(this.#audit, audit, [putNew(this.#table, supervisionItem(item))]);
    return outcome === 'applied' ? 'opened' : 'exists';
  }

  update(
    previousVersion: number,
    item: SupervisionItem,
    audit: AuditEntryDraft,
  ): Promise<'applied' | 'conflict'> {
    return writeAudited(this.#audit, audit, [putOver(this.#table, supervisionItem(item), previousVersion)]);
  }
}
