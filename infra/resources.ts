/**
 * The one definition of the pipeline's resources. The local cloud (`infra/local`) and the CDK stacks
 * (`infra/stacks`) are both built from this module, so the two cannot drift.
 * Names here are logical ids: the local cloud uses them as physical names, CDK lets CloudFormation name.
 */

export type Role = 'sector' | 'finance' | 'finance-head' | 'auditor' | 'admin';

export interface TableDefinition {
  readonly id: string;
  /** Environment variable that carries the physical table name to the functions. */
  readonly envVar: string;
  readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' };
  readonly sortKey?: { readonly name: string; readonly type: 'S' | 'N' };
  readonly globalIndexes: readonly {
    readonly name: string;
    readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' };
    readonly sortKey?: { readonly name: string; readonly type: 'S' | 'N' };
    /** What the index holds beside its keys: every attribute (the default), or the keys only. */
    readonly projection?: 'ALL' | 'KEYS_ONLY';
  }[];
  readonly ttlAttribute?: string;
  /** Append-only tables: writers may only put, never update or delete (enforced by IAM in the cloud). */
  readonly appendOnly?: boolean;
}

export interface QueueDefinition {
  readonly id: string;
  readonly envVar: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
  readonly deadLetterQueue: { readonly id: string; readonly envVar: string; readonly retentionDays: number };
}

/**
 * What a function may do to each store: least privilege is declared here, next to the function, and the
 * CDK stacks turn it into IAM grants. `append` = put only (the audit trail: no update, no delete).
 */
export type TableAccess = 'read' | 'append' | 'readAppend' | 'readWrite';
export type QueueAccess = 'send' | 'consume' | 'redrive';

export interface FunctionDefinition {
  readonly id: string;
  /** Module that exports `handler`, relative to the repository root. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly description: string;
  readonly tables: Readonly<Partial<Record<TableId, TableAccess>>>;
  readonly queues: Readonly<Partial<Record<QueueId, QueueAccess>>>;
  /** Secrets it reads (GetSecretValue on that secret only); none when absent. */
  readonly secrets?: readonly SecretId[];
  /** Buckets it uses, and how; none when absent. */
  readonly buckets?: Readonly<Partial<Record<BucketId, BucketAccess>>>;
}

/**
 * `putAndLink`: put objects and read them back, which a pre-signed GET URL signed with the function's
 * role needs (s3:PutObject and s3:GetObject on the bucket's objects, nothing else).
 */
export type BucketAccess = 'putAndLink';

/**
 * A bucket the deployment keeps for transient files (the exports too big for a Lambda response): private,
 * encrypted, TLS only, objects expire after `expirationDays`. `envVar` carries its name to every function;
 * only those that declare it get a grant. The local cloud has no bucket (it answers every export inline).
 */
export interface BucketDefinition {
  readonly id: string;
  readonly envVar: string;
  readonly expirationDays: number;
  readonly description: string;
}

/**
 * A secret the deployment keeps (Secrets Manager in the cloud, created and retained by the data stack).
 * `envVar` carries its ARN to every function; only those that declare it may read it. The local cloud
 * has no secret store: it passes the value itself (infra/local/dev-identifier-keys.ts).
 */
export interface SecretDefinition {
  readonly id: string;
  readonly envVar: string;
  readonly description: string;
  /** Generated at creation: `template`, with `generatedKey` set to `length` random letters and digits. */
  readonly generated: {
    readonly template: Readonly<Record<string, string>>;
    readonly generatedKey: string;
    readonly length: number;
  };
}

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway route path, with `{param}` placeholders. */
  readonly path: string;
  readonly functionId: string;
  /** Roles allowed; `public` routes need no token at all. The handler still checks scope (sector). */
  readonly access: 'public' | readonly Role[];
}

export interface EventSourceDefinition {
  readonly queueId: string;
  readonly functionId: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly reportBatchItemFailures: true;
}

/**
 * A function run on a schedule: every `rateMinutes`, or once a day at `dailyAt` in its time zone. In the
 * cloud an EventBridge rule (UTC cron: Asia/Shanghai keeps no daylight saving, so 08:00 is 00:00 UTC all
 * year) or, with context `kfq:schedules=eventbridge-scheduler`, a Scheduler schedule in that time zone;
 * a timer in the local cloud.
 */
