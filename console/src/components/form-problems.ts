import type { FormInstance } from 'antd';
import type { Problem } from '../api/client.ts';

/**
 * Puts each field problem of an RFC 9457 answer (`errors: [{ field: 'investor.uscc', message }]`) on the
 * form field of that path; returns the problems no field of the form shows (e.g. `(root)`), for an Alert.
 */
export function showProblemOnFields(
  form: FormInstance,
  problem: Problem,
  fields: readonly string[],
): { field: string; message: string }[] {
  const known = new Set(fields);
  const elsewhere: { field: string; message: string }[] = [];
  const byField = new Map<string, string[]>();
  for (const { field, message } of problem.errors ?? []) {
    if (!known.has(field)) {
      elsewhere.push({ field, message });
      continue;
    }
    byField.set(field, [...(byField.get(field) ?? []), message]);
  }
  form.setFields([...byField].map(([field, errors]) => ({ name: field.split('.'), errors })));
  const first = [...byField.keys()][0];
  if (first !== undefined) form.scrollToField(first.split('.'), { block: 'center' });
  return elsewhere;
}
