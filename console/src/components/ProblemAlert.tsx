import { Alert } from 'antd';
import type { Problem } from '../api/client.ts';

/** Why a request failed, as the API said it (its title, else the page's own words, and the detail). */
export function ProblemAlert({
  problem,
  fallbackTitle,
}: {
  problem: Problem | undefined;
  fallbackTitle: string;
}) {
  if (problem === undefined) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={problem.title || fallbackTitle}
      description={problem.detail || undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
