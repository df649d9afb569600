import { AsyncLocalStorage } from 'node:async_hooks';
import { logger } from './logger';

/**
 * The last line of defence, not the fix: serverless-offline runs every handler in one process (`useInProcess`), so
 * one promise rejection nobody listens to would end the server for every request and job in it. With this
 * listener installed, such a rejection is logged at error level with the request or job it came from, and the
 * server keeps serving. Tests fail when the log ever shows one.
 */

/** What the log line names: filled in as the invocation learns it (the request id comes from a middleware). */
export type InvocationScope = Record<string, string | undefined>;

/** Shared by every bundle loaded into the process (esbuild gives each function its own copy of this module). */
const GLOBAL = Symbol.for('political-tweets-etl.process-guard');
type Shared = { scopes: AsyncLocalStorage<InvocationScope> };
const shared: Shared = ((globalThis as Record<symbol, Shared | undefined>)[GLOBAL] ??= install());

export const UNHANDLED_REJECTION_MSG = 'unhandled rejection';

function install(): Shared {
  const scopes = new AsyncLocalStorage<InvocationScope>();
  process.on('unhandledRejection', (reason) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    logger.error(UNHANDLED_REJECTION_MSG, { ...scopes.getStore(), error: error.message, stack: error.stack });
  });
  return { scopes };
}

/** Runs `fn` with `scope` as the invocation every later log of an unhandled rejection names. */
export function withScope<T>(scope: InvocationScope, fn: () => T): T {
  return shared.scopes.run(scope, fn);
}

/** The scope of the running invocation (mutable: a middleware adds the request id). */
export function currentScope(): InvocationScope | undefined {
  return shared.scopes.getStore();
}
