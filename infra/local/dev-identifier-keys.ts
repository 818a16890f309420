import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import { devIdentityDirectory } from './paths.ts';

/**
 * DEV ONLY. The local identifier keyring: the HMAC key that personal identifiers enter hashes under
 * (shared/domain/identifier-keys.ts), kept in `<data dir>/dev-identity/identifier-keys.json` (default
 * `.data/dev-identity/`, gitignored, mode 600). Made once, by whichever of `npm start` or `cli evaluate`
 * runs first; with `--data-dir` it is kept with the tables, so decisions recorded there still replay after
 * a restart. The local cloud hands it to the handlers as IDENTIFIER_KEYS; in the cloud the keyring is a
 * Secrets Manager secret (docs/deploy.md). It means nothing anywhere else.
 */

export const DEV_IDENTIFIER_KEY_ID = 'dev-1';

export function devIdentifierKeysFile(dataDir?: string): string {
  return join(devIdentityDirectory(dataDir), 'identifier-keys.json');
}

/** The keyring's text, creating it atomically (link fails if another process won the race) if absent. */
export function loadOrCreateDevIdentifierKeys(dataDir?: string): string {
  const file = devIdentifierKeysFile(dataDir);
  try {
    return checked(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(devIdentityDirectory(dataDir), { recursive: true });
  const keyring = {
    current: DEV_IDENTIFIER_KEY_ID,
    [DEV_IDENTIFIER_KEY_ID]: randomBytes(32).toString('base64url'),
  };
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(keyring)}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return checked(readFileSync(file, 'utf8'));
}

/** Fails early, at start, on a keyring file edited into something unusable. */
function checked(text: string): string {
  const trimmed = text.trim();
  parseIdentifierKeyring(trimmed);
  return trimmed;
}
