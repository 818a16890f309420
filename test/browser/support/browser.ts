import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Result as AxeResult } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, onTestFailed } from 'vitest';
import type { DevRole } from '#infra/local/dev-identity.ts';
import { repoRoot } from '#infra/local/paths.ts';
import { launchBrowser } from './chromium.ts';

export { CHROMIUM_ARGS, launchBrowser } from './chromium.ts';

/**
 * The browser suite's tools: real Chromium (Debian's package, driven by playwright-core), a page per test
 * that watches for CSP violations, uncaught errors and console errors, dev sign-in through the local
 * stack's /dev/sign-in, axe-core, and screenshots for the README.
 *
 * A test file:
 *   const browser = setUpBrowser();                    // launches once per file, closes after
 *   it('…', async () => {
 *     const page = await browser.newPage();          // 1280×800, zh-CN, Asia/Shanghai
 *     await signIn(page, 'sector:food', 'officer-1', '/console/leads/new');
 *     await page.getByLabel('项目名称').fill('…');
 *     await expectAccessible(page);
 *     await screenshot(page, 'new-lead');
 *   });
 * Every page a test opened is checked after it: no CSP violation, no uncaught error (console errors are
 * checked on request, `expectCleanConsole`, since a refused API call is also logged as one).
 * The console's CSP forbids eval: `page.waitForFunction` (which evaluates its predicate in the page) fails
 * there; wait with locators (`expect.poll`, `locator.waitFor`) or `page.evaluate` of an expression.
 */

export const stack = inject('browserStack');

/** An absolute URL on the stack: `consoleUrl('/leads/ld_1')` → http://127.0.0.1:…/console/leads/ld_1. */
export function consoleUrl(path = '/'): string {
  return `${stack.baseUrl}/console${path.startsWith('/') ? path : `/${path}`}`;
}

export const VIEWPORT = { width: 1280, height: 800 } as const;

export interface CspViolation {
  readonly directive: string;
  readonly blocked: string;
  readonly source: string;
}

/** What a page has shown that a test may want to see. */
export interface PageWatch {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly cspViolations: CspViolation[];
}

const watches = new WeakMap<Page, PageWatch>();
const openedThisTest: { context: BrowserContext; page: Page }[] = [];

/** The problems seen on a page since it was opened (every page of its context, navigations included). */
export function watchOf(page: Page): PageWatch {
  const watch = watches.get(page);
  if (watch === undefined) throw new Error('this page was not opened with newPage()');
  return watch;
}

export interface NewPageOptions {
  /** `zh-CN` (default) or `en`: the browser's language, sent as Accept-Language. */
  readonly locale?: 'zh-CN' | 'en';
}

