/**
 * Diagnostics for the console bench (not part of `npm run bench`; wrap it in `flock /tmp/bench.lock`):
 * `node bench/console-profile.ts [loads] [--trace] [--no-minify] [--ab <buildA> <buildB>]` starts the local
 * stack with 25 leads and opens 我的线索 cold `loads` times (default 5) as bench/console.ts does, printing
 * "list usable" and the renderer's CPU time of each load.
 * - `--trace`: the last load records a Chromium trace (/tmp/console-trace.json) and prints where the
 *   renderer's main thread spent its time until the list was usable (parsing, script, style, layout, the
 *   long events, the JavaScript functions with the most self time).
 * - `--no-minify`: serves an unminified build, so the profile names functions (its timings are not the bench's).
 * - `--ab`: two builds (`npx vite build console --outDir <dir>`) served by one stack, loads alternating A, B,
 *   A, ... and reported apart: on a shared machine a comparison at the same moment is the only fair one.
 * - `--as-window-opens`: navigates the moment the page's window opens, not once Chromium is idle (see
 *   `chromiumIdle` in bench/console.ts).
 */
import { copyFileSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '#test/browser/support/chromium.ts';
import { buildConsoleSnapshot } from '#test/browser/support/global-setup.ts';
import {
  chromiumIdle,
  consoleBenchStack,
  freshContext,
  listDrawn,
  OFFICER,
  SECTOR,
  submitLeads,
} from './console.ts';
import { median } from './lib/stats.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const loads = Number(process.argv[2] ?? 5);
// `--ab <buildA> <buildB>`: two builds (vite outDirs) served from one folder, loads alternating A, B, A, ...
// (same stack, same moment: a busy machine weighs on both alike). Their assets are content-hashed, so
// both fit in one folder; only index.html is swapped before each load.
const abAt = process.argv.indexOf('--ab');
const ab = abAt < 0 ? undefined : ([process.argv[abAt + 1], process.argv[abAt + 2]] as [string, string]);
// `--no-minify`: function names readable in the profile (the timings are then not the bench's).
const consoleDir =
  ab !== undefined
    ? abFolder(ab)
    : process.argv.includes('--no-minify')
      ? await unminifiedBuild()
      : await buildConsoleSnapshot();

function abFolder([a, b]: [string, string]): string {
  const folder = '/tmp/console-ab';
  rmSync(folder, { recursive: true, force: true });
  for (const build of [a, b]) cpSync(build, folder, { recursive: true });
  return folder;
}
function serve(build: string): void {
  copyFileSync(join(build, 'index.html'), join(consoleDir, 'index.html'));
}

async function unminifiedBuild(): Promise<string> {
  const outDir = '/tmp/console-profile-build';
  const { build } = await import('vite');
  process.env.NODE_ENV = 'production';
  await build({
    configFile: new URL('../console/vite.config.ts', import.meta.url).pathname,
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: false },
  });
  return outDir;
}
const cloud = await consoleBenchStack(consoleDir, () => {});
const browser = await launchBrowser();

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat: string;
  readonly args?: { data?: Record<string, unknown>; [key: string]: unknown };
  readonly id?: string;
}

