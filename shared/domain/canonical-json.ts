/**
 * Canonical JSON: object keys sorted recursively (by UTF-16 code units, as RFC 8785), no whitespace,
 * numbers and strings serialized as JSON.stringify does (which matches RFC 8785 for finite numbers).
 * Refuses what JSON cannot say exactly: undefined, functions, symbols, bigints, non-finite numbers,
 * non-plain objects (Date, Map, class instances) and cycles. Used for policy and input hashes and the audit
 * trail, so the same value always gives the same bytes and the same hash.
 */
import { hash } from 'node:crypto';
import { integerText } from './integer-text.ts';

export class CanonicalJsonError extends Error {
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'CanonicalJsonError';
    this.path = path;
  }
}

/** Where the walk is (keys and indexes from the root): turned into a path only when an error needs it. */
type Trail = (string | number)[];

function pathOf(trail: Trail): string {
  const steps = trail.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`));
  return `$${steps.join('')}`;
}

// Object keys repeat across calls (the same schemas): their quoted form is kept.
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

// The hot paths below are measured (bench/engine.ts): every decision hashes its lead, and JSON.stringify
// per string, the default sort and printing large integers were most of that cost.

/** A string that needs no escaping is quoted as is; JSON.stringify escapes the rest. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters JSON must escape
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

function quoteString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** An object's own keys sorted by UTF-16 code units: insertion sort, as records have few keys, mostly in order. */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let index = 1; index < keys.length; index += 1) {
    const key = keys[index] as string;
    let before = index - 1;
    if ((keys[before] as string) <= key) continue;
    while (before >= 0 && (keys[before] as string) > key) {
      keys[before + 1] = keys[before] as string;
      before -= 1;
    }
    keys[before + 1] = key;
  }
  return keys;
}

/**
 * Two walks share `write`. The quick one (`careful` null) keeps no path and no ancestor set and hands over
 * at the first thing it does not take; the careful one then walks again to name the problem and its path.
 * Every decision hashes its lead, so the quick walk is the one that runs.
 */
interface CarefulWalk {
  readonly trail: Trail;
  readonly ancestors: Set<object>;
}

const HAND_OVER = new Error('canonical JSON: the quick walk hands over to the careful one');

/** Deeper than any record we hash; a cycle goes past it and the careful walk names it. */
const QUICK_WALK_DEPTH = 100;

function refuse(careful: CarefulWalk | null, message: string): never {
  if (careful === null) throw HAND_OVER;
  throw new CanonicalJsonError(pathOf(careful.trail), message);
}

function write(value: unknown, careful: CarefulWalk | null, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) refuse(careful, 'non-finite number');
      return integerText(value); // finite numbers print as String() does
    case 'object':
      break;
    default:
      refuse(careful, `cannot serialize a value of type ${typeof value}`);
  }
  const object = value as object;
  if (careful === null) {
    if (depth > QUICK_WALK_DEPTH) throw HAND_OVER;
  } else {
    if (careful.ancestors.has(object)) refuse(careful, 'cycle');
    careful.ancestors.add(object);
  }
  let text: string;
  if (Array.isArray(object)) {
    text = '[';
    for (let index = 0; index < object.length; index += 1) {
      careful?.trail.push(index);
      text += (index === 0 ? '' : ',') + write(object[index], careful, depth + 1);
      careful?.trail.pop();
    }
    text += ']';
  } else {
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) refuse(careful, 'not a plain object');
    const record = object as Record<string, unknown>;
    const keys = sortedKeys(record);
    text = '{';
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index] as string;
      careful?.trail.push(key);
      text += `${index === 0 ? '' : ','}${quoteKey(key)}:${write(record[key], careful, depth + 1)}`;
      careful?.trail.pop();
    }
    text += '}';
  }
  // Removed only on success: after a throw the whole walk is abandoned anyway.
  careful?.ancestors.delete(object);
  return text;
}

/** The canonical JSON text of a value (see the module comment). Throws {@link CanonicalJsonError}. */
export function canonicalJson(value: unknown): string {
  try {
    return write(value, null, 0);
  } catch (error) {
    if (error !== HAND_OVER) throw error;
  }
  return write(value, { trail: [], ancestors: new Set() }, 0);
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of a text. */
export function sha256Hex(text: string): string {
  // One-shot hashing: no Hash object per call (measurably faster for short texts).
  return hash('sha256', text, 'hex');
}

/** SHA-256 (hex) of the canonical JSON of a value. */
export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
