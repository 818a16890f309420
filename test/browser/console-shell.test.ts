import { describe, expect, it } from 'vitest';
import { evaluatedLead } from './support/api.ts';
import {
  consoleUrl,
  expectAccessible,
  expectCleanConsole,
  launchBrowser,
  newPage,
  screenshot,
  setUpBrowser,
  signIn,
  stack,
  watchOf,
} from './support/browser.ts';

/**
 * The console's shell in Chromium on the local stack: where it lives, how a browser signs in locally,
 * deep links, and what the browser must never see (CSP violations, errors, an open redirect).
 */

const browser = setUpBrowser();

describe('the console in Chromium', () => {
  it('opens at / (redirected to /console/) on the sign-in page, which lists every role', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${stack.baseUrl}/`);
    expect(response?.status()).toBe(200);
    expect(response?.request().redirectedFrom()?.url()).toBe(`${stack.baseUrl}/`);
    await page.waitForURL((url) => url.pathname === '/console/sign-in');
    const links = page.locator('a[href^="/dev/sign-in"]');
    await links.first().waitFor();
    const roles = new Set<string>();
    for (const href of await links.evaluateAll((anchors) =>
      anchors.map((a) => a.getAttribute('href') ?? ''),
    )) {
      roles.add(new URL(href, stack.baseUrl).searchParams.get('role') ?? '');
    }
    expect([...roles].some((role) => role.startsWith('sector:'))).toBe(true);
    expect(roles).toContain('finance');
    expect(roles).toContain('auditor');
    expect(roles).toContain('admin');
    expectCleanConsole(page);
  });

  it('signs in with a sign-in page link and shows who is signed in', async () => {
    const page = await browser.newPage();
    await page.goto(consoleUrl('/'));
    await page.locator('a[href*="role=finance"]').first().click();
    const user = page.getByTestId('signed-in-user');
    await user.waitFor();
    expect(new URL(page.url()).pathname.startsWith('/console/')).toBe(true);
    expect(page.url()).not.toContain('token');
    expect(await user.textContent()).toMatch(/fin-\d/);
    expectCleanConsole(page);
  });

  it('signs in through /dev/sign-in and lands on /console/ with the user shown', async () => {
    const page = await browser.newPage();
    await signIn(page, 'auditor', 'auditor-smoke');
    expect(new URL(page.url()).pathname.startsWith('/console/')).toBe(true);
    expect(page.url()).not.toContain('#token');
    await expect.poll(() => page.getByTestId('signed-in-user').textContent()).toContain('auditor-smoke');
    // The session is kept: a reload stays signed in.
    await page.reload();
    await page.getByTestId('signed-in-user').waitFor();
    expectCleanConsole(page);
  });

  it('opens a deep link to a lead, after sign-in and through sign-in', async () => {
    const submitted = await evaluatedLead('optoelectronics', 'officer-deep-link');
    const path = `/console/leads/${submitted.leadId}`;

    const signedIn = await browser.newPage();
    await signIn(signedIn, 'sector:optoelectronics', submitted.user);
    await signedIn.goto(`${stack.baseUrl}${path}`);
    await signedIn.getByTestId('signed-in-user').waitFor();
    expect(new URL(signedIn.url()).pathname).toBe(path);
    // The lead page of that very lead.
    await signedIn.getByText(submitted.lead.projectName).first().waitFor();

    // Signed out: the deep link goes to sign-in with the way back, and sign-in returns there.
    const fresh = await browser.newPage();
    await fresh.goto(`${stack.baseUrl}${path}`);
    await fresh.waitForURL((url) => url.pathname === '/console/sign-in');
    expect(new URL(fresh.url()).searchParams.get('next')).toBe(`/leads/${submitted.leadId}`);
    await signIn(fresh, 'sector:optoelectronics', submitted.user, path);
    expect(new URL(fresh.url()).pathname).toBe(path);
    await fresh.getByText(submitted.lead.projectName).first().waitFor();
  });

  it('refuses an off-site `next`: the browser stays on the console', async () => {
    const page = await browser.newPage();
    const offSite: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(stack.baseUrl)) offSite.push(request.url());
    });
    await signIn(page, 'admin', 'admin-smoke', 'https://evil.example/console/');
    expect(new URL(page.url()).origin).toBe(stack.baseUrl);
    await signIn(page, 'admin', 'admin-smoke', '//evil.example/console/');
    expect(new URL(page.url()).origin).toBe(stack.baseUrl);
    expect(offSite).toEqual([]);
  });

  it('loads without console errors or CSP violations, signed out and signed in', async () => {
    const page = await browser.newPage();
    await page.goto(consoleUrl('/'));
    await page.locator('a[href^="/dev/sign-in"]').first().waitFor();
    await signIn(page, 'sector:food', 'officer-food-smoke');
    await page.waitForLoadState('networkidle');
    expectCleanConsole(page);
  });

  it('enforces the CSP in the browser, and the watch sees a violation', async () => {
    const page = await newPage(browser.browser());
    await page.goto(consoleUrl('/'));
    const ran = await page.evaluate(`new Promise((resolve) => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      setTimeout(() => resolve(window.__inlineRan === true), 100);
    })`);
    expect(ran).toBe(false);
    await expect.poll(() => watchOf(page).cspViolations.length).toBeGreaterThan(0);
    expect(watchOf(page).cspViolations[0]?.directive).toBe('script-src-elem');
    // Seen and expected here: cleared, so the after-test check passes.
    watchOf(page).cspViolations.length = 0;
    watchOf(page).consoleErrors.length = 0;
  });

  it('has no serious or critical accessibility violation on the sign-in page; screenshot', async () => {
    const page = await browser.newPage();
    await page.goto(consoleUrl('/sign-in'));
    await page.locator('a[href^="/dev/sign-in"]').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'sign-in');
  });
});

describe('/dev/sign-in from another site', () => {
  it('is refused when the page reached the stack under another name (DNS rebinding)', async () => {
    // Chromium resolves rebind.test to 127.0.0.1, as a rebinding attacker's name would.
    const rebinding = await launchBrowser({ args: ['--host-resolver-rules=MAP rebind.test 127.0.0.1'] });
    try {
      const page = await newPage(rebinding);
      const { port } = new URL(stack.baseUrl);
      const response = await page.goto(`http://rebind.test:${port}/dev/sign-in?role=admin&user=mallory`);
      expect(response?.status()).toBe(403);
      expect(await response?.text()).toContain('仅限本机');
      expect(page.url()).not.toContain('token');
      watchOf(page).consoleErrors.length = 0;
    } finally {
      await rebinding.close();
    }
  });
});
