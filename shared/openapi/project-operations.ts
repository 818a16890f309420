/**
 * The OpenAPI operations of project tracking (issue 15), merged into the document by `document.ts`.
 * Bodies and queries are the very schemas the handlers parse with; responses the use cases' views.
 */
import * as z from 'zod';
import { ProjectSettingsSchema } from '#shared/schemas/project-settings.ts';
import {
  CalendarBodySchema,
  CreateProjectBodySchema,
  HalfYearQuerySchema,
  ListProjectsQuerySchema,
  MonthlyReportQuerySchema,
  PlanBodySchema,
  PlanRecordSchema,
  ProgressBodySchema,
  ProgressEntrySchema,
  ProjectQuerySchema,
  RankingQuerySchema,
  RatingsBodySchema,
  RatingsRecordSchema,
  ResolveBodySchema,
  StageBodySchema,
  StageEventSchema,
  SupervisionItemSchema,
  SupervisionQuerySchema,
} from '#shared/schemas/projects.ts';
import { CalendarViewSchema, SettingsViewSchema } from '#shared/use-cases/projects/project-admin.ts';
import {
  ProjectListSchema,
  ProjectRecordViewSchema,
  ProjectViewSchema,
} from '#shared/use-cases/projects/project-queries.ts';
import {
  HalfYearReportSchema,
  MonthlyReportSchema,
  RankingSchema,
} from '#shared/use-cases/projects/project-reports.ts';
import { SupervisionListSchema } from '#shared/use-cases/projects/supervise-projects.ts';
import { body, json, type Operation, optionalIdempotencyKeyHeader } from './operation.ts';

const ProjectRecordView = ProjectRecordViewSchema.meta({ id: 'Project' });
const SupervisionItem = SupervisionItemSchema.meta({ id: 'SupervisionItem' });
const PlanRecord = PlanRecordSchema.meta({ id: 'PlanRecord' });
const ProgressEntry = ProgressEntrySchema.meta({ id: 'ProgressEntry' });
const CalendarView = CalendarViewSchema.meta({ id: 'WorkingDayCalendar' });

