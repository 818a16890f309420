import type {
  CreateImportedLeadsMessage,
  ImportRowRecord,
  LeadImportRecord,
} from '#shared/schemas/lead-import.ts';

export type CreateImportOutcome = 'created' | 'import_exists';

/** An import waiting for its leads, as the reconciler sees it (its mark beside the import). */
export interface PendingImport {
  readonly importId: string;
  readonly since: string;
  readonly resent: number;
  readonly retryAfter?: string | undefined;
}

/** Lead imports and their rows, kept beside the leads (shared/adapters/dynamodb/dynamo-lead-import-store.ts). */
export interface LeadImportStore {
  /** The import already made of this file by this team, found by a key only the table holds. */
  importOfFile(fileKey: string): Promise<string | undefined>;
  get(importId: string): Promise<LeadImportRecord | undefined>;
  rows(importId: string): Promise<ImportRowRecord[]>;
  /**
   * Stores the rows, then, all or nothing, the import (QUEUED), the file's key and the import's pending
   * mark. Rows written by a request that stopped before the import are overwritten alike by its retry.
   * `import_exists`: another request stored this import first.
   */
  create(
    record: LeadImportRecord,
    rows: readonly ImportRowRecord[],
    fileKey: string,
  ): Promise<CreateImportOutcome>;
  /** A row's lead was created (or found created): it is not submitted again. */
  rowSettled(importId: string, row: number, state: 'CREATED' | 'REFUSED', refusal?: string): Promise<void>;
  /** Every row settled: COMPLETE, and its pending mark goes (idempotent). */
  complete(importId: string, at: string): Promise<void>;
  /** Which of these leads exist. */
  existingLeads(leadIds: readonly string[]): Promise<Set<string>>;
  /** For the reconciler: the longest-waiting import, and those due to be sent again. */
  oldestPendingImport(): Promise<PendingImport | undefined>;
  duePendingImports(query: {
    readonly waitingSinceBefore: string;
    readonly at: string;
    readonly limit: number;
    readonly ignoreBackoff?: boolean;
  }): Promise<PendingImport[]>;
  markImportResent(work: PendingImport, retryAfter: string): Promise<void>;
}

export interface LeadImportQueue {
  send(message: CreateImportedLeadsMessage): Promise<void>;
}
