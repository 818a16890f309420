import { Duration, TimeZone } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ScheduleExpression as SchedulerExpression } from 'aws-cdk-lib/aws-scheduler';
import { type ScheduleDefinition, utcTimeOf } from '#infra/resources.ts';

/**
 * A schedule of the resource definition in each service's terms: a rate, or a daily time. EventBridge
 * rules take UTC cron only (a zone without daylight saving maps to one fixed UTC time); EventBridge
 * Scheduler takes the time zone itself.
 */
export function describeSchedule(schedule: ScheduleDefinition): string {
  if (schedule.dailyAt !== undefined) {
    const { hour, minute, timeZone } = schedule.dailyAt;
    return `Runs ${schedule.functionId} daily at ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} ${timeZone}`;
  }
  const every = schedule.rateMinutes === 1 ? 'minute' : `${schedule.rateMinutes} minutes`;
  return `Runs ${schedule.functionId} every ${every}`;
}

export function ruleScheduleOf(schedule: ScheduleDefinition): Schedule {
  if (schedule.dailyAt === undefined) return Schedule.rate(Duration.minutes(schedule.rateMinutes));
  const utc = utcTimeOf(schedule.dailyAt);
  return Schedule.cron({ minute: String(utc.minute), hour: String(utc.hour) });
}

const TIME_ZONES = { 'Asia/Shanghai': TimeZone.ASIA_SHANGHAI } as const;

export function schedulerExpressionOf(schedule: ScheduleDefinition): SchedulerExpression {
  if (schedule.dailyAt === undefined) return SchedulerExpression.rate(Duration.minutes(schedule.rateMinutes));
  const { hour, minute, timeZone } = schedule.dailyAt;
  return SchedulerExpression.cron({
    minute: String(minute),
    hour: String(hour),
    timeZone: TIME_ZONES[timeZone],
  });
}
