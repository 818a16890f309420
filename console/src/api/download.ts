import { currentToken, signOut } from '../auth/session.ts';
import { currentLanguage } from '../i18n/language.ts';
import { apiBaseUrl, type Problem } from './client.ts';

/** A file the API answered (an export, the import template), saved under the name the API gave it. */
export type ExportFormat = 'xlsx' | 'csv';

/**
 * Downloads `path?query` as the signed-in user and hands it to the browser's save. The API answers the
 * file itself, or in the cloud, when it is bigger than a function's answer, 303 to a short-lived link,
 * which fetch follows (the link's storage allows any origin to read: the signature is the secret).
 * Throws the API's problem when it refused.
 */
export async function downloadFile(
  path: string,
  query: Readonly<Record<string, string>> = {},
): Promise<void> {
  const search = new URLSearchParams(query).toString();
  const token = currentToken();
  const response = await fetch(`${apiBaseUrl()}${path}${search === '' ? '' : `?${search}`}`, {
    headers: {
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      'Accept-Language': currentLanguage() === 'zh' ? 'zh-CN' : 'en',
    },
  });
  if (response.status === 401) signOut('expired');
  if (!response.ok) throw await problemFrom(response);
  const blob = await response.blob();
  saveBlob(blob, fileNameOf(response.headers.get('content-disposition')) ?? fallbackName(path, query));
}

async function problemFrom(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Problem;
    if (typeof body.title === 'string') return body;
  } catch {
    // not problem+json: say what status it was
  }
  return { type: 'about:blank', title: `HTTP ${response.status}`, status: response.status, detail: '' };
}

/** The name from Content-Disposition: RFC 8187 `filename*` (the Chinese name) before plain `filename`. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (disposition === null) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1] !== undefined) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // a malformed name: fall through to the plain one
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(disposition) ?? /filename\s*=\s*([^;]+)/i.exec(disposition);
  return plain?.[1]?.trim() || undefined;
}

function fallbackName(path: string, query: Readonly<Record<string, string>>): string {
  const base = path.split('/').filter(Boolean).join('-');
  return `${base}.${query.format ?? 'xlsx'}`;
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked at once, some browsers cancel the save they have just begun: let it go a minute later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
