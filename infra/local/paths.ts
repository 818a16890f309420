import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is `infra/local/paths.ts`). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Default home of local state that must survive between commands (gitignored). */
export const defaultDataRoot = join(repoRoot, '.data');
