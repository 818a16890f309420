import { routeAccess, routes } from '#infra/resources.ts';
import { withHttp } from '#shared/middleware/with-http.ts';
import { buildOpenApiDocument } from '#shared/openapi/document.ts';

/** GET /openapi.json (public): the OpenAPI 3.1 document, built once per cold start. */
export function createHandler(document: unknown = buildOpenApiDocument(routes)) {
  return withHttp({ access: routeAccess }, async () => ({
    statusCode: 200,
    headers: { 'cache-control': 'public, max-age=300' },
    body: document,
  }));
}

export const handler = createHandler();
