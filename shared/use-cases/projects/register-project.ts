/**
 * `POST /projects`: a sector team (its own sector) or the admin registers a project: name, sector, kind
 * (新开工, 续建, 竣工, 预备), 市级重大项目 type, the 帮包 team, the planned start month, the stage it is at.
 * A signed lead may become the project: linked both ways (the project names the lead; the lead's project
 * is found with `GET /projects?leadId=`), one project per lead, its investor, investment and category
 * taken over. With an Idempotency-Key a retry answers the same project; the same key with another body
 * is 409. The project, its first stage event and the audit entry are one transaction.
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '#shared/auth/principal.ts';
import { canonicalJson, hashCanonical, sha256Hex } from '#shared/domain/canonical-json.ts';
import { initialState } from '#shared/domain/projects/stages.ts';
import { isSectorCode } from '#shared/domain/sectors.ts';
import { ConflictError, type FieldProblem, ForbiddenError, ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { ProjectReference, ProjectStore } from '#shared/ports/projects.ts';
import { stageIndexOf } from '#shared/schemas/project-settings.ts';
import type { CreateProjectBody, ProjectRecord, StageEvent } from '#shared/schemas/projects.ts';
import { actorFor, mayChangeSector, settingsOf, todayOf } from './project-context.ts';

export interface RegisterProjectDeps {
  readonly projects: Pick<ProjectStore, 'get' | 'create'>;
  readonly leads: Pick<LeadStore, 'get'>;
  readonly reference: Pick<ProjectReference, 'settings'>;
  readonly clock: Clock;
}

export interface RegisterProjectCommand {
  readonly principal: Principal;
  readonly body: CreateProjectBody;
  readonly rawBody: unknown;
  readonly idempotencyKey?: string;
}

export function projectIdFor(userId: string, idempotencyKey: string | undefined): string {
  const seed =
    idempotencyKey === undefined ? randomBytes(16).toString('hex') : `${userId}\n${idempotencyKey}`;
  return `pj_${sha256Hex(seed).slice(0, 24)}`;
}

export async function registerProject(
  deps: RegisterProjectDeps,
  command: RegisterProjectCommand,
): Promise<{ project: ProjectRecord; replayed: boolean }> {
  const { principal, body } = command;
  if (!isSectorCode(body.sector)) {
    throw new ValidationError([
      { field: 'sector', message: { zh: '不是已配置的招商专班', en: 'is not a configured sector team' } },
    ]);
  }
  if (!mayChangeSector(principal, body.sector)) {
    throw new ForbiddenError({
      zh: `专班 ${body.sector} 的项目只能由该专班或管委会登记。`,
      en: `A project of sector ${body.sector} can only be registered by that sector's team or the admin.`,
    });
  }
  const settings = await settingsOf(deps.reference);
  const today = todayOf(deps.clock);
  const stage = body.stage ?? settings.signedStage;
  const problems: FieldProblem[] = [];
  if (stageIndexOf(settings, stage) < 0) {
    const codes = settings.stages.map((known) => known.code);
    problems.push({
      field: 'stage',
      message: { zh: `须为以下之一：${codes.join('、')}`, en: `must be one of ${codes.join(', ')}` },
    });
  }
  const stageOn = body.stageOn ?? today;
  if (stageOn > today) {
    problems.push({
      field: 'stageOn',
      message: { zh: '不能晚于今天', en: 'must not be after today (Asia/Shanghai)' },
    });
  }

  let { investor, totalInvestment, category } = body;
  if (body.leadId !== undefined) {
    const lead = await deps.leads.get(body.leadId);
    // Another sector's lead reads as a missing one: a team learns nothing of other sectors' leads.
    if (lead === undefined || lead.sector !== body.sector) {
      problems.push({
        field: 'leadId',
        message: { zh: '本专班没有这条线索', en: 'is not a lead of this sector' },
      });
    } else {
      investor ??= { name: lead.lead.investor.name, uscc: lead.lead.investor.uscc };
      totalInvestment ??= lead.lead.actualInvestment ?? lead.lead.plannedInvestment;
      category ??= lead.lead.category;
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);

  const projectId = projectIdFor(principal.userId, command.idempotencyKey);
  const requestHash = sha256Hex(canonicalJson(command.rawBody));
  const existing = await deps.projects.get(projectId);
  if (existing !== undefined) return replayOf(existing, requestHash);

  const at = deps.clock.now().toISOString();
  const actor = actorFor(principal, body.sector);
  const project = initialState(
    {
      projectId,
      name: body.name,
      sector: body.sector,
      leadId: body.leadId ?? null,
      kind: body.kind,
      municipalMajor: body.municipalMajor,
      team: body.team,
      plannedStartMonth: body.plannedStartMonth ?? null,
      investor: investor ?? null,
      totalInvestmentFen: totalInvestment ?? null,
      category: category ?? null,
      stage,
      stageOn,
      createdAt: at,
      createdBy: actor,
      updatedAt: at,
      version: 1,
      requestHash,
    },
    settings,
  );
  const event: StageEvent = {
    projectId,
    seq: 1,
    from: null,
    to: stage,
    on: stageOn,
    direction: 'initial',
    note: null,
    reason: null,
    at,
    by: actor,
  };
  const outcome = await deps.projects.create(project, event, {
    at,
    actor,
    action: 'project.created',
    subject: projectId,
    inputHash: hashCanonical(project),
    policyVersion: settings.version,
    details: {
      sector: project.sector,
      kind: project.kind,
      municipalMajor: project.municipalMajor,
      stage,
      stageOn,
      leadId: project.leadId,
      plannedStartMonth: project.plannedStartMonth,
    },
  });
  if (outcome === 'lead_taken') {
    throw new ConflictError('lead_already_linked', {
      zh: `线索 ${body.leadId} 已转为另一个项目。`,
      en: `Lead ${body.leadId} has become another project already.`,
    });
  }
  if (outcome === 'exists') {
    // A concurrent request with the same key stored it a moment ago.
    const stored = await deps.projects.get(projectId);
    if (stored !== undefined) return replayOf(stored, requestHash);
  }
  return { project, replayed: false };
}

function replayOf(
  existing: ProjectRecord,
  requestHash: string,
): { project: ProjectRecord; replayed: boolean } {
  if (existing.requestHash !== requestHash) {
    throw new ConflictError('idempotency_key_reused', {
      zh: '此 Idempotency-Key 已用于另一个请求体；登记新项目请换一个键。',
      en: 'This Idempotency-Key was already used with another body. Use a new key for a new project.',
    });
  }
  return { project: existing, replayed: true };
}
