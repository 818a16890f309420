import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { EvidenceRecord } from '#shared/schemas/evidence.ts';

/** Evidence entries of a lead (issue 17): appended with their audit entry, never edited. */
export interface EvidenceStore {
  /** Every entry of the lead, oldest first. */
  evidence(leadId: string): Promise<EvidenceRecord[]>;
  /** Appends an entry and its audit entry in one transaction. */
  recordEvidence(record: EvidenceRecord, audit: AuditEntryDraft): Promise<void>;
}
