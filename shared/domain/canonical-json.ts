/**
 * Canonical JSON: object keys sorted recursively (by UTF-16 code units, as RFC 8785), no whitespace,
 * numbers and strings serialized as JSON.stringify does (which matches RFC 8785 for finite numbers).
 * Refuses what JSON cannot say exactly: undefined, functions, symbols, bigints, non-finite numbers,
 * non-plain objects (Date, Map, class instances) and cycles. Used for policy and input hashes and the audit
 * trail, so the same value always gives the same bytes and the same hash.
 */
import { hash } from 'node:crypto';

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

function write(value: unknown, trail: Trail, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(pathOf(trail), 'non-finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(pathOf(trail), `cannot serialize a value of type ${typeof value}`);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new CanonicalJsonError(pathOf(trail), 'cycle');
  ancestors.add(object);
  let text: string;
  if (Array.isArray(object)) {
    text = '[';
    for (let index = 0; index < object.length; index += 1) {
      trail.push(index);
      text += (index === 0 ? '' : ',') + write(object[index], trail, ancestors);
      trail.pop();
    }
    text += ']';
  } else {
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new CanonicalJsonError(pathOf(trail), 'not a plain object');
    }
    const record = object as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    text = '{';
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index] as string;
      trail.push(key);
      text += `${index === 0 ? '' : ','}${quoteKey(key)}:${write(record[key], trail, ancestors)}`;
      trail.pop();
    }
    text += '}';
  }
  // Removed only on success: after a throw the whole walk is abandoned anyway.
  ancestors.delete(object);
  return text;
}

/** The canonical JSON text of a value (see the module comment). Throws {@link CanonicalJsonError}. */
export function canonicalJson(value: unknown): string {
  return write(value, [], new Set());
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