export type ScheduleDefinition = {
  readonly id: string;
  readonly functionId: string;
  /**
   * The local cloud also runs it once as it starts, with `detail: { resendAll: true }`: its in-memory
   * queues lost whatever they held when the stack was killed.
   */
  readonly atLocalStart?: boolean;
} & (
  | { readonly rateMinutes: number; readonly dailyAt?: undefined }
  | { readonly dailyAt: DailyTime; readonly rateMinutes?: undefined }
);

export interface DailyTime {
  readonly hour: number;
  readonly minute: number;
  readonly timeZone: 'Asia/Shanghai';
}

/** The UTC offset of each time zone a schedule may name (fixed: none of them keeps daylight saving). */
export const TIME_ZONE_OFFSET_HOURS: Readonly<Record<DailyTime['timeZone'], number>> = { 'Asia/Shanghai': 8 };

/** The time of day in UTC of a daily schedule, for services that take UTC cron only. */
export function utcTimeOf(daily: DailyTime): { hour: number; minute: number } {
  return { hour: (daily.hour - TIME_ZONE_OFFSET_HOURS[daily.timeZone] + 24) % 24, minute: daily.minute };
}

const stringKey = (name: string) => ({ name, type: 'S' as const });

export const tables = [
  {
    // Leads, their decision revisions and the project-uniqueness markers (one item per investor+project).
    id: 'Leads',
    envVar: 'LEADS_TABLE',
    partitionKey: stringKey('pk'),
    sortKey: stringKey('sk'),
    globalIndexes: [
      // All leads of a sector, newest first: gsi1pk = SECTOR#<code>, gsi1sk = <submittedAt>#<leadId>
      { name: 'bySector', partitionKey: stringKey('gsi1pk'), sortKey: stringKey('gsi1sk') },
      // All leads in a status, newest first: gsi2pk = STATUS#<status>, gsi2sk = <submittedAt>#<leadId>
      { name: 'byStatus', partitionKey: stringKey('gsi2pk'), sortKey: stringKey('gsi2sk') },
      // All leads, newest first, sharded by month: gsi3pk = MONTH#<yyyy-mm>, gsi3sk = <submittedAt>#<leadId>
      { name: 'byMonth', partitionKey: stringKey('gsi3pk'), sortKey: stringKey('gsi3sk') },
      // GET /leads without sector or status (issue 18, part 4): every lead in one partition, newest first,
      // gsi4pk = LEADS, gsi4sk = <submittedAt>#<leadId>; a page is one query here and one BatchGetItem of the
      // items. Keys only, and both keys are fixed when the lead is made: each lead writes this index once
      // (one write unit), never on its later updates, so the one partition's ~1,000 writes/s are 1,000 new
      // leads/s. Leads stored before it: `npm run cli -- backfill-lead-list` (lead-list-backfill.ts).
      {
        name: 'newestFirst',
        partitionKey: stringKey('gsi4pk'),
        sortKey: stringKey('gsi4sk'),
        projection: 'KEYS_ONLY',
      },
      // Work waiting in the table, oldest first (sparse: only the PENDING# marker items carry these):
      // pendingKind = EVALUATION | ALLOCATION, pendingOrder = <waiting since>#<leadId>. The reconciler's query.
      { name: 'pendingWork', partitionKey: stringKey('pendingKind'), sortKey: stringKey('pendingOrder') },
    ],
  },
  {
    // The hash-chained audit trail: entries (pk CHAIN#<name>, sk seq) and the chain head.
    id: 'Audit',
    envVar: 'AUDIT_TABLE',
    partitionKey: stringKey('pk'),
    sortKey: { name: 'seq', type: 'N' },
    globalIndexes: [
      { name: 'bySubject', partitionKey: stringKey('subject'), sortKey: { name: 'seq', type: 'N' } },
      { name: 'byActor', partitionKey: stringKey('actorId'), sortKey: { name: 'seq', type: 'N' } },
      { name: 'byAction', partitionKey: stringKey('action'), sortKey: { name: 'seq', type: 'N' } },
    ],
    appendOnly: true,
  },
  {
    // Funds (balance item), allocations per lead and the waitlist.
    id: 'Funds',
    envVar: 'FUNDS_TABLE',
    partitionKey: stringKey('pk'),
    sortKey: stringKey('sk'),
    globalIndexes: [],
  },
  {
    // Projects after signing (issue 15): the project, its stage events, plan revisions, monthly reports,
    // the lead it came from and its 督办 items (key formats: shared/adapters/dynamodb/dynamo-project-store.ts).
    // A table of its own: its functions need no access to the Leads table's personal data beyond reading a
    // lead to take it over, and its ledger queries never meet the Leads indexes the pipeline runs on.
    id: 'Projects',
    envVar: 'PROJECTS_TABLE',
    partitionKey: stringKey('pk'),
    sortKey: stringKey('sk'),
    globalIndexes: [
      // A sector's projects (gsi1pk = PROJECTS#<sector>) and 督办 items (SUPERVISION#<sector>), oldest first.
      { name: 'bySector', partitionKey: stringKey('gsi1pk'), sortKey: stringKey('gsi1sk') },
      // Zone-wide series: every project (PROJECTS), a year's plans (PLANS#<year>) and monthly reports
      // (PROGRESS#<year>), 督办 items by status (SUPERVISION#open|resolved).
      { name: 'bySeries', partitionKey: stringKey('gsi2pk'), sortKey: stringKey('gsi2sk') },
    ],
  },
  {
    // Policy versions and sector configuration (reference data, published by admin); for projects the
    // settings document, the working-day calendar of each year and the ranking's ratings.
    id: 'Reference',
    envVar: 'REFERENCE_TABLE',
    partitionKey: stringKey('pk'),
    sortKey: stringKey('sk'),
    globalIndexes: [],
  },
] as const satisfies readonly TableDefinition[];

