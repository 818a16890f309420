/**
 * Picks the policy version in force at an instant: the one with the latest `effectiveFrom` at or before it.
 * A date-only `effectiveFrom` ("2019-01-01") means midnight in Asia/Shanghai, which has been UTC+08:00
 * without daylight saving since 1991, so it is read as "2019-01-01T00:00:00+08:00".
 */
import type { Policy } from './policy-schema.ts';

export class PolicySelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicySelectionError';
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an effectiveFrom value (date-only values at 00:00 Asia/Shanghai). */
export function effectiveFromMillis(effectiveFrom: string): number {
  const text = DATE_ONLY.test(effectiveFrom) ? `${effectiveFrom}T00:00:00+08:00` : effectiveFrom;
  const millis = Date.parse(text);
  if (!Number.isFinite(millis)) throw new PolicySelectionError(`invalid effectiveFrom ${effectiveFrom}`);
  return millis;
}

function instantMillis(instant: Date | string): number {
  if (instant instanceof Date) {
    const millis = instant.getTime();
    if (!Number.isFinite(millis)) throw new PolicySelectionError('invalid instant');
    return millis;
  }
  if (!DATE_TIME_WITH_OFFSET.test(instant) && !DATE_ONLY.test(instant)) {
    throw new PolicySelectionError(`instant must be an ISO date-time with an offset or a date: ${instant}`);
  }
  return effectiveFromMillis(instant);
}

/**
 * The policy in force at `instant` (a Date, an ISO date-time with offset, or a date meaning 00:00
 * Asia/Shanghai). Throws {@link PolicySelectionError} when none is in force yet, or when two versions take
 * effect at the same instant (ambiguous configuration).
 */
export function selectPolicy(policies: readonly Policy[], instant: Date | string): Policy {
  const at = instantMillis(instant);
  let best: { policy: Policy; from: number } | undefined;
  let tie = false;
  for (const policy of policies) {
    const from = effectiveFromMillis(policy.effectiveFrom);
    if (from > at) continue;
    if (best === undefined || from > best.from) {
      best = { policy, from };
      tie = false;
    } else if (from === best.from) {
      tie = true;
    }
  }
  if (best === undefined) {
    throw new PolicySelectionError(`no policy is in force at ${new Date(at).toISOString()}`);
  }
  if (tie) {
    throw new PolicySelectionError(
      `two policy versions take effect at the same instant as ${best.policy.version}`,
    );
  }
  return best.policy;
}
