import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import type { ProjectReference, StoredCalendar } from '#shared/ports/projects.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import { type ProjectSettings, ProjectSettingsSchema } from '#shared/schemas/project-settings.ts';
import { type RatingsRecord, RatingsRecordSchema } from '#shared/schemas/projects.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { TransactionConditionFailedError, writtenUnlessRefused } from './transactions.ts';

/**
 * Reference data of project tracking in the Reference table, each a series of revisions that are only
 * ever added (`REV#<n>` under `attribute_not_exists`; the newest counts):
 *
 * | data | pk | sk |
 * | --- | --- | --- |
 * | settings document | `PROJECT_SETTINGS` | `REV#<n>` (document as JSON text), and `PROJECT_SETTINGS_VERSION` / `<version>` to keep versions unique |
 * | working-day calendar of a year | `CALENDAR#<year>` | `REV#<n>` |
 * | ratings of a half-year ranking | `RATINGS#<year>-H<half>` | `REV#<n>` |
 */

const revisionKey = (revision: number) => `REV#${String(revision).padStart(6, '0')}`;

const StoredCalendarSchema = z.object({
  year: z.number().int(),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
  revision: z.number().int().positive(),
  at: z.string(),
});

export class DynamoProjectReference implements ProjectReference {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #audit: DynamoAuditTrail;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail) {
    this.#client = client;
    this.#table = table;
    this.#audit = audit;
  }

  async #newest(pk: string): Promise<Record<string, unknown> | undefined> {
    const { Items } = await this.#client.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rev)',
        ExpressionAttributeValues: marshall({ ':pk': pk, ':rev': 'REV#' }),
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    if (item === undefined) return undefined;
    const { pk: _pk, sk: _sk, ...rest } = unmarshall(item);
    return rest;
  }

  #put(audit: AuditEntryDraft, items: Record<string, AttributeValue>[]): Promise<boolean> {
    return writtenUnlessRefused(() =>
      this.#audit.appendWithin(
        audit,
        items.map((item) => ({
          Put: { TableName: this.#table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
        })),
      ),
    );
  }

  async settings(): Promise<{ settings: ProjectSettings; revision: number } | undefined> {
    const stored = await this.#newest('PROJECT_SETTINGS');
    if (stored === undefined) return undefined;
    return {
      settings: ProjectSettingsSchema.parse(JSON.parse(String(stored.document))),
      revision: Number(stored.revision),
    };
  }

  async publishSettings(
    settings: ProjectSettings,
    revision: number,
    audit: AuditEntryDraft,
  ): Promise<'published' | 'version_exists' | 'conflict'> {
    try {
      await this.#audit.appendWithin(audit, [
        {
          Put: {
            TableName: this.#table,
            Item: marshall({ pk: 'PROJECT_SETTINGS_VERSION', sk: settings.version, revision, at: audit.at }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: marshall({
              pk: 'PROJECT_SETTINGS',
              sk: revisionKey(revision),
              revision,
              version: settings.version,
              document: JSON.stringify(settings),
              at: audit.at,
            }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      return 'published';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailedError)) throw error;
      return error.failedIndexes.includes(0) ? 'version_exists' : 'conflict';
    }
  }

  async calendar(year: number): Promise<StoredCalendar | undefined> {
    const stored = await this.#newest(`CALENDAR#${year}`);
    return stored === undefined ? undefined : StoredCalendarSchema.parse(stored);
  }

  async setCalendar(calendar: StoredCalendar, audit: AuditEntryDraft): Promise<'set' | 'conflict'> {
    const item = marshall({
      pk: `CALENDAR#${calendar.year}`,
      sk: revisionKey(calendar.revision),
      ...calendar,
    });
    return (await this.#put(audit, [item])) ? 'set' : 'conflict';
  }

  async ratings(year: number, half: number): Promise<RatingsRecord | undefined> {
    const stored = await this.#newest(`RATINGS#${year}-H${half}`);
    return stored === undefined ? undefined : RatingsRecordSchema.parse(stored);
  }

  async setRatings(record: RatingsRecord, audit: AuditEntryDraft): Promise<'set' | 'conflict'> {
    const item = marshall(
      { pk: `RATINGS#${record.year}-H${record.half}`, sk: revisionKey(record.revision), ...record },
      { removeUndefinedValues: true },
    );
    return (await this.#put(audit, [item])) ? 'set' : 'conflict';
  }
}
