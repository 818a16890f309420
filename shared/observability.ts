import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics emitter for every function, one service name. Structured JSON only;
 * personal identifiers never go in: callers log lead ids and masked values, never a lead body.
 * Powertools reads its own settings (POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_METRICS_DISABLED) from the environment, set by CDK in the cloud and the local cloud here.
 */
const serviceName = 'kfq-incentives';

export const logger = new Logger({ serviceName });

export const metrics = new Metrics({ serviceName, namespace: 'KfqIncentives' });
