import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { SignOffRecord } from '#shared/schemas/sign-off.ts';

/** An approval's sign-offs before the last one (issue 17): appended with their audit entry, never edited. */
export interface SignOffStore {
  /** Every sign-off of the lead, oldest first (of every revision: the caller picks the one it approves). */
  signOffs(leadId: string): Promise<SignOffRecord[]>;
  /** Appends a sign-off and its audit entry in one transaction. */
  recordSignOff(record: SignOffRecord, audit: AuditEntryDraft): Promise<void>;
}
