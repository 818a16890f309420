import { filtersOf, leadListQuery, PAGE_SIZES } from './api/lead-list-query.ts';
import type { RuntimeConfig } from './auth/session.ts';
import { TOKEN_KEY, usable } from './auth/token.ts';
import { keptLanguage } from './i18n/kept-language.ts';
import { chunkForPath, preloadPageOf } from './page-chunks.ts';

/*
 * What a cold load needs from the network, asked by the console's first, small script (src/boot.ts) while
 * the browser is still loading and evaluating React, antd and the router (some 800 KB): the page's chunk,
 * the settings, and with a kept or just-handed token `GET /me` and (on 我的线索) the list's first page. The
 * app takes these answers over instead of asking again once it runs (me.ts, api/lead-list.ts); before, it
 * asked only then, and a cold load waited for the answers after its code had run. No React here.
 */

let config: Promise<RuntimeConfig> | undefined;
const answers = new Map<string, { readonly token: string; readonly answer: Promise<Response> }>();

const keyOf = (path: string, query: Record<string, string> = {}) => `${path}?${JSON.stringify(query)}`;

export function startEarly(): void {
  const { pathname, search, hash } = window.location;
  void preloadPageOf(pathname);
  const settings = fetch(`${import.meta.env.BASE_URL}config.json`).then(
    (response) => response.json() as Promise<RuntimeConfig>,
  );
  config = settings;
  void settings.then(
    ({ apiBaseUrl, auth }) => {
      // The dev token comes in the fragment (src/auth/session.ts keeps it); otherwise the kept one. An OIDC
      // sign-in coming back has no token yet.
      const handed = auth.mode === 'dev' ? new URLSearchParams(hash.slice(1)).get('token') : null;
      const token = handed ?? window.localStorage.getItem(TOKEN_KEY);
      if (!usable(token) || pathname.endsWith('/callback')) return;
      const ask = (path: string, query: Record<string, string> = {}) => {
        const url = `${apiBaseUrl.replace(/\/$/, '')}${path}${Object.keys(query).length === 0 ? '' : `?${new URLSearchParams(query)}`}`;
        const answer = fetch(url, {
          headers: {
            Authorization: `Bearer ${token}`,
            'Accept-Language': keptLanguage() === 'zh' ? 'zh-CN' : 'en',
          },
        });
        // A failure is for whoever takes the answer; nobody may take it.
        answer.catch(() => undefined);
        answers.set(keyOf(path, query), { token, answer });
      };
      ask('/me');
      if (chunkForPath(pathname) === 'leadList') {
        ask('/leads', leadListQuery(filtersOf(new URLSearchParams(search)), PAGE_SIZES[0], undefined));
      }
    },
    () => undefined,
  );
}

/** The settings (`config.json`), asked once: by startEarly when it ran, else now. */
export function runtimeConfig(): Promise<RuntimeConfig> {
  config ??= fetch(`${import.meta.env.BASE_URL}config.json`).then(
    (response) => response.json() as Promise<RuntimeConfig>,
  );
  return config;
}

/** The early answer to this very request with this token, taken once; undefined when none was asked. */
export function takeEarlyAnswer(
  token: string,
  path: string,
  query: Record<string, string> = {},
): Promise<Response> | undefined {
  const key = keyOf(path, query);
  const early = answers.get(key);
  answers.delete(key);
  return early?.token === token ? early.answer : undefined;
}
