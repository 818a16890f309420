import { inject } from 'vitest';
import { type DevIdentity, type DevRole, loadDevIdentity } from '#infra/local/dev-identity.ts';

/** A user's view of the local stack: signed-in calls over HTTP, as curl or a browser would make them. */

let identity: Promise<DevIdentity> | undefined;

export function tokenFor(role: DevRole, userId?: string): Promise<string> {
  identity ??= loadDevIdentity();
  return identity.then((id) => id.issue({ role, userId: userId ?? `user-${role.replace(':', '-')}` }));
}

export interface ApiCall {
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

async function call<T>(
  method: string,
  path: string,
  body: unknown,
  options: ApiCall,
): Promise<ApiResponse<T>> {
  const { baseUrl } = inject('localCloud');
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export const api = {
  get: <T = unknown>(path: string, options: ApiCall = {}) => call<T>('GET', path, undefined, options),
  post: <T = unknown>(path: string, body: unknown, options: ApiCall = {}) =>
    call<T>('POST', path, body, options),
};

/** Copies the local cloud's environment into this worker, so adapters and handlers reach its engines. */
export function useLocalCloudEnv(): void {
  Object.assign(process.env, inject('localCloud').env);
}

/** Polls until `probe` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
