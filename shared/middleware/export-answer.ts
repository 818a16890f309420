import type { DeliveredExport } from '#shared/ports/export-delivery.ts';
import type { HttpResponse } from './with-http.ts';

/**
 * The HTTP answer of a delivered export: the file itself (200, attachment), or `303 See Other` with
 * `Location:` the pre-signed URL and a small JSON body `{ url, expiresAt }` for clients that do not follow.
 */
export function exportAnswer(
  delivered: DeliveredExport,
  headers: Readonly<Record<string, string>> = {},
): HttpResponse {
  if (delivered.kind === 'inline') return { statusCode: 200, file: delivered.file, headers };
  return {
    statusCode: 303,
    headers: { ...headers, location: delivered.url, 'cache-control': 'no-store' },
    body: { url: delivered.url, expiresAt: delivered.expiresAt },
  };
}
