import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is `infra/local/paths.ts`). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Default home of local state that must survive between commands (gitignored). */
export const defaultDataRoot = join(repoRoot, '.data');

/** The dev identity folder: the dev signing key and the dev identifier keyring (`<data dir>/dev-identity`). */
export function devIdentityDirectory(dataDir?: string): string {
  return dataDir === undefined ? join(defaultDataRoot, 'dev-identity') : resolve(dataDir, 'dev-identity');
}
