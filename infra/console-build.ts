import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The console's static build (`console/dist`), made when its sources changed since the last build: by
 * `npm start` before serving it, by `cdk synth` before uploading it. A fingerprint of every input (the
 * console's sources, the shared domain code it bundles, the lock file) is kept beside the build.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_DIR = join(ROOT, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
const FINGERPRINT_FILE = join(CONSOLE_DIST, '.fingerprint');

const INPUTS = [
  'console/src',
  'console/public',
  'console/index.html',
  'console/vite.config.ts',
  // The console bundles shared domain code (money, identifiers), which may import any of shared/.
  'shared',
  'package-lock.json',
];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => filesUnder(join(path, entry.name)));
}

export function consoleFingerprint(): string {
  // The recipe too: builds made before the build was pinned to production (under vitest) are stale.
  const hash = createHash('sha256').update('mode=production\0');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(ROOT, input))).sort()) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function consoleBuildIsFresh(): boolean {
  return existsSync(FINGERPRINT_FILE) && readFileSync(FINGERPRINT_FILE, 'utf8') === consoleFingerprint();
}

/**
 * Builds the console unless the build on disk is of the current sources. Returns whether it built.
 * `outDir` (default console/dist) lets a test run build a copy of its own that nobody else's build empties
 * under it. One build at a time per folder, across processes (`npm start` beside test runs).
 */
export async function ensureConsoleBuilt(
  options: { quiet?: boolean; outDir?: string } = {},
): Promise<boolean> {
  const outDir = options.outDir ?? CONSOLE_DIST;
  const fingerprintFile = join(outDir, '.fingerprint');
  const fresh = () =>
    existsSync(fingerprintFile) && readFileSync(fingerprintFile, 'utf8') === consoleFingerprint();
  if (fresh()) return false;
  const release = await lockFolder(outDir);
  try {
    if (fresh()) return false;
    const fingerprint = consoleFingerprint();
    const { build } = await import('vite');
    // Vite takes NODE_ENV as it finds it: under vitest ('test') React and antd would be their development
    // builds (larger, slower, warnings in the console). The console is always built for production.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: join(CONSOLE_DIR, 'vite.config.ts'),
        mode: 'production',
        logLevel: options.quiet === false ? 'info' : 'warn',
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    writeFileSync(fingerprintFile, fingerprint);
    return true;
  } finally {
    release();
  }
}

/**
 * A lock directory in the temp folder (mkdir is atomic) holding its owner's pid: a lock whose owner is gone
 * (a killed `npm start`) is taken over at once, one without a pid after 10 s, any after 2 min.
 */
async function lockFolder(outDir: string): Promise<() => void> {
  const lock = join(
    tmpdir(),
    `kfq-console-build-${createHash('sha256').update(outDir).digest('hex').slice(0, 16)}.lock`,
  );
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      const owner = ownerOf(lock);
      const stale = Number.isInteger(owner) && owner > 0 ? !isAlive(owner) || age > 120_000 : age > 10_000;
      if (stale) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function ownerOf(lock: string): number {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    return Number.NaN;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await ensureConsoleBuilt({ quiet: false });
  process.stdout.write(built ? `built ${CONSOLE_DIST}\n` : `${CONSOLE_DIST} is up to date\n`);
}
