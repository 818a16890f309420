import { type ScheduleDefinition, TIME_ZONE_OFFSET_HOURS } from '../resources.ts';

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next time of day `hour:minute` in a zone `offsetHours` east of UTC. */
export function msUntilDaily(now: Date, hour: number, minute: number, offsetHours: number): number {
  const local = new Date(now.getTime() + offsetHours * 3_600_000);
  const todayAt =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, minute) -
    offsetHours * 3_600_000;
  return todayAt > now.getTime() ? todayAt - now.getTime() : todayAt + DAY_MS - now.getTime();
}

/**
 * The local cloud's timer for one schedule of the resource definition: every `rateMinutes`, or once a day
 * at `dailyAt` (each wait computed afresh, so the runs do not drift). Timers never keep the process alive.
 */
export function startScheduleTimer(schedule: ScheduleDefinition, run: () => void): { stop(): void } {
  if (schedule.dailyAt === undefined) {
    const timer = setInterval(run, schedule.rateMinutes * 60_000).unref();
    return { stop: () => clearInterval(timer) };
  }
  const { hour, minute, timeZone } = schedule.dailyAt;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(
      () => {
        run();
        arm();
      },
      msUntilDaily(new Date(), hour, minute, TIME_ZONE_OFFSET_HOURS[timeZone]),
    ).unref();
  };
  arm();
  return { stop: () => clearTimeout(timer) };
}
