import * as z from 'zod';
import type { ZodOpenApiOperationObject } from 'zod-openapi';
import { IDEMPOTENCY_KEY } from '#shared/middleware/idempotency-key.ts';

/**
 * What each area (leads, projects, payout, import, exports) registers for a route; the rest (security,
 * the errors every route can answer, roles) comes from the route's definition in document.ts.
 */
export interface Operation {
  readonly summary: string;
  readonly description?: string;
  readonly requestParams?: ZodOpenApiOperationObject['requestParams'];
  readonly requestBody?: ZodOpenApiOperationObject['requestBody'];
  readonly responses: ZodOpenApiOperationObject['responses'];
  /** Error statuses beyond those every route can answer. */
  readonly errors?: readonly number[];
}

/** The optional `Idempotency-Key` header of a write route, as the middleware checks it. */
export const optionalIdempotencyKeyHeader = (description: string) => ({
  header: z.object({
    'idempotency-key': z.string().regex(IDEMPOTENCY_KEY).optional().meta({ description }),
  }),
});

/** A JSON response of this schema. */
export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body of this schema, registered as a component under `id`. */
export const body = (schema: z.ZodType, id: string) => ({
  required: true,
  content: { 'application/json': { schema: schema.meta({ id }) } },
});

/** An .xlsx file as a request or response body. */
export const XlsxFile = z
  .string()
  .meta({ format: 'binary', description: 'An .xlsx workbook (Office Open XML)' });
