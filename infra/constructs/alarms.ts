import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IAlarm,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './kfq-function.ts';

/**
 * The custom metric the fund adapter emits after every balance change (shared/adapters/composition.ts):
 * available / total in percent, Powertools dimensions `service` and `fundId`.
 */
export const FUND_AVAILABLE_METRIC = 'FundAvailablePercent';
export const FUND_AVAILABLE_THRESHOLD_PERCENT = 10;
export const API_5XX_PERCENT_THRESHOLD = 1;
/**
 * The reconciler's metric (shared/adapters/pending-work-metrics.ts), every minute per `kind` of work
 * (evaluation, allocation): how long the longest-waiting item has waited in the tables.
 */
export const PENDING_WORK_OLDEST_AGE_METRIC = 'PendingWorkOldestAgeSeconds';
/** Default: work waiting longer than 15 minutes raises the alarm (context `kfq:pendingWorkAlarmSeconds`). */
export const PENDING_WORK_ALARM_SECONDS = 15 * 60;

export interface KfqAlarmsProps {
  readonly functions: ReadonlyMap<string, IFunction>;
  /** Dead-letter queues by the id of their source queue. */
  readonly deadLetterQueues: ReadonlyMap<string, IQueue>;
  readonly api: IHttpApi;
  /** Funds known at deploy time get an alarm of their own; every fund is covered by the query alarm. */
  readonly fundIds: readonly string[];
  /** Work waiting in the tables longer than this alarms; default {@link PENDING_WORK_ALARM_SECONDS}. */
  readonly pendingWorkAlarmSeconds?: number;
}

/**
 * The alarms, all acting on one encrypted SNS topic (subscribe e-mail or chat to it after deploy):
 * a message in any dead-letter queue, errors and throttles of every function, a fund under 10%
 * available, work waiting in the tables over 15 minutes, and the API's 5xx rate over 1% in 5 minutes.
 */
export class KfqAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: IAlarm[] = [];

  constructor(scope: Construct, id: string, props: KfqAlarmsProps) {
    super(scope, id);

    // CloudWatch can publish to an encrypted topic only with a customer-managed key it may use.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the kfq-incentives alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'kfq-incentives alarms',
      masterKey: key,
      enforceSSL: true,
    });
    const action = new SnsAction(this.topic);
    const add = (alarm: Alarm) => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };

    for (const [queueId, dlq] of props.deadLetterQueues) {
      add(
        new Alarm(this, `${queueId}DlqNotEmpty`, {
          alarmDescription: `A message reached the ${queueId} dead-letter queue: a record failed maxReceiveCount times. Inspect it, fix the cause, then redrive.`,
          metric: dlq.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    for (const [functionId, fn] of props.functions) {
      add(
        new Alarm(this, `${functionId}Errors`, {
          alarmDescription: `Function ${functionId} failed (uncaught error or timeout) in the last 5 minutes.`,
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      add(
        new Alarm(this, `${functionId}Throttles`, {
          alarmDescription: `Function ${functionId} was throttled (account or reserved concurrency reached).`,
          metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    // Every fund, including ones published after deploy: the lowest ratio over all fundId series.
    add(
      new Alarm(this, 'AnyFundAvailabilityLow', {
        alarmDescription: `A fund has under ${FUND_AVAILABLE_THRESHOLD_PERCENT}% of its total available (${FUND_AVAILABLE_METRIC}, any fundId): new leads will be waitlisted soon.`,
        metric: new MathExpression({
          expression: `SELECT MIN(${FUND_AVAILABLE_METRIC}) FROM SCHEMA(${METRICS_NAMESPACE}, fundId, service)`,
          period: Duration.minutes(5),
          label: 'Lowest fund availability',
        }),
        threshold: FUND_AVAILABLE_THRESHOLD_PERCENT,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const fundId of props.fundIds) {
      add(
        new Alarm(this, `Fund-${fundId}-AvailabilityLow`, {
          alarmDescription: `Fund ${fundId} has under ${FUND_AVAILABLE_THRESHOLD_PERCENT}% of its total available: new leads will be waitlisted soon.`,
          metric: new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: FUND_AVAILABLE_METRIC,
            dimensionsMap: { service: SERVICE_NAME, fundId },
            statistic: 'Minimum',
            period: Duration.minutes(5),
          }),
          threshold: FUND_AVAILABLE_THRESHOLD_PERCENT,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    // Any kind of work, through one Metrics Insights query. No data counts as breaching: the reconciler
    // publishes every minute, so silence means it is not running and nothing would send the work again.
    const pendingWorkAlarmSeconds = props.pendingWorkAlarmSeconds ?? PENDING_WORK_ALARM_SECONDS;
    add(
      new Alarm(this, 'PendingWorkWaitingTooLong', {
        alarmDescription: `Work has waited in the tables for over ${pendingWorkAlarmSeconds} s (${PENDING_WORK_OLDEST_AGE_METRIC}, any kind): a lead not evaluated or a decision's allocation not applied, although the reconciler sends it again. Look at the dead-letter queues and the reconcile function's log; no data means the reconciler is not running.`,
        metric: new MathExpression({
          expression: `SELECT MAX(${PENDING_WORK_OLDEST_AGE_METRIC}) FROM SCHEMA(${METRICS_NAMESPACE}, kind, service)`,
          period: Duration.minutes(5),
          label: 'Longest wait of pending work (s)',
        }),
        threshold: pendingWorkAlarmSeconds,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    );

    add(
      new Alarm(this, 'Api5xxRate', {
        alarmDescription: `More than ${API_5XX_PERCENT_THRESHOLD}% of API requests answered 5xx over 5 minutes.`,
        metric: new MathExpression({
          expression: 'IF(requests > 0, 100 * errors / requests, 0)',
          usingMetrics: {
            errors: props.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
            requests: props.api.metricCount({ period: Duration.minutes(5), statistic: 'Sum' }),
          },
          period: Duration.minutes(5),
          label: 'API 5xx %',
        }),
        threshold: API_5XX_PERCENT_THRESHOLD,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
