import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The JavaScript a browser loads before any route's chunk: the module scripts and module preloads of the
 * built index.html, and every module they import statically, transitively. Route pages (React.lazy) and
 * what only they import are dynamic imports, fetched when their route opens, and are not counted.
 */

/** The budget for it, gzipped. */
export const INITIAL_JS_BUDGET_BYTES = 400 * 1024;

export interface InitialFile {
  /** Path under the build, e.g. `assets/index-B3lycYmv.js`. */
  readonly file: string;
  readonly bytes: number;
  /** zlib's default gzip level (6), about what a CDN's on-the-fly compression gives. */
  readonly gzipBytes: number;
}

export interface InitialJavaScript {
  readonly files: readonly InitialFile[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

const BASE = '/console/';

/** `<script type="module" src>` and `<link rel="modulepreload" href>` of index.html, as build paths. */
function entriesOf(indexHtml: string): string[] {
  const entries: string[] = [];
  for (const tag of indexHtml.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const isModuleScript = /^<script\b/i.test(tag) && /\btype=["']?module["']?/i.test(tag);
    const isPreload = /^<link\b/i.test(tag) && /\brel=["']?modulepreload["']?/i.test(tag);
    if (!isModuleScript && !isPreload) continue;
    const url = /\b(?:src|href)=["']([^"']+)["']/i.exec(tag)?.[1];
    if (url?.startsWith(BASE)) entries.push(url.slice(BASE.length));
  }
  return entries;
}

/** Static `import … from "x"`, `import "x"` and `export … from "x"` of a module (not `import("x")`). */
export function staticImportsOf(code: string): string[] {
  const found: string[] = [];
  const pattern = /\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
  for (const match of code.matchAll(pattern)) if (match[1] !== undefined) found.push(match[1]);
  return found;
}

/** Reads a build (console/dist): what index.html loads before any route chunk. */
export function initialJavaScript(distDir: string): InitialJavaScript {
  const seen = new Set<string>();
  const queue = entriesOf(readFileSync(join(distDir, 'index.html'), 'utf8'));
  const files: InitialFile[] = [];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const content = readFileSync(join(distDir, file));
    files.push({ file, bytes: content.length, gzipBytes: gzipSync(content).length });
    for (const specifier of staticImportsOf(content.toString('utf8'))) {
      if (specifier.startsWith(BASE)) queue.push(specifier.slice(BASE.length));
      else if (specifier.startsWith('./') || specifier.startsWith('../')) {
        queue.push(posix.normalize(posix.join(posix.dirname(file), specifier)));
      }
    }
  }
  return {
    files,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
  };
}
