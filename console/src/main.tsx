import 'antd/dist/antd.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { setApiBaseUrl } from './api/client.ts';
import { prefetchLeadList } from './api/lead-list.ts';
import { prefetchMe } from './auth/me.ts';
import { currentToken, initSession, type RuntimeConfig } from './auth/session.ts';
import { currentLanguage } from './i18n/language.ts';
import { chunkForPath, preloadPageOf } from './page-chunks.ts';

// The deployment's settings (API origin, sign-in) are read at run time, so one build serves every deployment.
async function start() {
  document.documentElement.lang = currentLanguage() === 'zh' ? 'zh-CN' : 'en';
  // The page's own chunk and the caller's roles load while the shell starts, not one after the other.
  preloadPageOf(window.location.pathname);
  const config = (await (await fetch(`${import.meta.env.BASE_URL}config.json`)).json()) as RuntimeConfig;
  setApiBaseUrl(config.apiBaseUrl);
  await initSession(config);
  const token = currentToken();
  if (token !== undefined) {
    prefetchMe(token);
    // The list's first page need not wait for the caller's roles: the API scopes it by the token.
    if (chunkForPath(window.location.pathname) === 'leadList') {
      prefetchLeadList(new URLSearchParams(window.location.search));
    }
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