try {
  await submitLeads(cloud, 25);
  const signIn = `${cloud.baseUrl}/dev/sign-in?${new URLSearchParams({ role: `sector:${SECTOR}`, user: OFFICER, next: '/console/leads' })}`;
  const usable: number[] = [];
  const rendererCpu: number[] = [];
  const byBuild = new Map<string, { usable: number[]; cpu: number[] }>();
  const browserCdp = await browser.newBrowserCDPSession();
  const rendererCpuMs = async () => {
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
    return new Map(
      processInfo.filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime * 1000] as const),
    );
  };
  const tracing = process.argv.includes('--trace');
  for (let load = 0; load < loads; load += 1) {
    const context = await freshContext(browser);
    const page = await context.newPage();
    if (!process.argv.includes('--as-window-opens')) await chromiumIdle(browserCdp);
    const traced = tracing && load === loads - 1;
    if (traced) {
      await browser.startTracing(page, {
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'v8.execute',
          'disabled-by-default-v8.cpu_profiler',
          'blink.user_timing',
          'loading',
        ],
      });
    }
    const build = ab?.[load % 2];
    if (build !== undefined) serve(build);
    const cpuBefore = await rendererCpuMs();
    await page.goto(signIn, { waitUntil: 'commit' });
    page.on('pageerror', (error) => process.stdout.write(`page error: ${error.message}\n`));
    page.on('console', (message) => {
      if (message.type() === 'error') process.stdout.write(`console error: ${message.text()}\n`);
    });
    const at = (await Promise.race([
      page.evaluate(listDrawn()),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no rows in 20 s at ${page.url().split('#')[0]}`)), 20_000),
      ),
    ])) as number;
    const cpuAfter = await rendererCpuMs();
    usable.push(at);
    if (!traced) {
      const cpu = [...cpuAfter].reduce((sum, [id, ms]) => sum + ms - (cpuBefore.get(id) ?? 0), 0);
      rendererCpu.push(cpu);
      if (build !== undefined) {
        const kept = byBuild.get(build) ?? { usable: [], cpu: [] };
        kept.usable.push(at);
        kept.cpu.push(cpu);
        byBuild.set(build, kept);
      }
    }
    if (traced) {
      const buffer = await browser.stopTracing();
      writeFileSync('/tmp/console-trace.json', buffer);
      process.stdout.write(`traced load: usable at ${Math.round(at)} ms; trace in /tmp/console-trace.json\n`);
      summarise(JSON.parse(buffer.toString()).traceEvents as TraceEvent[], at);
    }
    await context.close();
  }
  for (const [build, kept] of byBuild) {
    process.stdout.write(
      `${build}: usable median ${Math.round(median(kept.usable))} ms (${kept.usable.map(Math.round).join(', ')}); renderer CPU median ${Math.round(median(kept.cpu))} ms (${kept.cpu.map(Math.round).join(', ')})\n`,
    );
  }
  const untraced = tracing ? usable.slice(0, -1) : usable;
  process.stdout.write(
    `cold list usable: median ${Math.round(median(untraced))} ms (${untraced.map(Math.round).join(', ')}); renderer CPU median ${Math.round(median(rendererCpu))} ms (${rendererCpu.map(Math.round).join(', ')})\n`,
  );
} finally {
  await browser.close();
  await cloud.stop();
}

function summarise(events: readonly TraceEvent[], usableMs: number): void {
  // The renderer's main thread: the one that compiled the console's scripts.
  const main = events.find(
    (event) =>
      event.name === 'v8.compileModule' && String(event.args?.data?.url ?? '').includes('/console/assets/'),
  );
  const navigation = events.find(
    (event) => event.name === 'navigationStart' && String(event.args?.data?.documentLoaderURL ?? '') !== '',
  );
  if (main === undefined || navigation === undefined) {
    process.stdout.write('no console script or navigation in the trace\n');
    return;
  }
  const timeOriginMs = navigation.ts / 1000;
  const end = navigation.ts + usableMs * 1000;
  const onMain = events.filter(
    (event) => event.pid === main.pid && event.tid === main.tid && event.ts <= end,
  );
  // Top-level complete events (not nested in another) by name.
  const complete = onMain
    .filter((event) => event.ph === 'X' && event.dur !== undefined)
    .sort((a, b) => a.ts - b.ts);
  const totals = new Map<string, number>();
  const nested = new Map<string, number>();
  let until = 0;
  for (const event of complete) {
    const dur = event.dur ?? 0;
    // A task's kind is what runs inside it (script, style, layout, parsing), not the task itself.
    if (event.name === 'RunTask') continue;
    if (event.ts >= until) {
      totals.set(event.name, (totals.get(event.name) ?? 0) + dur);
      until = event.ts + dur;
    }
    nested.set(event.name, (nested.get(event.name) ?? 0) + dur);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`)
      .join('\n');
  process.stdout.write(`main thread, top-level tasks until usable:\n${top(totals, 12)}\n`);
  process.stdout.write(`main thread, every event by name (nested included):\n${top(nested, 25)}\n`);
  // Timeline of long events (> 15 ms) from the time origin.
  process.stdout.write('events over 15 ms (start ms from the time origin, duration):\n');
  for (const event of complete) {
    if ((event.dur ?? 0) < 15_000 || event.name === 'RunTask') continue;
    const url = String(event.args?.data?.url ?? event.args?.data?.functionName ?? '').replace(
      /.*\/console\//,
      '',
    );
    process.stdout.write(
      `  ${(event.ts / 1000 - timeOriginMs).toFixed(0).padStart(6)}  ${((event.dur ?? 0) / 1000).toFixed(1).padStart(7)}  ${event.name} ${url}\n`,
    );
  }
  // CPU profile samples: self time per function.
  const nodes = new Map<number, { name: string; url: string; line: number; parent?: number }>();
  const self = new Map<string, number>();
  for (const event of events) {
    if (event.pid !== main.pid || (event.name !== 'ProfileChunk' && event.name !== 'Profile')) continue;
    const data = event.args?.data as
      | {
          cpuProfile?: {
            nodes?: {
              id: number;
              parent?: number;
              callFrame: { functionName: string; url: string; lineNumber: number };
            }[];
            samples?: number[];
          };
          timeDeltas?: number[];
        }
      | undefined;
    for (const node of data?.cpuProfile?.nodes ?? []) {
      nodes.set(node.id, {
        name: node.callFrame.functionName || '(anonymous)',
        url: (node.callFrame.url ?? '').replace(/.*\/console\//, ''),
        line: node.callFrame.lineNumber,
        ...(node.parent === undefined ? {} : { parent: node.parent }),
      });
    }
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    samples.forEach((id, index) => {
      const node = nodes.get(id);
      const key = node === undefined ? `#${id}` : `${node.name} ${node.url}:${node.line}`;
      self.set(key, (self.get(key) ?? 0) + (deltas[index + 1] ?? deltas[index] ?? 0));
    });
  }
  process.stdout.write(`JavaScript self time (whole trace):\n${top(self, 30)}\n`);
}
