import type { Policy } from './policy-schema.ts';

/**
 * A value derived from a policy, made once per parsed policy object: a parsed policy is never changed,
 * and the engine derives its rules, hash and texts for every lead it evaluates.
 */
export function perPolicy<T>(derive: (policy: Policy) => T): (policy: Policy) => T {
  const derived = new WeakMap<Policy, T>();
  return (policy) => {
    let value = derived.get(policy);
    if (value === undefined) {
      value = derive(policy);
      derived.set(policy, value);
    }
    return value;
  };
}
