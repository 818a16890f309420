/*
 * The kept token and its expiry, without React or the OIDC client: read by the session and by the start-up
 * script (src/early.ts), which asks the API before the app's code has loaded.
 */

export const TOKEN_KEY = 'kfq.console.token';

function expiresAt(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]?.replace(/-/g, '+').replace(/_/g, '/') ?? ''));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

export function usable(token: string | null | undefined): token is string {
  return typeof token === 'string' && token.length > 0 && expiresAt(token) > Date.now();
}
