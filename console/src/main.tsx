import 'antd/dist/antd.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { setApiBaseUrl } from './api/client.ts';
import { prefetchLeadList } from './api/lead-list.ts';
import { prefetchMe } from './auth/me.ts';
import { currentToken, initSession } from './auth/session.ts';
import { runtimeConfig } from './early.ts';
import { currentLanguage } from './i18n/language.ts';
import { chunkForPath, preloadPageOf } from './page-chunks.ts';

// The deployment's settings (API origin, sign-in) are read at run time, so one build serves every deployment.
async function start() {
  document.documentElement.lang = currentLanguage() === 'zh' ? 'zh-CN' : 'en';
  // The page's own chunk and the caller's roles load while the shell starts, not one after the other.
  const pageChunk = preloadPageOf(window.location.pathname);
  // Asked already by the first script (src/boot.ts, src/early.ts), with `GET /me` and the list's first page.
  const config = await runtimeConfig();
  setApiBaseUrl(config.apiBaseUrl);
  await initSession(config);
  const token = currentToken();
  if (token !== undefined) {
    const answers = [pageChunk, prefetchMe(token)];
    // The list's first page need not wait for the caller's roles: the API scopes it by the token.
    if (chunkForPath(window.location.pathname) === 'leadList') {
      answers.push(prefetchLeadList(new URLSearchParams(window.location.search), token));
    }
    // Asked early (src/early.ts), these have usually come by now: the first render draws the frame and the
    // page from them at once, instead of a spinner, then the frame, then the rows (three renders). The frame
    // of index.html stays painted meanwhile; a slow answer holds the first render one second at most.
    await Promise.race([Promise.all(answers), new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
  const root = document.getElementById('root');
  if (root === null) throw new Error('no #root element');
  createRoot(root).render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
}

void start();
