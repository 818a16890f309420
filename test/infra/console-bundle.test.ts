import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST, ensureConsoleBuilt } from '#infra/console-build.ts';
import { INITIAL_JS_BUDGET_BYTES, initialJavaScript, staticImportsOf } from '#infra/console-bundle.ts';

/**
 * The console's first load: at most 400 KB of gzipped JavaScript before any route's chunk (each page is
 * its own chunk; ECharts comes with the pages that draw charts).
 */

beforeAll(async () => {
  await ensureConsoleBuilt();
}, 180_000);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('the console build', () => {
  it('loads at most 400 KB of gzipped JavaScript before any route chunk', () => {
    const initial = initialJavaScript(CONSOLE_DIST);
    const listing = initial.files.map((file) => `${file.file} ${kb(file.gzipBytes)}`).join(', ');
    expect(initial.files.length).toBeGreaterThan(0);
    expect(
      initial.gzipBytes,
      `initial JavaScript ${kb(initial.gzipBytes)} gzip: ${listing}`,
    ).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
  });

  it('loads no page and no chart code before a route opens', () => {
    const initial = initialJavaScript(CONSOLE_DIST);
    const all = readdirSync(join(CONSOLE_DIST, 'assets')).filter((name) => name.endsWith('.js'));
    // Pages are lazy chunks named after their component (LeadListPage-<hash>.js …).
    const pages = all.filter((name) => /^[A-Z]\w*Page-/.test(name));
    expect(pages.length).toBeGreaterThan(0);
    for (const { file } of initial.files) {
      expect(
        pages.map((name) => `assets/${name}`),
        file,
      ).not.toContain(file);
      // ECharts' internal marker: present in the chart chunk, absent from the first load.
      expect(readFileSync(join(CONSOLE_DIST, file), 'utf8'), file).not.toContain('__ec_inner');
    }
  });
});

describe('reading static imports', () => {
  it('follows import … from, bare import and export … from, not import()', () => {
    const code =
      'import{r as e,t}from"./runtime-A1.js";import"./side-B2.js";export{x}from"./re-C3.js";' +
      'import*as n from"./ns-D4.js";const p=()=>import("./Page-E5.js");"assets/Other-F6.js"';
    expect(staticImportsOf(code)).toEqual(['./runtime-A1.js', './side-B2.js', './re-C3.js', './ns-D4.js']);
  });
});