/** A fresh context (no cookies, no storage) and one page in it, watched. */
export async function newPage(browser: Browser, options: NewPageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    colorScheme: 'light',
  });
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  // The page reports each violation through a binding, which survives navigations.
  await context.exposeBinding('__kfqReportCsp', (_source, violation: CspViolation) => {
    watch.cspViolations.push(violation);
  });
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      void window.__kfqReportCsp({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile + ':' + event.lineNumber,
      });
    });`,
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // "Failed to load resource" names no URL in its text: its location does.
    const where = message.location().url;
    watch.consoleErrors.push(where === '' ? message.text() : `${message.text()} (${where})`);
  });
  page.on('pageerror', (error) => watch.pageErrors.push(`${error.name}: ${error.message}`));
  watches.set(page, watch);
  openedThisTest.push({ context, page });
  onTestFailed(async ({ task }) => {
    // What the page looked like when the test failed: .data/browser-failures/<test>.png (gitignored).
    const directory = join(repoRoot, '.data', 'browser-failures');
    mkdirSync(directory, { recursive: true });
    const name = task.name.replace(/[^\w\u4e00-\u9fff-]+/g, '-').slice(0, 80);
    await page.screenshot({ path: join(directory, `${name}.png`), fullPage: true }).catch(() => {});
  });
  return page;
}

/**
 * Registers the browser for a test file (launched before its tests, closed after) and checks every page
 * a test opened once it ends: no CSP violation, no uncaught error.
 */
export function setUpBrowser(options: { readonly args?: readonly string[] } = {}): {
  readonly browser: () => Browser;
  newPage(options?: NewPageOptions): Promise<Page>;
} {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser(options);
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const opened = openedThisTest.splice(0);
    try {
      for (const { page } of opened) {
        const watch = watches.get(page);
        if (watch === undefined) continue;
        expect(watch.cspViolations, 'CSP violations').toEqual([]);
        expect(watch.pageErrors, 'uncaught errors in the page').toEqual([]);
      }
    } finally {
      await Promise.all(opened.map(({ context }) => context.close().catch(() => {})));
    }
  });
  const current = () => {
    if (browser === undefined) throw new Error('setUpBrowser(): the browser starts in beforeAll');
    return browser;
  };
  return { browser: current, newPage: (pageOptions) => newPage(current(), pageOptions) };
}

/** Chromium asks every origin for /favicon.ico; the console has no icon there (nor in the cloud). */
const ALWAYS_ALLOWED = [/status of 404 .*\/favicon\.ico\)$/];

/** No console error on the page, except those matching `allow` (say, an API call the test expects refused). */
export function expectCleanConsole(page: Page, allow: readonly RegExp[] = []): void {
  const watch = watchOf(page);
  const allowed = [...ALWAYS_ALLOWED, ...allow];
  const unexpected = watch.consoleErrors.filter((text) => !allowed.some((pattern) => pattern.test(text)));
  expect(unexpected, 'console errors').toEqual([]);
  expect(watch.cspViolations, 'CSP violations').toEqual([]);
  expect(watch.pageErrors, 'uncaught errors in the page').toEqual([]);
}

/**
 * Signs the page in through the local stack's DEV-ONLY /dev/sign-in and waits for the signed-in console
 * (the header shows the user). `next` is a path under /console/ to land on (default /console/, where each
 * role's home opens).
 */
export async function signIn(page: Page, role: DevRole, user: string, next = '/console/'): Promise<void> {
  const query = new URLSearchParams({ role, user, next });
  const response = await page.goto(`${stack.baseUrl}/dev/sign-in?${query}`);
  if (response !== null && response.status() >= 400) {
    throw new Error(`dev sign-in answered ${response.status()}: ${await response.text()}`);
  }
  await page.getByTestId('signed-in-user').waitFor({ state: 'visible' });
  if (page.url().includes('#token=')) throw new Error('the console left the token in the address');
}

/** `docs/screenshots/<name>.png`: the whole page, once fonts and antd's motion have settled. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name "${name}": use a-z, 0-9 and -`);
  const directory = join(repoRoot, 'docs', 'screenshots');
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${name}.png`);
  await page.evaluate('document.fonts.ready.then(() => undefined)');
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}

function describeViolation(violation: AxeResult): string {
  const nodes = violation.nodes
    .slice(0, 5)
    .map(
      (node) =>
        `    at ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').split('\n').join('\n      ')}`,
    );
  const more = violation.nodes.length > 5 ? [`    … and ${violation.nodes.length - 5} more`] : [];
  return [
    `  ${violation.id} (${violation.impact}): ${violation.help}`,
    `    ${violation.helpUrl}`,
    ...nodes,
    ...more,
  ].join('\n');
}

/**
 * axe-core on the page as it is now (every rule axe has): fails on any serious or critical violation,
 * listing each with the elements and what to fix. `exclude` takes selectors of parts not under test.
 */
export async function expectAccessible(
  page: Page,
  options: { readonly exclude?: readonly string[] } = {},
): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const blocking = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  const report = blocking.map(describeViolation).join('\n');
  expect(blocking.length, `axe: serious or critical violations on ${page.url()}\n${report}`).toBe(0);
}
