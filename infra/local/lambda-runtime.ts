import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import { repoRoot } from './paths.ts';

/**
 * Runs a function's `handler` in this process the way Lambda calls it: `handler(event, context)` with a
 * Lambda-like context whose remaining time counts down from the function's timeout, and a timeout that
 * fails the invocation as Lambda's does.
 */

export type LambdaHandler = (event: unknown, context: Context) => unknown;

/** What the runtime needs of a function definition (`infra/resources.ts` FunctionDefinition fits). */
export interface LocalFunction {
  readonly id: string;
  readonly timeoutSeconds: number;
  readonly memoryMb?: number;
  /** Module exporting `handler`, relative to the repository root; or give `handler` directly (tests). */
  readonly entry?: string;
  readonly handler?: LambdaHandler;
}

export class FunctionTimeoutError extends Error {
  override readonly name = 'FunctionTimeoutError';
}

export class HandlerImportError extends Error {
  override readonly name = 'HandlerImportError';
}

export interface Invoker {
  invoke(fn: LocalFunction, event: unknown, requestId?: string): Promise<unknown>;
}

export function createLambdaContext(
  fn: LocalFunction,
  region: string,
  accountId: string,
  requestId: string,
): Context {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const unsupported = () => {
    throw new Error('callback-style completion is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.id,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:${partitionOf(region)}:lambda:${region}:${accountId}:function:${fn.id}`,
    memoryLimitInMB: String(fn.memoryMb ?? 256),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.id}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]local`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/**
 * Every local function runs in this one process, as if one Lambda environment served them all at once.
 * Lambda's own runtime does that for concurrent invocations (Lambda Managed Instances): it runs each
 * invocation inside an `InvokeStore` scope (AsyncLocalStorage) and sets AWS_LAMBDA_MAX_CONCURRENCY, and
 * Powertools then keeps the logger's Lambda context (function_name, request id), its appended keys and
 * its level per invocation. Without this, two functions invoked at once log each other's names and keys.
 */
type InvocationContext = Record<string | symbol, unknown>;

/**
 * The store Lambda's runtime installs for concurrent invocations (the package's own multi-context store,
 * which it does not export): each invocation's context in an AsyncLocalStorage.
 */
class ConcurrentInvokeStore extends InvokeStoreBase {
  readonly #scopes = new AsyncLocalStorage<InvocationContext>();

  getContext(): InvocationContext | undefined {
    return this.#scopes.getStore();
  }

  hasContext(): boolean {
    return this.#scopes.getStore() !== undefined;
  }

  get<T = unknown>(key: string | symbol): T | undefined {
    return this.#scopes.getStore()?.[key] as T | undefined;
  }

  set<T = unknown>(key: string | symbol, value: T): void {
    if (this.isProtectedKey(key))
      throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    const context = this.#scopes.getStore();
    if (context === undefined) throw new Error('No context available');
    context[key] = value;
  }

  run<T>(context: InvocationContext, fn: () => T): T {
    return this.#scopes.run(context, fn);
  }
}

/**
 * Installed in place of whatever store is there: the AWS SDK asks for one on its first request and, with
 * no concurrency configured yet, gets a single-context store that every invocation would share.
 */
function concurrentInvokeStore(): ConcurrentInvokeStore {
  const installed = globalThis.awslambda?.InvokeStore;
  if (installed instanceof ConcurrentInvokeStore) return installed;
  const store = new ConcurrentInvokeStore();
  globalThis.awslambda = Object.assign(globalThis.awslambda ?? {}, { InvokeStore: store });
  // Read by Powertools on every call; set only once the store is in place (without one it refuses to log).
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '1000';
  return store;
}

/** The function an invocation runs (the pipeline benchmark charges each SDK call to its function). */
const invokedFunction = new AsyncLocalStorage<string>();

/** The id of the local function whose invocation the calling code runs in; undefined outside any. */
export const invokedFunctionId = (): string | undefined => invokedFunction.getStore();

/** Loads each entry module once (a warm Lambda), then calls it with a per-invocation context. */
export function createInvoker(options: { readonly region: string; readonly accountId: string }): Invoker {
  const loaded = new Map<string, Promise<LambdaHandler>>();

  const load = (fn: LocalFunction): Promise<LambdaHandler> => {
    if (fn.handler !== undefined) return Promise.resolve(fn.handler);
    const entry = fn.entry;
    if (entry === undefined) return Promise.reject(new HandlerImportError(`function ${fn.id} has no entry`));
    let pending = loaded.get(entry);
    if (pending === undefined) {
      pending = import(pathToFileURL(resolve(repoRoot, entry)).href).then((module: { handler?: unknown }) => {
        if (typeof module.handler !== 'function') {
          throw new HandlerImportError(`${entry} does not export a function named handler`);
        }
        return module.handler as LambdaHandler;
      });
      // A failed import is retried on the next call (the file may be fixed meanwhile).
      pending.catch(() => loaded.delete(entry));
      loaded.set(entry, pending);
    }
    return pending;
  };

  return {
    async invoke(fn, event, requestId = randomUUID()) {
      const scopes = concurrentInvokeStore();
      // The module's init (clients, Powertools' batch processor) runs in a context of its own, as
      // Lambda's init phase is apart from any invocation.
      const handler = await scopes.run({}, () => load(fn));
      const context = createLambdaContext(fn, options.region, options.accountId, requestId);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new FunctionTimeoutError(`${fn.id} timed out after ${fn.timeoutSeconds} s`)),
          fn.timeoutSeconds * 1000,
        );
      });
      try {
        const invocation = invokedFunction.run(fn.id, () =>
          scopes.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, () =>
            Promise.resolve().then(() => handler(event, context)),
          ),
        );
        return await Promise.race([invocation, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
