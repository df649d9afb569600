/** A memoised async loader that can also drop what it holds (after a model is disposed). */
export interface LoadOnce<O, T> {
  (options: O): Promise<T>;
  /** Forgets the load for these options, so the next call loads again. */
  forget(options: O): void;
}

/**
 * Memoises an async loader per options key: concurrent first calls share one load, later calls reuse it,
 * and a failed load is forgotten so the next call retries (e.g. after `npm run models`).
 */
export function loadOnce<O, T>(load: (options: O) => Promise<T>): LoadOnce<O, T> {
  const loaded = new Map<string, Promise<T>>();
  const get = (options: O) => {
    const key = JSON.stringify(options);
    let promise = loaded.get(key);
    if (!promise) {
      promise = load(options).catch((error) => {
        loaded.delete(key);
        throw error;
      });
      loaded.set(key, promise);
    }
    return promise;
  };
  return Object.assign(get, { forget: (options: O) => void loaded.delete(JSON.stringify(options)) });
}