export const queues = [
  {
    id: 'Evaluation',
    envVar: 'EVALUATION_QUEUE_URL',
    // at least 6 × the consumer's timeout (30 s) plus the batching window
    visibilityTimeoutSeconds: 185,
    maxReceiveCount: 5,
    retentionDays: 14,
    deadLetterQueue: { id: 'EvaluationDlq', envVar: 'EVALUATION_DLQ_URL', retentionDays: 14 },
  },
  {
    id: 'Allocation',
    envVar: 'ALLOCATION_QUEUE_URL',
    visibilityTimeoutSeconds: 185,
    maxReceiveCount: 5,
    retentionDays: 14,
    deadLetterQueue: { id: 'AllocationDlq', envVar: 'ALLOCATION_DLQ_URL', retentionDays: 14 },
  },
  {
    // Lead imports (issue 16): a hint that an import has rows to turn into leads (the table says which).
    id: 'LeadImport',
    envVar: 'LEAD_IMPORT_QUEUE_URL',
    // at least 6 × the worker's timeout (120 s) plus the batching window
    visibilityTimeoutSeconds: 725,
    maxReceiveCount: 5,
    retentionDays: 14,
    deadLetterQueue: { id: 'LeadImportDlq', envVar: 'LEAD_IMPORT_DLQ_URL', retentionDays: 14 },
  },
] as const satisfies readonly QueueDefinition[];

export const secrets = [
  {
    // The HMAC keys under which personal identifiers enter every hash a role can read
    // (shared/domain/identifier-keys.ts): {"current":"k1","k1":"<64 letters and digits>"}.
    id: 'IdentifierKeys',
    envVar: 'IDENTIFIER_KEYS_SECRET_ARN',
    description:
      'kfq-incentives: HMAC keyring for personal identifiers inside hashes. Add keys, never remove one.',
    generated: { template: { current: 'k1' }, generatedKey: 'k1', length: 64 },
  },
] as const satisfies readonly SecretDefinition[];

export const buckets = [
  {
    id: 'Exports',
    envVar: 'EXPORTS_BUCKET',
    // A pre-signed link lives 15 minutes at most; a day is enough to retry a download and no longer.
    expirationDays: 1,
    description: 'Exports bigger than a Lambda response, fetched through pre-signed links',
  },
] as const satisfies readonly BucketDefinition[];

