import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SignOffStore } from '#shared/ports/sign-offs.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import { type SignOffRecord, SignOffRecordSchema } from '#shared/schemas/sign-off.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { LeadEntries } from './lead-entries.ts';

/** Approval sign-offs beside their lead (`sk SIGNOFF#<signedAt>#<id>`), never overwritten. */
export class DynamoSignOffStore implements SignOffStore {
  readonly #entries: LeadEntries<SignOffRecord>;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail) {
    this.#entries = new LeadEntries({
      client,
      table,
      audit,
      kind: 'SIGNOFF',
      schema: SignOffRecordSchema,
      orderOf: (record) => `${record.signedAt}#${record.signOffId}`,
    });
  }

  signOffs(leadId: string): Promise<SignOffRecord[]> {
    return this.#entries.of(leadId);
  }

  recordSignOff(record: SignOffRecord, audit: AuditEntryDraft): Promise<void> {
    return this.#entries.append(record, audit);
  }
}
