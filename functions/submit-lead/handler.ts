import { routeAccess } from '#infra/resources.ts';
import { keyedHashingAdapters } from '#shared/adapters/hashing-adapters.ts';
import { ValidationError } from '#shared/errors.ts';
import { type BodyParser, bodyParser, withHttp } from '#shared/middleware/with-http.ts';
import { type Lead, LeadSchema, parseLead } from '#shared/schemas/lead.ts';
import { type SubmitLeadDeps, submitLead } from '#shared/use-cases/submit-lead.ts';

// LeadSchema, and the sector membership the configuration adds.
const leadBody: BodyParser<Lead> = bodyParser(LeadSchema, (json) => {
  const parsed = parseLead(json);
  return parsed.ok ? { ok: true, value: parsed.lead } : parsed;
});

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** POST /leads: a sector team submits a lead; 202 once it is stored and queued for evaluation. */
export function createHandler(deps: SubmitLeadDeps) {
  return withHttp({ access: routeAccess, body: leadBody }, async ({ principal, body, rawBody, headers }) => {
    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationError([
        {
          field: 'Idempotency-Key',
          message: {
            zh: '必须提供此请求头：1 至 128 个可见 ASCII 字符',
            en: 'header is required: 1 to 128 visible ASCII characters',
          },
        },
      ]);
    }
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
