import { Alert } from 'antd';
import type { Problem } from '../api/client.ts';

/** Why the server refused an action: the rule in the page's plain words (when it has some) and the problem. */
export interface Refusal {
  readonly words: string | undefined;
  readonly problem: Problem;
}

/** The refusal above the form or action it concerns: the plain words first, what the server said beside. */
export function RefusalAlert({
  refusal,
  refusedTitle,
  serverSaid,
}: {
  refusal: Refusal | undefined;
  /** The title when the page has no words of its own for this refusal. */
  refusedTitle: string;
  /** The words before the server's own detail, e.g. 服务器说明：. */
  serverSaid: string;
}) {
  if (refusal === undefined) return null;
  const detail = refusal.problem.detail || refusal.problem.title;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={refusal.words ?? refusedTitle}
      description={detail === '' ? undefined : `${serverSaid}${detail}`}
    />
  );
}