export const projectOperations: Readonly<Record<string, Operation>> = {
  'POST /projects': {
    summary:
      'Register a project (a sector team for its own sector, or the admin); a signed lead may become it',
    description:
      'With an `Idempotency-Key` header a retry answers the same project (200, `Idempotent-Replayed: true`); the same key with another body is 409. `leadId` links a lead of the same sector (one project per lead) and takes over its investor, investment and category. `plannedStartMonth` is required for a 新开工 (`new`) project.',
    requestParams: optionalIdempotencyKeyHeader('Optional: the same key and body answer the same project'),
    requestBody: body(CreateProjectBodySchema, 'ProjectRequest'),
    responses: {
      201: json(ProjectRecordView, 'Registered'),
      200: json(ProjectRecordView, 'A retry: the project registered with this key'),
    },
    errors: [400, 409, 413, 415],
  },
  'GET /projects': {
    summary:
      'Projects with their figures and light for a ledger month, newest first (a sector team: its own)',
    description:
      '`month` defaults to the newest month whose report is due (the 25th, Asia/Shanghai). `leadId` finds the project a lead became.',
    requestParams: { query: ListProjectsQuerySchema },
    responses: { 200: json(ProjectListSchema.meta({ id: 'ProjectList' }), 'A page of projects') },
    errors: [400],
  },
  'GET /projects/{projectId}': {
    summary: 'A project: figures and light for a month, stage history, every plan revision and monthly entry',
    requestParams: { query: ProjectQuerySchema },
    responses: { 200: json(ProjectViewSchema.meta({ id: 'ProjectView' }), 'The project') },
    errors: [400, 404],
  },
  'POST /projects/{projectId}/stage': {
    summary:
      'Move the project to a stage (back to an earlier one needs a reason; a 续建 project at 在建 records its 复工)',
    requestBody: body(StageBodySchema, 'StageRequest'),
    responses: {
      200: json(
        z.object({ project: ProjectRecordView, event: StageEventSchema }).meta({ id: 'StageMoved' }),
        'Moved',
      ),
    },
    errors: [400, 404, 409],
  },
  'PUT /projects/{projectId}/plans/{year}': {
    summary:
      'Set the year’s investment plan: 12 monthly amounts summing to it, or an even split (remainder in December)',
    description: 'A new plan is a new revision (201); the same plan again answers the stored one (200).',
    requestBody: body(PlanBodySchema, 'PlanRequest'),
    responses: {
      201: json(PlanRecord, 'A new plan revision'),
      200: json(PlanRecord, 'The same plan, stored already'),
    },
    errors: [400, 404, 409],
  },
  'POST /projects/{projectId}/progress': {
    summary:
      'Report a month’s completed investment (due by the 25th; later is flagged late; a correction is a new entry)',
    requestBody: body(ProgressBodySchema, 'ProgressRequest'),
    responses: {
      201: json(ProgressEntry, 'Recorded (a correction names the entry it corrects)'),
      200: json(ProgressEntry, 'The same report, stored already'),
    },
    errors: [400, 404, 409],
  },
  'GET /supervision': {
    summary: '督办 items: open first, the most urgent level first (a sector team: its own sector)',
    requestParams: { query: SupervisionQuerySchema },
    responses: { 200: json(SupervisionListSchema.meta({ id: 'SupervisionList' }), 'The items') },
    errors: [400],
  },
  'POST /supervision/{supervisionId}/resolve': {
    summary: 'Resolve a 督办 item with a note (the project’s sector team or the admin)',
    requestBody: body(ResolveBodySchema, 'ResolveRequest'),
    responses: { 200: json(SupervisionItem, 'Resolved') },
    errors: [400, 404, 409],
  },
  'GET /reports/monthly': {
    summary:
      'The 月度台账 of a month: one row per project of the year’s ledger and a 合计 row, with 开工率 and 复工率',
    requestParams: { query: MonthlyReportQuerySchema },
    responses: { 200: json(MonthlyReportSchema.meta({ id: 'MonthlyLedger' }), 'The ledger') },
    errors: [400],
  },
  'GET /reports/half-year': {
    summary:
      'The half-year review: the figures and the paragraph phrased as the zone’s own (amounts in 亿元)',
    requestParams: { query: HalfYearQuerySchema },
    responses: { 200: json(HalfYearReportSchema.meta({ id: 'HalfYearReview' }), 'The review') },
    errors: [400],
  },
  'GET /reports/ranking': {
    summary:
      '半年评比 of the sector teams, each indicator’s points explained (a sector team sees its own row)',
    requestParams: { query: RankingQuerySchema },
    responses: { 200: json(RankingSchema.meta({ id: 'TeamRanking' }), 'The ranking') },
    errors: [400],
  },
  'PUT /reports/ranking/{year}/{half}/ratings': {
    summary: 'Enter the parks’ and field teams’ ratings of the sector teams for a half-year (a new revision)',
    requestBody: body(RatingsBodySchema, 'RatingsRequest'),
    responses: {
      201: json(RatingsRecordSchema.meta({ id: 'Ratings' }), 'A new revision'),
      200: json(RatingsRecordSchema, 'The same ratings, stored already'),
    },
    errors: [400, 409],
  },
  'GET /calendar/{year}': {
    summary:
      'The working-day calendar of a year: holidays and 调休 working days (default weekdays otherwise)',
    responses: { 200: json(CalendarView, 'The calendar') },
    errors: [400],
  },
  'PUT /calendar/{year}': {
    summary: 'Enter a year’s holidays and 调休 working days, as the State Council’s notice sets them',
    requestBody: body(CalendarBodySchema, 'CalendarRequest'),
    responses: {
      201: json(CalendarView, 'A new revision'),
      200: json(CalendarView, 'The same calendar, stored already'),
    },
    errors: [400, 409],
  },
  'GET /project-settings': {
    summary: 'The settings of project tracking in force (revision 0: the built-in defaults)',
    responses: { 200: json(SettingsViewSchema.meta({ id: 'ProjectSettingsView' }), 'The settings') },
  },
  'PUT /project-settings': {
    summary: 'Publish a new version of the settings (every number of the ledger, lights, 督办 and ranking)',
    requestBody: body(ProjectSettingsSchema, 'ProjectSettings'),
    responses: { 201: json(SettingsViewSchema, 'Published') },
    errors: [400, 409],
  },
};
