import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EvidenceStore } from '#shared/ports/evidence.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import { type EvidenceRecord, EvidenceRecordSchema } from '#shared/schemas/evidence.ts';
import type { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { LeadEntries } from './lead-entries.ts';

/** Evidence entries beside their lead (`sk EVIDENCE#<recordedAt>#<id>`), never overwritten. */
export class DynamoEvidenceStore implements EvidenceStore {
  readonly #entries: LeadEntries<EvidenceRecord>;

  constructor(client: DynamoDBClient, table: string, audit: DynamoAuditTrail) {
    this.#entries = new LeadEntries({
      client,
      table,
      audit,
      kind: 'EVIDENCE',
      schema: EvidenceRecordSchema,
      orderOf: (record) => `${record.recordedAt}#${record.evidenceId}`,
    });
  }

  evidence(leadId: string): Promise<EvidenceRecord[]> {
    return this.#entries.of(leadId);
  }

  recordEvidence(record: EvidenceRecord, audit: AuditEntryDraft): Promise<void> {
    return this.#entries.append(record, audit);
  }
}
