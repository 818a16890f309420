import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
  'console/index.html',
  'console/vite.config.ts',
  'shared/domain',
  'package-lock.json',
];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => filesUnder(join(path, entry.name)));
}

export function consoleFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(ROOT, input))).sort()) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function consoleBuildIsFresh(): boolean {
  return existsSync(FINGERPRINT_FILE) && readFileSync(FINGERPRINT_FILE, 'utf8') === consoleFingerprint();
}

/** Builds the console unless the build on disk is of the current sources. Returns whether it built. */
export async function ensureConsoleBuilt(options: { quiet?: boolean } = {}): Promise<boolean> {
  if (consoleBuildIsFresh()) return false;
  const fingerprint = consoleFingerprint();
  const { build } = await import('vite');
  await build({
    configFile: join(CONSOLE_DIR, 'vite.config.ts'),
    logLevel: options.quiet === false ? 'info' : 'warn',
  });
  writeFileSync(FINGERPRINT_FILE, fingerprint);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await ensureConsoleBuilt({ quiet: false });
  process.stdout.write(built ? `built ${CONSOLE_DIST}\n` : `${CONSOLE_DIST} is up to date\n`);
}
