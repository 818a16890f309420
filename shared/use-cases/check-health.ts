import type { HealthProbe } from '#shared/ports/health.ts';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly dynamodb: 'up' | 'down';
  readonly sqs: 'up' | 'down';
}

export async function checkHealth(probes: readonly HealthProbe[]): Promise<HealthReport> {
  const results = await Promise.all(probes.map(async (probe) => [probe.name, await probe.isUp()] as const));
  const state = (name: HealthProbe['name']) =>
    results.find(([probeName]) => probeName === name)?.[1] === true ? ('up' as const) : ('down' as const);
  const report = { dynamodb: state('dynamodb'), sqs: state('sqs') };
  return { status: report.dynamodb === 'up' && report.sqs === 'up' ? 'ok' : 'degraded', ...report };
}
