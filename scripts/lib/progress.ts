import { Presets, SingleBar } from 'cli-progress';

/** A progress bar that starts on the first update, when the total is known, and is stopped once. */
export function lazyBar(format: string) {
  const bar = new SingleBar({ format }, Presets.shades_classic);
  let started = false;
  return {
    update(total: number, value: number, payload: Record<string, unknown>) {
      if (!started) bar.start(total, 0, payload);
      started = true;
      bar.setTotal(total);
      bar.update(value, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
