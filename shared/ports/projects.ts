import type { YearCalendar } from '#shared/domain/projects/working-days.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { ProjectSettings } from '#shared/schemas/project-settings.ts';
import type {
  PlanRecord,
  ProgressEntry,
  ProjectRecord,
  RatingsRecord,
  StageEvent,
  SupervisionItem,
} from '#shared/schemas/projects.ts';

/** How many projects one `getMany` reads (DynamoDB's BatchGetItem takes 100 keys). */
export const PROJECTS_PER_GET = 100;

/**
 * Projects after signing: the project, its stage events, its yearly plans and monthly reports. Every
 * write lands with its audit entry in one transaction; nothing is overwritten but the project's own
 * current state, and that only over the version it was read at.
 */
export interface ProjectStore {
  get(projectId: string): Promise<ProjectRecord | undefined>;
  /** Every project, or a sector's, oldest first. */
  all(sector?: string): Promise<ProjectRecord[]>;
  /** The projects of up to {@link PROJECTS_PER_GET} ids, in no particular order; an unknown id is left out. */
  getMany(projectIds: readonly string[]): Promise<ProjectRecord[]>;
  /** The project a lead became, if any. */
  projectOfLead(leadId: string): Promise<string | undefined>;
  /**
   * Registers a project with its first stage event (and its link to a lead, which only one project may
   * have). `exists`: the id is taken (a retry); `lead_taken`: another project has the lead.
   */
  create(
    project: ProjectRecord,
    event: StageEvent,
    audit: AuditEntryDraft,
  ): Promise<'created' | 'exists' | 'lead_taken'>;
  events(projectId: string): Promise<StageEvent[]>;
  /** Writes the moved project over `previousVersion` with its event; `conflict` if either was taken. */
  moveStage(
    previousVersion: number,
    project: ProjectRecord,
    event: StageEvent,
    audit: AuditEntryDraft,
  ): Promise<'applied' | 'conflict'>;
  plans(projectId: string): Promise<PlanRecord[]>;
  /** `conflict`: that revision number was taken meanwhile. */
  addPlan(plan: PlanRecord, audit: AuditEntryDraft): Promise<'added' | 'conflict'>;
  progress(projectId: string): Promise<ProgressEntry[]>;
  /** `conflict`: that month's sequence number was taken meanwhile. */
  addProgress(entry: ProgressEntry, audit: AuditEntryDraft): Promise<'added' | 'conflict'>;
  /**
   * Every plan revision of a year, all projects; `onPlan` sees each as it is read (a caller may start
   * work on it before the last page is in).
   */
  plansOfYear(year: number, onPlan?: (plan: PlanRecord) => void): Promise<PlanRecord[]>;
  /** Every monthly entry of a year, all projects (corrections included). */
  progressOfYear(year: number): Promise<ProgressEntry[]>;
}

export interface SupervisionStore {
  get(itemId: string): Promise<SupervisionItem | undefined>;
  /** Open items, or every item (open and resolved). */
  list(status?: SupervisionItem['status']): Promise<SupervisionItem[]>;
  /** `exists`: the item was opened before (the daily run is idempotent by item id). */
  open(item: SupervisionItem, audit: AuditEntryDraft): Promise<'opened' | 'exists'>;
  /** Writes the item over `previousVersion`; `conflict` when someone changed it meanwhile. */
  update(
    previousVersion: number,
    item: SupervisionItem,
    audit: AuditEntryDraft,
  ): Promise<'applied' | 'conflict'>;
}

export interface StoredCalendar extends YearCalendar {
  readonly revision: number;
  readonly at: string;
}

/** Reference data of project tracking: the settings document and the working-day calendar. */
export interface ProjectReference {
  /** The newest published settings, or undefined when none was published (the defaults apply). */
  settings(): Promise<{ settings: ProjectSettings; revision: number } | undefined>;
  publishSettings(
    settings: ProjectSettings,
    revision: number,
    audit: AuditEntryDraft,
  ): Promise<'published' | 'version_exists' | 'conflict'>;
  calendar(year: number): Promise<StoredCalendar | undefined>;
  setCalendar(calendar: StoredCalendar, audit: AuditEntryDraft): Promise<'set' | 'conflict'>;
  ratings(year: number, half: number): Promise<RatingsRecord | undefined>;
  setRatings(record: RatingsRecord, audit: AuditEntryDraft): Promise<'set' | 'conflict'>;
}
