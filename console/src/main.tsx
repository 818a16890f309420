import './zod-without-eval.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { setApiBaseUrl } from './api/client.ts';
import { initSession, type RuntimeConfig } from './auth/session.ts';
import { currentLanguage } from './i18n/language.ts';

// The deployment's settings (API origin, sign-in) are read at run time, so one build serves every deployment.
async function start() {
  document.documentElement.lang = currentLanguage() === 'zh' ? 'zh-CN' : 'en';
  const config = (await (await fetch(`${import.meta.env.BASE_URL}config.json`)).json()) as RuntimeConfig;
  setApiBaseUrl(config.apiBaseUrl);
  await initSession(config);
  const root = document.getElementById('root');
  if (root === null) throw new Error('no #root element');
  createRoot(root).render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
}

void start();