export const functions = [
  {
    id: 'health',
    entry: 'functions/health/handler.ts',
    timeoutSeconds: 5,
    memoryMb: 256,
    description: 'GET /health: are the stores reachable',
    tables: { Leads: 'read' },
    queues: { Evaluation: 'send' },
  },
  {
    id: 'submit-lead',
    entry: 'functions/submit-lead/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    description: 'POST /leads: store a lead and its audit entry, queue its evaluation',
    tables: { Leads: 'readWrite', Audit: 'readAppend' },
    queues: { Evaluation: 'send' },
    secrets: ['IdentifierKeys'],
  },
  {
    id: 'reconcile',
    entry: 'functions/reconcile/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 256,
    description:
      'Every minute: send again the work the tables show waiting too long (evaluations, allocations); serve the waitlists',
    tables: { Leads: 'readWrite', Funds: 'readWrite', Audit: 'readAppend', Reference: 'read' },
    queues: { Evaluation: 'send', Allocation: 'send', LeadImport: 'send' },
  },
  {
    id: 'evaluate-lead',
    entry: 'functions/evaluate-lead/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 512,
    description: 'Evaluation queue consumer: apply the policy in force, store the decision revision',
    tables: { Leads: 'readWrite', Audit: 'readAppend', Reference: 'read' },
    queues: { Evaluation: 'consume', Allocation: 'send' },
    secrets: ['IdentifierKeys'],
  },
  {
    id: 'me',
    entry: 'functions/me/handler.ts',
    timeoutSeconds: 5,
    memoryMb: 256,
    description: 'GET /me: the caller as the API reads the token (user, roles, sectors)',
    tables: {},
    queues: {},
  },
  {
    id: 'get-lead',
    entry: 'functions/get-lead/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    description: 'GET /leads/{id}: a lead, its latest decision and revisions (sector-scoped)',
    // Funds: the lead's allocation (reserved, waitlisted, committed) shown beside its decision.
    tables: { Leads: 'read', Funds: 'read', Projects: 'read' },
    queues: {},
  },
  {
    id: 'list-leads',
    entry: 'functions/list-leads/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    description: 'GET /leads: leads newest first through the indexes (sector-scoped)',
    tables: { Leads: 'read' },
    queues: {},
  },
  {
    id: 'audit',
    entry: 'functions/audit/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 512,
    description:
      'GET /audit, /audit/verify: query the trail across its chains and verify every chain and the digests',
    tables: { Audit: 'read' },
    queues: {},
  },
  {
    id: 'audit-digest',
    entry: 'functions/audit-digest/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    description:
      'Every minute, POST /audit/digests and GET /audit/digest: the Merkle root of every audit chain head, appended to the digest chain and put in the Object Lock bucket',
    tables: { Audit: 'readAppend' },
    queues: {},
  },
  {
    id: 'replay-decision',
    entry: 'functions/replay-decision/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    description: 'POST /leads/{id}/decisions/{revision}/replay: recompute a decision and compare',
    tables: { Leads: 'read', Reference: 'read' },
    queues: {},
    secrets: ['IdentifierKeys'],
  },
  {
    id: 'openapi',
    entry: 'functions/openapi/handler.ts',
    timeoutSeconds: 5,
    memoryMb: 256,
    description: 'GET /openapi.json: the OpenAPI 3.1 document generated from the zod schemas',
    tables: {},
    queues: {},
  },
  {
    id: 'allocate-fund',
    entry: 'functions/allocate-fund/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 512,
    description: 'Allocation queue consumer: reserve min(cap, available) in the fund, or waitlist',
    tables: { Funds: 'readWrite', Leads: 'read', Audit: 'readAppend' },
    queues: { Allocation: 'consume' },
  },
  {
    id: 'review-reward',
    entry: 'functions/review-reward/handler.ts',
    // The identifier keyring: a clawback's offset follows the introducer's keyed pseudonym (issue 17).
    secrets: ['IdentifierKeys'],
    timeoutSeconds: 15,
    memoryMb: 512,
    description:
      'Finance review: GET /rewards, approve, reject, case outcome, paid, staged payment (maker-checker)',
    // Reference: the published policies, whose payout rules gate approval (issue 17); Projects: a linked
    // project's stage is a staged payment's condition.
    tables: {
      Leads: 'readWrite',
      Funds: 'readWrite',
      Audit: 'readAppend',
      Reference: 'read',
      Projects: 'read',
    },
    queues: {},
  },
  {
    id: 'report-investment',
    entry: 'functions/report-investment/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    description:
      'POST /leads/{id}/actual-investment and /referrer-registration: store it and queue the re-evaluation',
    tables: { Leads: 'readWrite', Audit: 'readAppend' },
    queues: { Evaluation: 'send' },
    secrets: ['IdentifierKeys'],
  },
  {
    id: 'record-evidence',
    entry: 'functions/record-evidence/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    description: 'Evidence of the actual investment (issue 17): audit report, on-site check, list',
    tables: { Leads: 'readWrite', Audit: 'readAppend' },
    queues: {},
  },
  {
    id: 'public-notices',
    entry: 'functions/public-notices/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    description:
      'GET /public/notices (公示): the public list of approved rewards under notice, no token, read only',
    // Leads: the notice items only (their content is fixed and masked at approval).
    tables: { Leads: 'read' },
    queues: {},
  },
  {
    id: 'notices',
    entry: 'functions/notices/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    description: "A lead's public notice; objections the admin records and resolves (they hold the payment)",
    tables: { Leads: 'readWrite', Audit: 'readAppend' },
    queues: {},
  },
  {
    id: 'get-fund',
    entry: 'functions/get-fund/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    description: 'GET /funds/{fundId}: balance and waitlist',
    tables: { Funds: 'read' },
    queues: {},
  },
  {
    id: 'admin',
    entry: 'functions/admin/handler.ts',
    timeoutSeconds: 15,
    memoryMb: 512,
    description: 'Policy admin: POST /policies, POST /funds, POST /funds/{fundId}/top-up',
    tables: { Reference: 'readAppend', Funds: 'readWrite', Audit: 'readAppend' },
    queues: {},
  },
  {
    id: 'projects',
    entry: 'functions/projects/handler.ts',
    timeoutSeconds: 15,
    memoryMb: 512,
    description:
      'Projects after signing: register, list, read, stage moves, yearly plans, monthly reports; 督办 list and resolve',
    // Leads: read a signed lead to take it over (never written).
    tables: { Projects: 'readWrite', Leads: 'read', Reference: 'read', Audit: 'readAppend' },
    queues: {},
  },
  {
    id: 'project-reports',
    entry: 'functions/project-reports/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 512,
    description:
      'Reports: the monthly ledger, the half-year review with its paragraph, the half-year team ranking',
    tables: { Projects: 'read', Reference: 'read' },
    queues: {},
    // ?format=xlsx|csv of the monthly ledger: a big file goes through the exports bucket.
    buckets: { Exports: 'putAndLink' },
  },
  {
    id: 'project-admin',
    entry: 'functions/project-admin/handler.ts',
    timeoutSeconds: 15,
    memoryMb: 256,
    description: 'Project settings, the working-day calendar of a year, the ranking ratings (admin writes)',
    tables: { Reference: 'readAppend', Audit: 'readAppend' },
    queues: {},
  },
  {
    id: 'supervise-projects',
    entry: 'functions/supervise-projects/handler.ts',
    timeoutSeconds: 120,
    memoryMb: 512,
    description:
      'Daily at 08:00 Asia/Shanghai: open 督办 items for yellow and red projects and overdue reports, escalate',
    tables: { Projects: 'readWrite', Reference: 'read', Audit: 'readAppend' },
    queues: {},
  },
  {
    id: 'import-leads',
    entry: 'functions/import-leads/handler.ts',
    // API Gateway answers within 30 s: the file and every row are checked at once, the leads made later.
    timeoutSeconds: 29,
    memoryMb: 1024,
    description:
      'Lead import: GET /imports/leads/template, POST /imports/leads (check the .xlsx and every row, store the accepted ones, queue them), GET /imports/leads/{importId}',
    // Leads: the import and its rows live beside the leads (they hold resident IDs too).
    tables: { Leads: 'readWrite' },
    queues: { LeadImport: 'send' },
    secrets: ['IdentifierKeys'],
  },
  {
    id: 'create-imported-leads',
    entry: 'functions/create-imported-leads/handler.ts',
    timeoutSeconds: 120,
    memoryMb: 512,
    description:
      'LeadImport queue consumer: create the leads of an import row by row, exactly as POST /leads does',
    tables: { Leads: 'readWrite', Audit: 'readAppend' },
    // LeadImport: a worker near its timeout sends the hint to go on.
    queues: { LeadImport: 'consume', Evaluation: 'send' },
    secrets: ['IdentifierKeys'],
  },
  {
    id: 'export-rewards',
    entry: 'functions/export-rewards/handler.ts',
    timeoutSeconds: 29,
    memoryMb: 1024,
    description:
      'GET /rewards/export and /discretionary-rewards/export: the payment list and the year’s rewards by decision as .xlsx or .csv (resident IDs masked)',
    // Leads: the approved or paid leads and their review records (read only).
    tables: { Leads: 'read' },
    queues: {},
    buckets: { Exports: 'putAndLink' },
  },
  {
    id: 'export-audit',
    entry: 'functions/export-audit/handler.ts',
    timeoutSeconds: 29,
    memoryMb: 1024,
    description: 'GET /audit/export: audit entries with their hashes, the verification result and the digest',
    tables: { Audit: 'read' },
    queues: {},
    buckets: { Exports: 'putAndLink' },
  },
] as const satisfies readonly FunctionDefinition[];

