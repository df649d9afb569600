import { logger } from '../logger';
import { esProblem, isTransient } from './errors';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** First pause; doubles each time, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

/**
 * Long enough to outlast a node's death in a 3-node cluster (the others notice at once, a replica is promoted, a
 * master re-elected: a few seconds), short enough that a request path still answers 503 (~12 s of pauses) before
 * its 30 s function timeout when the cluster is really gone.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 7, backoffMs: 250, maxBackoffMs: 4000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = logger.child({ module: 'store' });

export const backoff = (policy: RetryPolicy, attempt: number) =>
  Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));

/**
 * Runs `request` again after a pause while it fails in a way that may heal (429, 502-504, a connection refused or
 * reset); not after a timeout: the client already tried another node, and a frozen cluster must answer 503 soon;
 * every retry is logged, and the last error is thrown: nothing is skipped in silence. Only for requests that are
 * safe to repeat (upserts, partial updates of the same value, reads).
 */
export async function withRetry<T>(what: string, request: () => Promise<T>, policy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= policy.attempts || !isTransient(error)) throw error;
      const delayMs = backoff(policy, attempt);
      log.warn('elasticsearch request failed; retrying', {
        what,
        attempt,
        delay_ms: delayMs,
        problem: esProblem(error),
        error: (error as Error).message,
      });
      await sleep(delayMs);
    }
  }
}
