/**
 * Keyed pseudonyms of personal identifiers. A resident ID (GB 11643) shown masked (region and last two
 * characters kept) leaves a few thousand candidates per birth year once its check character is used: any
 * unkeyed hash over it can be inverted by trying them all (about a second for a lifetime of birth dates).
 * So wherever a hash covers a personal identifier, the identifier enters it only as its HMAC-SHA-256 under
 * a key that the deployment keeps secret and no role can read.
 *
 * The key lives in a keyring, a JSON object: `{"current":"<keyId>","<keyId>":"<key>",...}`. `current` names
 * the key new records use; every other property is a key by its id. Every key that was ever current stays
 * in the ring: a record names the key its hash was made with and is checked (replayed) with that key.
 * Rotation adds a key and makes it current. The flat shape is what Secrets Manager can generate on its own
 * (a template plus one generated property). No message here ever repeats key material.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** One key of the ring, ready to use. */
export interface Pseudonymizer {
  readonly keyId: string;
  /** HMAC-SHA-256 (lower-case hex) of the UTF-8 bytes of a text under this key. */
  mac(text: string): string;
}

export interface IdentifierKeyring {
  /** The key every new record uses. */
  readonly current: Pseudonymizer;
  /** A key by the id a record names; undefined when the ring no longer holds it. */
  byKeyId(keyId: string): Pseudonymizer | undefined;
}

export class IdentifierKeyringError extends Error {
  override readonly name = 'IdentifierKeyringError';
}

/** Key ids appear in records and URLs of the docs: short, plain ASCII. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** At least 32 characters (Secrets Manager generates 64 letters and digits: ~380 bits). */
export const MIN_KEY_LENGTH = 32;
const CURRENT = 'current';

export function createPseudonymizer(keyId: string, key: string): Pseudonymizer {
  if (!KEY_ID_PATTERN.test(keyId))
    throw new IdentifierKeyringError('a key id must be 1–64 of A-Z a-z 0-9 . _ -');
  if (key.length < MIN_KEY_LENGTH) {
    throw new IdentifierKeyringError(`key ${keyId} is shorter than ${MIN_KEY_LENGTH} characters`);
  }
  // A KeyObject is made once; each HMAC then starts from it.
  const secret: KeyObject = createSecretKey(Buffer.from(key, 'utf8'));
  return { keyId, mac: (text) => createHmac('sha256', secret).update(text, 'utf8').digest('hex') };
}

/** Parses a keyring (see the module comment). Throws {@link IdentifierKeyringError}, naming no key. */
export function parseIdentifierKeyring(text: string): IdentifierKeyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IdentifierKeyringError('the identifier keyring is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new IdentifierKeyringError('the identifier keyring must be a JSON object');
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  const currentId = (parsed as Record<string, unknown>)[CURRENT];
  if (typeof currentId !== 'string') {
    throw new IdentifierKeyringError('the identifier keyring names no "current" key id');
  }
  const keys = new Map<string, Pseudonymizer>();
  for (const [keyId, key] of entries) {
    if (keyId === CURRENT) continue;
    if (typeof key !== 'string') throw new IdentifierKeyringError(`key ${keyId} is not a string`);
    keys.set(keyId, createPseudonymizer(keyId, key));
  }
  const current = keys.get(currentId);
  if (current === undefined) {
    // The value is not repeated: a key pasted there by mistake would end up in a log.
    throw new IdentifierKeyringError('the "current" key id is not a key of the identifier keyring');
  }
  return { current, byKeyId: (keyId) => keys.get(keyId) };
}