export const routes = [
  { method: 'GET', path: '/health', functionId: 'health', access: 'public' },
  { method: 'POST', path: '/leads', functionId: 'submit-lead', access: ['sector'] },
  { method: 'GET', path: '/leads', functionId: 'list-leads', access: ['sector', 'finance', 'auditor'] },
  {
    method: 'GET',
    path: '/leads/{id}',
    functionId: 'get-lead',
    access: ['sector', 'finance', 'finance-head', 'auditor'],
  },
  { method: 'GET', path: '/audit', functionId: 'audit', access: ['auditor'] },
  { method: 'GET', path: '/audit/verify', functionId: 'audit', access: ['auditor'] },
  { method: 'GET', path: '/audit/digest', functionId: 'audit-digest', access: ['auditor'] },
  { method: 'POST', path: '/audit/digests', functionId: 'audit-digest', access: ['auditor', 'admin'] },
  {
    method: 'POST',
    path: '/leads/{id}/decisions/{revision}/replay',
    functionId: 'replay-decision',
    access: ['auditor'],
  },
  { method: 'GET', path: '/openapi.json', functionId: 'openapi', access: 'public' },
  {
    method: 'GET',
    path: '/me',
    functionId: 'me',
    access: ['sector', 'finance', 'finance-head', 'auditor', 'admin'],
  },
  { method: 'GET', path: '/funds/{fundId}', functionId: 'get-fund', access: ['finance', 'auditor', 'admin'] },
  {
    method: 'POST',
    path: '/leads/{id}/actual-investment',
    functionId: 'report-investment',
    access: ['sector'],
  },
  // Payout rules (issue 17): the referrer's registration, by the lead's own sector team (a new revision).
  {
    method: 'POST',
    path: '/leads/{id}/referrer-registration',
    functionId: 'report-investment',
    access: ['sector'],
  },
  // Evidence (issue 17): the lead's own team (the handler checks the scope) or finance records it.
  {
    method: 'POST',
    path: '/leads/{id}/evidence/audit-report',
    functionId: 'record-evidence',
    access: ['sector', 'finance'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/evidence/site-check',
    functionId: 'record-evidence',
    access: ['sector', 'finance'],
  },
  {
    method: 'GET',
    path: '/leads/{id}/evidence',
    functionId: 'record-evidence',
    // The finance head reads what it signs on; only the team and finance record it.
    access: ['sector', 'finance', 'finance-head', 'auditor'],
  },
  { method: 'GET', path: '/rewards', functionId: 'review-reward', access: ['finance', 'finance-head'] },
  // Each approver's sign-off (issue 17): finance, and the finance head above the first tier.
  {
    method: 'POST',
    path: '/leads/{id}/approve',
    functionId: 'review-reward',
    access: ['finance', 'finance-head'],
  },
  { method: 'POST', path: '/leads/{id}/reject', functionId: 'review-reward', access: ['finance'] },
  { method: 'POST', path: '/leads/{id}/case-outcome', functionId: 'review-reward', access: ['finance'] },
  { method: 'POST', path: '/leads/{id}/paid', functionId: 'review-reward', access: ['finance'] },
  // Staged payment (issue 17, part 5): each stage approved and paid on its own.
  {
    method: 'GET',
    path: '/leads/{id}/stages',
    functionId: 'review-reward',
    access: ['finance', 'finance-head', 'auditor'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/stages/{stage}/approval',
    functionId: 'review-reward',
    access: ['finance'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/stages/{stage}/paid',
    functionId: 'review-reward',
    access: ['finance'],
  },
  // Clawback (issue 17, part 6): finance proposes, another member decides, finance records the refund.
  {
    method: 'GET',
    path: '/leads/{id}/clawbacks',
    functionId: 'review-reward',
    access: ['finance', 'finance-head', 'auditor'],
  },
  { method: 'POST', path: '/leads/{id}/clawbacks', functionId: 'review-reward', access: ['finance'] },
  {
    method: 'POST',
    path: '/leads/{id}/clawbacks/{clawbackId}/approval',
    functionId: 'review-reward',
    access: ['finance'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/clawbacks/{clawbackId}/rejection',
    functionId: 'review-reward',
    access: ['finance'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/clawbacks/{clawbackId}/refund',
    functionId: 'review-reward',
    access: ['finance'],
  },
  // Rewards by decision (重奖, issue 20): proposers per policy (the handler checks), the tiers sign.
  {
    method: 'GET',
    path: '/leads/{id}/discretionary-rewards',
    functionId: 'review-reward',
    access: ['finance', 'finance-head', 'auditor'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/discretionary-rewards',
    functionId: 'review-reward',
    access: ['finance', 'finance-head', 'admin'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/discretionary-rewards/{rewardId}/approve',
    functionId: 'review-reward',
    access: ['finance', 'finance-head'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/discretionary-rewards/{rewardId}/reject',
    functionId: 'review-reward',
    access: ['finance'],
  },
  {
    method: 'POST',
    path: '/leads/{id}/discretionary-rewards/{rewardId}/paid',
    functionId: 'review-reward',
    access: ['finance'],
  },
  {
    method: 'GET',
    path: '/discretionary-rewards',
    functionId: 'review-reward',
    access: ['finance', 'finance-head', 'auditor'],
  },
  // 公示 (issue 17, part 4): the public list needs no token; objections are recorded by the admin.
  { method: 'GET', path: '/public/notices', functionId: 'public-notices', access: 'public' },
  {
    method: 'GET',
    path: '/leads/{id}/notice',
    functionId: 'notices',
    access: ['finance', 'finance-head', 'auditor', 'admin'],
  },
  { method: 'POST', path: '/notices/{noticeId}/objections', functionId: 'notices', access: ['admin'] },
  {
    method: 'POST',
    path: '/notices/{noticeId}/objections/{objectionId}/resolution',
    functionId: 'notices',
    access: ['admin'],
  },
  { method: 'POST', path: '/policies', functionId: 'admin', access: ['admin'] },
  { method: 'POST', path: '/funds', functionId: 'admin', access: ['admin'] },
  { method: 'POST', path: '/funds/{fundId}/top-up', functionId: 'admin', access: ['admin'] },
  // Projects (issue 15). A sector team reaches its own sector only (the handlers check the scope).
  { method: 'POST', path: '/projects', functionId: 'projects', access: ['sector', 'admin'] },
  {
    method: 'GET',
    path: '/projects',
    functionId: 'projects',
    access: ['sector', 'finance', 'auditor', 'admin'],
  },
  {
    method: 'GET',
    path: '/projects/{projectId}',
    functionId: 'projects',
    access: ['sector', 'finance', 'auditor', 'admin'],
  },
  {
    method: 'POST',
    path: '/projects/{projectId}/stage',
    functionId: 'projects',
    access: ['sector', 'admin'],
  },
  {
    method: 'PUT',
    path: '/projects/{projectId}/plans/{year}',
    functionId: 'projects',
    access: ['sector', 'admin'],
  },
  {
    method: 'POST',
    path: '/projects/{projectId}/progress',
    functionId: 'projects',
    access: ['sector', 'admin'],
  },
  {
    method: 'GET',
    path: '/supervision',
    functionId: 'projects',
    access: ['sector', 'finance', 'auditor', 'admin'],
  },
  {
    method: 'POST',
    path: '/supervision/{supervisionId}/resolve',
    functionId: 'projects',
    access: ['sector', 'admin'],
  },
  {
    method: 'GET',
    path: '/reports/monthly',
    functionId: 'project-reports',
    access: ['sector', 'finance', 'auditor', 'admin'],
  },
  {
    method: 'GET',
    path: '/reports/half-year',
    functionId: 'project-reports',
    access: ['sector', 'finance', 'auditor', 'admin'],
  },
  {
    method: 'GET',
    path: '/reports/ranking',
    functionId: 'project-reports',
    access: ['sector', 'finance', 'auditor', 'admin'],
  },
  {
    method: 'PUT',
    path: '/reports/ranking/{year}/{half}/ratings',
    functionId: 'project-admin',
    access: ['admin'],
  },
  {
    method: 'GET',
    path: '/calendar/{year}',
    functionId: 'project-admin',
    access: ['sector', 'finance', 'auditor', 'admin'],
  },
  { method: 'PUT', path: '/calendar/{year}', functionId: 'project-admin', access: ['admin'] },
  {
    method: 'GET',
    path: '/project-settings',
    functionId: 'project-admin',
    access: ['sector', 'finance', 'auditor', 'admin'],
  },
  { method: 'PUT', path: '/project-settings', functionId: 'project-admin', access: ['admin'] },
  // Lead import (issue 16): the uploading sector team only (the handler checks the scope).
  { method: 'GET', path: '/imports/leads/template', functionId: 'import-leads', access: ['sector'] },
  { method: 'POST', path: '/imports/leads', functionId: 'import-leads', access: ['sector'] },
  { method: 'GET', path: '/imports/leads/{importId}', functionId: 'import-leads', access: ['sector'] },
  // Exports (issue 16); GET /reports/monthly?format=xlsx|csv is the monthly ledger's route above.
  { method: 'GET', path: '/rewards/export', functionId: 'export-rewards', access: ['finance'] },
  {
    method: 'GET',
    path: '/discretionary-rewards/export',
    functionId: 'export-rewards',
    access: ['finance', 'finance-head', 'auditor'],
  },
  { method: 'GET', path: '/audit/export', functionId: 'export-audit', access: ['auditor'] },
] as const satisfies readonly RouteDefinition[];

// No batching window: a lead is evaluated as soon as it is queued (a zone's volume never fills a batch
// worth waiting for). Records of a batch are handled one after another (see withSqsBatch).
export const eventSources = [
  {
    queueId: 'Evaluation',
    functionId: 'evaluate-lead',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
  },
  {
    queueId: 'Allocation',
    functionId: 'allocate-fund',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
  },
  // One import per invocation: its rows take up to ~50 ms each.
  {
    queueId: 'LeadImport',
    functionId: 'create-imported-leads',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
  },
] as const satisfies readonly EventSourceDefinition[];

export const schedules = [
  // The tables are the truth, the queues only carry hints: whatever waits too long is sent again (a lost
  // message, a failed send), and money available in a fund goes to the leads waiting for it.
  { id: 'Reconcile', functionId: 'reconcile', rateMinutes: 1, atLocalStart: true },
  // Every audit chain's head into one global digest (issue 18): a minute is the most an entry waits to be
  // fixed by a digest outside the table.
  { id: 'AuditDigest', functionId: 'audit-digest', rateMinutes: 1 },
  // 督办: every morning at 08:00 Beijing time, before the office opens.
  {
    id: 'SuperviseProjects',
    functionId: 'supervise-projects',
    dailyAt: { hour: 8, minute: 0, timeZone: 'Asia/Shanghai' },
  },
] as const satisfies readonly ScheduleDefinition[];

export type TableId = (typeof tables)[number]['id'];
export type QueueId = (typeof queues)[number]['id'];
export type SecretId = (typeof secrets)[number]['id'];
export type BucketId = (typeof buckets)[number]['id'];
export type FunctionId = (typeof functions)[number]['id'];

const accessByRouteKey = new Map<string, RouteDefinition['access']>(
  (routes as readonly RouteDefinition[]).map((route) => [`${route.method} ${route.path}`, route.access]),
);

/** Who may call a route, by its route key (`POST /leads`): what every HTTP handler checks. */
export function routeAccess(routeKey: string): RouteDefinition['access'] | undefined {
  return accessByRouteKey.get(routeKey);
}
