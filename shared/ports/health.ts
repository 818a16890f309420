/** Can a backing store be reached right now? Each probe resolves `true` or `false`, never throws. */
export interface HealthProbe {
  readonly name: 'dynamodb' | 'sqs';
  readonly isUp: () => Promise<boolean>;
}
