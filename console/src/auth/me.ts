import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { components } from '../api/schema.d.ts';
import { useSession } from './session.ts';

export type Me = components['schemas']['Me'];
export type ConsoleRole = 'sector' | 'finance' | 'finance-head' | 'auditor' | 'admin';

// One `GET /me` per token, however many components ask.
const asked = new Map<string, Promise<Me | undefined>>();
const known = new Map<string, Me | undefined>();

function fetchMe(token: string): Promise<Me | undefined> {
  let pending = asked.get(token);
  if (pending === undefined) {
    pending = api.GET('/me').then(({ data }) => {
      known.set(token, data);
      return data;
    });
    asked.set(token, pending);
  }
  return pending;
}

/** Starts `GET /me` before the first render needs it. */
export function prefetchMe(token: string): void {
  void fetchMe(token);
}

/** The signed-in caller as the API reads the token (`GET /me`); undefined while loading or signed out. */
export function useMe(): { me: Me | undefined; loading: boolean } {
  const { token } = useSession();
  const [, rerender] = useState(0);
  useEffect(() => {
    if (token === undefined || known.has(token)) return;
    let current = true;
    void fetchMe(token).then(() => current && rerender((count) => count + 1));
    return () => {
      current = false;
    };
  }, [token]);
  if (token === undefined) return { me: undefined, loading: false };
  return { me: known.get(token), loading: !known.has(token) };
}

/** The console's role kinds of the caller (a sector team is `sector`, whatever its sector). */
export function roleKinds(me: Me | undefined): ConsoleRole[] {
  if (me === undefined) return [];
  const kinds = me.roles.map((role) => (role.startsWith('sector:') ? 'sector' : role));
  return [...new Set(kinds)].filter((kind): kind is ConsoleRole =>
    ['sector', 'finance', 'finance-head', 'auditor', 'admin'].includes(kind),
  );
}
