import type { Prng } from './prng.ts';

/**
 * The crash loop's HTTP client: a timeout on every request, a count of requests in flight per kind
 * (what the clients were doing at a kill), and retries as a real client makes them after a lost
 * connection or a 5xx: the same request again (the same Idempotency-Key for POST /leads).
 */

export const REQUEST_KINDS = ['submit', 'report', 'approve', 'reject', 'pay', 'read', 'admin'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** `Idempotent-Replayed: true`: the API answered a retry from what the first request stored. */
  readonly replayed: boolean;
}

/** No answer: connection refused or reset, a timeout. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/** The run is ending: a client stops waiting and gives up what it was doing. */
export class GaveUpError extends Error {
  override readonly name = 'GaveUpError';
}

export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** A counting semaphore: at most `permits` holders at once. */
export class Limiter {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(permits: number) {
    this.#free = permits;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#free += 1;
      else next();
    }
  }
}

export class ChaosClient {
  readonly inFlight: Record<RequestKind, number> = {
    submit: 0,
    report: 0,
    approve: 0,
    reject: 0,
    pay: 0,
    read: 0,
    admin: 0,
  };
  readonly stats = { requests: 0, networkErrors: 0, serverErrors: 0, retries: 0 };
  /** When the stack last answered a request (below 500): the crash loop's sign that a start is serving. */
  lastAnswerAt = 0;
  readonly #baseUrl: () => string;
  readonly #jitter: Prng;
  readonly #stop: AbortSignal;
  // Journeys poll their leads: a bound keeps 200 pollers from swamping a 2-core machine.
  readonly #reads = new Limiter(6);

  constructor(baseUrl: () => string, jitter: Prng, stop: AbortSignal) {
    this.#baseUrl = baseUrl;
    this.#jitter = jitter;
    this.#stop = stop;
  }

  get stopping(): boolean {
    return this.#stop.aborted;
  }

  /** Waits before the next attempt of a request (jittered, exponential) and counts the retry. */
  async backoff(kind: RequestKind, attempt: number): Promise<void> {
    this.stats.retries += 1;
    await this.pause(Math.min(kind === 'read' ? 2_000 : 1_000, 100 * 2 ** Math.min(attempt, 5)));
  }

  async request(
    kind: RequestKind,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Answer> {
    const send = async () => {
      this.inFlight[kind] += 1;
      this.stats.requests += 1;
      try {
        const response = await fetch(`${this.#baseUrl()}${path}`, {
          method,
          headers: {
            ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...options.headers,
          },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = text === '' ? null : JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        if (response.status >= 500) this.stats.serverErrors += 1;
        else this.lastAnswerAt = Date.now();
        return {
          status: response.status,
          body,
          replayed: response.headers.get('idempotent-replayed') === 'true',
        };
      } catch (error) {
        this.stats.networkErrors += 1;
        throw new NetworkError(`${method} ${path}: ${describe(error)}`);
      } finally {
        this.inFlight[kind] -= 1;
      }
    };
    return kind === 'read' ? this.#reads.run(send) : send();
  }

  /**
   * The same request until it gets an answer below 500 (what a client does after a lost connection or
   * a 5xx), with a jittered backoff from 100 ms to 1 s (2 s for reads); gives up when the run is ending.
   */
  async retrying(
    kind: RequestKind,
    method: string,
    path: string,
    options: RequestOptions = {},
    attempts = Number.POSITIVE_INFINITY,
  ): Promise<Answer> {
    let last = '';
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (this.#stop.aborted) throw new GaveUpError(`${method} ${path}: the run is ending`);
      try {
        const answer = await this.request(kind, method, path, options);
        if (answer.status < 500) return answer;
        last = `HTTP ${answer.status}`;
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        last = error.message;
      }
      await this.backoff(kind, attempt);
    }
    throw new NetworkError(`${method} ${path}: no answer below 500 in ${attempts} attempts (${last})`);
  }

  /** Sleeps about `ms` (±25 %, seeded), or less if the run is ending. */
  async pause(ms: number): Promise<void> {
    if (this.#stop.aborted) return;
    const jittered = ms * (0.75 + this.#jitter.next() * 0.5);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#stop.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, jittered);
      this.#stop.addEventListener('abort', done, { once: true });
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = (cause as { code?: string } | undefined)?.code;
    return code === undefined ? error.message : `${error.message} (${code})`;
  }
  return String(error);
}

/** The `code` of a 409 problem document, if it has one. */
export function problemCode(answer: Answer): string | undefined {
  const body = answer.body as { code?: unknown } | null;
  return typeof body?.code === 'string' ? body.code : undefined;
}
