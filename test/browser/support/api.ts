/**
 * Data for browser tests, made quickly through the real API with dev tokens (the same client as the cloud
 * suite, `#test/support/api.ts`, pointed at the browser suite's stack): set the scene over HTTP, then
 * drive only the part under test in the browser.
 */
import { randomUUID } from 'node:crypto';
import type { DevRole } from '#infra/local/dev-identity.ts';
import type { LeadInput } from '#shared/schemas/lead.ts';
import { api, freshLead, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';

export {
  api,
  eventually,
  freshLead,
  randomUscc,
  submit,
  tokenFor,
  waitForEvaluation,
} from '#test/support/api.ts';

export interface SubmittedLead {
  readonly leadId: string;
  /** The submitting officer's token. */
  readonly token: string;
  readonly user: string;
  readonly lead: LeadInput;
}

/**
 * A lead of `sector` submitted by `user` (a fresh investor and project name unless given) and evaluated by
 * the pipeline: PENDING_FINANCE or PENDING_CASE_REVIEW when it returns.
 */
export async function evaluatedLead(
  sector: string,
  user = `officer-${randomUUID().slice(0, 8)}`,
  overrides: Partial<LeadInput> = {},
): Promise<SubmittedLead> {
  const token = await tokenFor(`sector:${sector}`, user);
  const lead = freshLead(sector, overrides);
  const leadId = await submit(token, lead);
  await waitForEvaluation(token, leadId);
  await waitForAllocation(token, leadId);
  return { leadId, token, user, lead };
}

/**
 * Finance works on a lead once the pipeline has settled it: the queued fund allocation has arrived too.
 * (A case outcome or approval racing the allocation may be refused as a concurrent change, rightly, and the
 * console says so; the journeys test the work, not that race.) A lead without a claim settles at once.
 */
async function waitForAllocation(token: string, leadId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const view = await api<{
      allocation: unknown;
      latestDecision: { decision: { fund: { capFen?: number } } } | null;
    }>('GET', `/leads/${leadId}`, { token });
    const cap = view.body.latestDecision?.decision.fund.capFen ?? 0;
    if (view.body.allocation !== null || cap === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** The officer reports the actual investment (what makes a reward payable); waits for its re-evaluation. */
export async function reportActualInvestment(
  submitted: SubmittedLead,
  amount = '1.2亿',
  evidence = '统计局入库记录 2026-07',
): Promise<void> {
  const answer = await api<{ revision: number }>('POST', `/leads/${submitted.leadId}/actual-investment`, {
    token: submitted.token,
    body: { amount, evidence },
  });
  if (answer.status !== 202)
    throw new Error(`actual investment: ${answer.status} ${JSON.stringify(answer.body)}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const lead = await api<{ latestRevision: number; status: string }>('GET', `/leads/${submitted.leadId}`, {
      token: submitted.token,
    });
    if (lead.body.latestRevision >= answer.body.revision) return;
    if (Date.now() > deadline)
      throw new Error(`lead ${submitted.leadId}: revision ${answer.body.revision} not decided`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** One call as a role's user (a token minted for it). */
export async function apiAs<T = Record<string, unknown>>(
  role: DevRole,
  user: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
) {
  return api<T>(method, path, { token: await tokenFor(role, user), ...(body === undefined ? {} : { body }) });
}
