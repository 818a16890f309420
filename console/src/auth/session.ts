import type { UserManager } from 'oidc-client-ts';
import { useSyncExternalStore } from 'react';
import { currentLanguage } from '../i18n/language.ts';

/**
 * Who is signed in. Locally `GET /dev/sign-in?role=&user=` mints a dev token and redirects here with it in
 * the URL fragment (never sent to a server, removed at once). In the cloud the console signs in at the
 * deployment's OIDC issuer (Cognito's hosted sign-in by default, any OIDC provider otherwise) with the
 * authorization code flow and PKCE, and calls the API with the ID token, whose audience is the console's
 * client: what API Gateway's JWT authorizer checks.
 */

export type AuthSettings =
  | { readonly mode: 'dev' }
  | {
      readonly mode: 'oidc';
      readonly authority: string;
      readonly clientId: string;
      readonly scope?: string;
      /** Set when the provider's discovery document has none (Cognito's managed login). */
      readonly endSessionEndpoint?: string;
    };

export interface RuntimeConfig {
  /** Where the API answers; empty when it shares the console's origin (the local stack). */
  readonly apiBaseUrl: string;
  readonly auth: AuthSettings;
}

const TOKEN_KEY = 'kfq.console.token';
const BASE = '/console';

interface SessionState {
  readonly token: string | undefined;
  readonly endedBecause: 'expired' | 'signed-out' | undefined;
}

let state: SessionState = { token: undefined, endedBecause: undefined };
const listeners = new Set<() => void>();
let userManager: UserManager | undefined;

function uiLocale(): string {
  return currentLanguage() === 'zh' ? 'zh-CN' : 'en';
}

function publish(next: SessionState) {
  state = next;
  for (const listener of listeners) listener();
}

function expiresAt(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]?.replace(/-/g, '+').replace(/_/g, '/') ?? ''));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

function usable(token: string | null | undefined): token is string {
  return typeof token === 'string' && token.length > 0 && expiresAt(token) > Date.now();
}

/** Reads the configuration, finishes a sign-in that is coming back, and restores a kept session. */
export async function initSession(config: RuntimeConfig): Promise<void> {
  if (config.auth.mode === 'oidc') {
    // Loaded only where sign-in is OIDC: the local console never needs it.
    const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
    userManager = new UserManager({
      authority: config.auth.authority,
      client_id: config.auth.clientId,
      redirect_uri: `${window.location.origin}${BASE}/callback`,
      post_logout_redirect_uri: `${window.location.origin}${BASE}/`,
      response_type: 'code',
      scope: config.auth.scope ?? 'openid email profile',
      userStore: new WebStorageStateStore({ store: window.localStorage }),
      // No hidden-iframe renewal: the CSP forbids framing, and an expired session simply signs in again.
      automaticSilentRenew: false,
      // Sign-in pages in the console's language (OIDC ui_locales; Cognito's managed login reads lang).
      extraQueryParams: { ui_locales: uiLocale(), lang: uiLocale() },
      ...(config.auth.endSessionEndpoint === undefined
        ? {}
        : { metadataSeed: { end_session_endpoint: config.auth.endSessionEndpoint } }),
    });
    if (window.location.pathname === `${BASE}/callback`) {
      const user = await userManager.signinRedirectCallback();
      keep(user.id_token);
      const back =
        typeof user.state === 'string' && user.state.startsWith(`${BASE}/`) ? user.state : `${BASE}/`;
      window.history.replaceState(null, '', back);
      return;
    }
  } else {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    const token = fragment.get('token');
    if (token !== null) {
      keep(token);
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      return;
    }
  }
  const kept = window.localStorage.getItem(TOKEN_KEY);
  if (usable(kept)) publish({ token: kept, endedBecause: undefined });
  else window.localStorage.removeItem(TOKEN_KEY);
}

function keep(token: string | undefined) {
  if (!usable(token)) return;
  window.localStorage.setItem(TOKEN_KEY, token);
  publish({ token, endedBecause: undefined });
}

export function currentToken(): string | undefined {
  return usable(state.token) ? state.token : undefined;
}

export function signOut(reason: 'expired' | 'signed-out' = 'signed-out'): void {
  window.localStorage.removeItem(TOKEN_KEY);
  if (state.token !== undefined) publish({ token: undefined, endedBecause: reason });
  if (reason === 'signed-out' && userManager !== undefined) {
    // Cognito's /logout wants logout_uri (and client_id, which oidc-client-ts sends); others ignore it.
    const back = `${window.location.origin}${BASE}/`;
    void userManager.signoutRedirect({ extraQueryParams: { logout_uri: back } }).catch(() => undefined);
  }
}

/** Cloud sign-in: off to the issuer's sign-in page, back to `returnTo` afterwards. */
export async function signInWithOidc(returnTo: string): Promise<void> {
  if (userManager === undefined) throw new Error('OIDC sign-in is not configured');
  await userManager.signinRedirect({ state: returnTo });
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
