/**
 * Memoises an async loader per options key: concurrent first calls share one load, later calls reuse it,
 * and a failed load is forgotten so the next call retries (e.g. after `npm run models`).
 */
export function loadOnce<O, T>(load: (options: O) => Promise<T>): (options: O) => Promise<T> {
  const loaded = new Map<string, Promise<T>>();
  return (options) => {
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
}
