import createClient, { type Middleware } from 'openapi-fetch';
import { currentToken, signOut } from '../auth/session.ts';
import { currentLanguage } from '../i18n/language.ts';
import type { paths } from './schema.d.ts';

/** An RFC 9457 problem as the API answers it; `errors` names each bad field. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code?: string;
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
}

let baseUrl = '';

/** Set once from the runtime configuration (`config.json`): empty means the console's own origin. */
export function setApiBaseUrl(url: string): void {
  baseUrl = url.replace(/\/$/, '');
  api = build();
}

/** The API's origin as configured (empty: the console's own). */
export function apiBaseUrl(): string {
  return baseUrl;
}

// Every request carries the token and the console's language; a 401 ends the session (expired token).
const session: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token !== undefined) request.headers.set('Authorization', `Bearer ${token}`);
    request.headers.set('Accept-Language', currentLanguage() === 'zh' ? 'zh-CN' : 'en');
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) signOut('expired');
    return response;
  },
};

function build() {
  const client = createClient<paths>({ baseUrl });
  client.use(session);
  return client;
}

/** The typed API client: paths, bodies and answers come from the generated OpenAPI types. */
export let api = build();

/** The problem of a failed call, or a generic one when the answer was not problem+json. */
export function problemOf(error: unknown, status: number): Problem {
  if (typeof error === 'object' && error !== null && 'type' in error && 'title' in error) {
    return error as Problem;
  }
  return { type: 'about:blank', title: `HTTP ${status}`, status, detail: '' };
}
