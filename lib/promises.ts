/**
 * Work started ahead of its `await` (a prefetched page, a progress write queued behind others). Node treats a
 * rejection that has no handler at the moment it settles as an uncaught error, which ends a server that runs every
 * handler in one process. These helpers give such a promise its handler the moment it is created, so its error
 * surfaces where it is awaited, and only there. Depends on nothing.
 */

/** Marks `promise` as handled now; awaiting it later still throws its error. */
export function startedAhead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Runs tasks one after another, in the order they were queued, without the caller waiting for each. The first
 * error is kept (later tasks are skipped) and thrown by `settled()`: never left as an unhandled rejection.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private error: Error | undefined;

  push(task: () => Promise<unknown>): void {
    this.tail = this.tail.then(async () => {
      if (this.error) return;
      try {
        await task();
      } catch (error) {
        this.error = error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /** Waits for every queued task; throws the first error any of them threw. */
  async settled(): Promise<void> {
    await this.tail;
    if (this.error) throw this.error;
  }
}
