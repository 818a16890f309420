import { type Browser, chromium } from 'playwright-core';

/**
 * Chromium as the browser tests and the console benchmark launch it: Debian's package
 * (`apt-get install chromium`, /usr/bin/chromium) or CHROMIUM_PATH, driven by playwright-core. No vitest
 * here, so `bench/` can use it too.
 */

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(options: { readonly args?: readonly string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
