/**
 * The input hash: what a decision was made from, shown to every role that reads the lead, its decisions,
 * the audit trail or a replay. It covers the whole lead, so it must not let anyone test a guess of a
 * personal identifier that the views show masked (see shared/domain/identifier-keys.ts).
 *
 * - Form 1 (decisions recorded before form 2; replayed, never written): SHA-256 of the canonical lead.
 *   With a resident ID inside and the mask beside it, about 160,000 guesses recover the whole ID.
 * - Form 2: SHA-256 of the canonical *hashed form* of the lead, in which each personal identifier is
 *   replaced by its HMAC-SHA-256 under a deployment key; `{ version: 2, keyId }` is recorded beside the
 *   hash. Without the key no guess can be checked.
 *
 * The personal identifiers of a lead: the introducer's resident ID (a natural person, or an intermediary
 * or professional team that is one) and the responsible officer's phone number. Names are shown in full to
 * whoever may see the lead, so hashing them discloses nothing more; USCCs are public.
 *
 * Pure: the caller passes the key in (the engine never reads a secret).
 */
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import type { IdentifierKeyring, Pseudonymizer } from '#shared/domain/identifier-keys.ts';
import type { InputHashForm } from '#shared/schemas/decision.ts';
import type { Lead } from '#shared/schemas/lead.ts';

export interface KeyedInputHashing {
  readonly version: 2;
  readonly key: Pseudonymizer;
  /** What a record keeps beside the hash. */
  readonly form: InputHashForm;
}
export type InputHashing = { readonly version: 1 } | KeyedInputHashing;

/** Form 1: only to replay and check what was recorded before form 2. */
export const LEGACY_INPUT_HASHING: InputHashing = { version: 1 };

/** Form 2 under a key. */
export function keyedInputHashing(key: Pseudonymizer): KeyedInputHashing {
  return { version: 2, key, form: { version: 2, keyId: key.keyId } };
}

/** What new records use: form 2 under the keyring's current key. */
export function currentInputHashing(keyring: IdentifierKeyring): KeyedInputHashing {
  return keyedInputHashing(keyring.current);
}

/**
 * The hashing a recorded input hash was made with: form 1 when no form is recorded, else form 2 under the
 * recorded key; undefined when the keyring no longer holds that key (keys must never leave the ring).
 */
export function recordedInputHashing(
  form: InputHashForm | undefined,
  keyring: IdentifierKeyring,
): InputHashing | undefined {
  if (form === undefined) return LEGACY_INPUT_HASHING;
  const key = keyring.byKeyId(form.keyId);
  return key === undefined ? undefined : keyedInputHashing(key);
}

/** The lead as form 2 hashes it: each personal identifier replaced by its HMAC (hex). */
export function hashedFormOf(lead: Lead, key: Pseudonymizer): Lead {
  let hashed = lead;
  const introducer = lead.introducer;
  if ('residentId' in introducer && introducer.residentId !== undefined) {
    hashed = { ...hashed, introducer: { ...introducer, residentId: key.mac(introducer.residentId) } };
  }
  const officer = lead.responsibleOfficer;
  if (officer?.phone !== undefined) {
    hashed = { ...hashed, responsibleOfficer: { ...officer, phone: key.mac(officer.phone) } };
  }
  return hashed;
}

/** An input hash made earlier and stored with the lead revision, with its form (absent: form 1). */
export interface StoredInputHash {
  readonly inputHash: string;
  readonly inputHashForm?: InputHashForm | undefined;
}

/**
 * Whether a stored input hash is in the form a new decision must record (form 2 under the keyring's current
 * key), so evaluation may take it as it is. A hash stored before form 2, or under a key since rotated out
 * of `current`, is made again.
 */
export function isCurrentForm(stored: StoredInputHash, keyring: IdentifierKeyring): boolean {
  const form = stored.inputHashForm;
  return form !== undefined && form.keyId === keyring.current.keyId;
}

/** The input hash of a lead in the given form. */
export function leadHash(lead: Lead, hashing: InputHashing): string {
  return hashCanonical(hashing.version === 1 ? lead : hashedFormOf(lead, hashing.key));
}
