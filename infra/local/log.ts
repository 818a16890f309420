/** Structured log line for the local cloud's own messages (stderr, JSON); the banner goes to stdout. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LocalLog = (level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function jsonLog(minimum: LogLevel = 'info'): LocalLog {
  return (level, message, fields) => {
    if (order[level] < order[minimum]) return;
    process.stderr.write(
      `${JSON.stringify({ level: level.toUpperCase(), service: 'local-cloud', message, timestamp: new Date().toISOString(), ...fields })}\n`,
    );
  };
}

export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.name, detail: error.message } : { error: String(error) };
}
