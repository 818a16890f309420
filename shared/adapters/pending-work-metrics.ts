import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from '#shared/observability.ts';
import type { PendingWorkMetrics } from '#shared/use-cases/reconcile.ts';

/** Names the CDK alarm watches (infra/constructs/alarms.ts repeats them: shared/ never imports infra/). */
export const PENDING_WORK_DUE_METRIC = 'PendingWorkDue';
export const PENDING_WORK_OLDEST_AGE_METRIC = 'PendingWorkOldestAgeSeconds';

/**
 * Per kind of work (`kind` = evaluation | allocation), every run, nothing waiting included (0): the items
 * found due and the age of the longest-waiting one. Published at once, one EMF line per metric.
 */
export const powertoolsPendingWorkMetrics: PendingWorkMetrics = {
  found(kind, { due, oldestAgeSeconds }) {
    const count = metrics.singleMetric();
    count.addDimension('kind', kind);
    count.addMetric(PENDING_WORK_DUE_METRIC, MetricUnit.Count, due);
    const age = metrics.singleMetric();
    age.addDimension('kind', kind);
    age.addMetric(PENDING_WORK_OLDEST_AGE_METRIC, MetricUnit.Seconds, oldestAgeSeconds);
  },
};
