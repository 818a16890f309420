import { routeAccess } from '#infra/resources.ts';
import { keyedHashingAdapters } from '#shared/adapters/hashing-adapters.ts';
import { leadImportStores } from '#shared/adapters/lead-import-adapters.ts';
import {
  LEAD_IMPORT_CONTENT_TYPES,
  LEAD_IMPORT_LIMITS,
  LEAD_IMPORT_TEMPLATE_FILE_NAME,
  XLSX_CONTENT_TYPE,
} from '#shared/lead-import/import-limits.ts';
import { leadImportTemplate } from '#shared/lead-import/lead-template.ts';
import { negotiateLanguage } from '#shared/middleware/language.ts';
import { localRow } from '#shared/middleware/problem-json.ts';
import { byRoute, withHttp, zodQuery } from '#shared/middleware/with-http.ts';
import { ImportLeadsQuerySchema } from '#shared/schemas/lead-import.ts';
import {
  type GetImportDeps,
  getImport,
  type ImportLeadsDeps,
  importLeads,
} from '#shared/use-cases/import-leads.ts';

/** Lead import: the template, the upload (checked at once, leads made by the queue worker), the progress. */
export function createHandler(deps: ImportLeadsDeps & GetImportDeps) {
  return byRoute(
    {
      'GET /imports/leads/template': withHttp({ access: routeAccess }, async () => ({
        statusCode: 200,
        file: {
          bytes: await leadImportTemplate(),
          contentType: XLSX_CONTENT_TYPE,
          fileName: LEAD_IMPORT_TEMPLATE_FILE_NAME,
        },
      })),
      'POST /imports/leads': withHttp(
        {
          access: routeAccess,
          query: zodQuery(ImportLeadsQuerySchema),
          binaryBody: { contentTypes: LEAD_IMPORT_CONTENT_TYPES, maxBytes: LEAD_IMPORT_LIMITS.maxFileBytes },
        },
        async ({ principal, query, binaryBody, headers }) => {
          const language = negotiateLanguage(headers['accept-language']);
          const { replayed, ...answer } = await importLeads(deps, {
            principal,
            bytes: binaryBody ?? new Uint8Array(),
            mode: query.mode,
          });
          return {
            statusCode: 202,
            headers: {
              location: `/imports/leads/${answer.importId}`,
              'content-language': language,
              vary: 'Accept-Language',
              ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
            },
            body: { ...answer, refused: answer.refused.map((row) => localRow(row, language)) },
          };
        },
      ),
      'GET /imports/leads/{importId}': withHttp(
        { access: routeAccess },
        async ({ principal, pathParameters }) => ({
          statusCode: 200,
          body: await getImport(deps, { principal, importId: pathParameters.importId ?? '' }),
        }),
      ),
    },
    routeAccess,
  );
}

const adapters = keyedHashingAdapters();
export const handler = createHandler({ ...adapters, ...leadImportStores(adapters.config) });
