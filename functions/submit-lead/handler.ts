import { routeAccess } from '#infra/resources.ts';
import { keyedHashingAdapters } from '#shared/adapters/hashing-adapters.ts';
import { requiredIdempotencyKey } from '#shared/middleware/idempotency-key.ts';
import { type BodyParser, bodyParser, withHttp } from '#shared/middleware/with-http.ts';
import { type Lead, LeadSchema, parseLead } from '#shared/schemas/lead.ts';
import { type SubmitLeadDeps, submitLead } from '#shared/use-cases/submit-lead.ts';

// LeadSchema, and the sector membership the configuration adds.
const leadBody: BodyParser<Lead> = bodyParser(LeadSchema, (json) => {
  const parsed = parseLead(json);
  return parsed.ok ? { ok: true, value: parsed.lead } : parsed;
});

/** POST /leads: a sector team submits a lead; 202 once it is stored and queued for evaluation. */
export function createHandler(deps: SubmitLeadDeps) {
  return withHttp({ access: routeAccess, body: leadBody }, async ({ principal, body, rawBody, headers }) => {
    const idempotencyKey = requiredIdempotencyKey(headers);
    const result = await submitLead(deps, { principal, idempotencyKey, lead: body, rawBody });
    return {
      statusCode: 202,
      headers: {
        location: `/leads/${result.leadId}`,
        ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
      body: { leadId: result.leadId, status: result.status, duplicateOf: result.duplicateOf },
    };
  });
}

export const handler = createHandler(keyedHashingAdapters());
