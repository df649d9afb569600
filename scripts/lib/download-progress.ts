import { MultiBar, Presets, type SingleBar } from 'cli-progress';

export interface FileProgress {
  file: string;
  received: number;
  total: number;
}

/** What the model step reports through: per-file download progress, message lines, and the end. */
export interface ProgressReporter {
  onProgress: (p: FileProgress) => void;
  log: (line: string) => void;
  stop: () => void;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * Plain lines for a log (compose, CI, a pipe): one when a file starts (its size), one at every further 10 %,
 * each with the rate since the file started. Nothing is redrawn, so every line survives in `docker compose logs`.
 */
export function lineReporter(write: (line: string) => void, now: () => number = Date.now): ProgressReporter {
  const files = new Map<string, { started: number; reported: number }>();
  return {
    onProgress: ({ file, received, total }) => {
      let state = files.get(file);
      if (!state) {
        state = { started: now(), reported: -1 };
        files.set(file, state);
        write(`  ${file}: downloading ${total > 0 ? `${mb(total)} MB` : '(size unknown)'}`);
      }
      const percent = total > 0 ? Math.min(100, Math.floor((received / total) * 100)) : 0;
      const step = Math.floor(percent / 10) * 10;
      if (total <= 0 || step <= state.reported || (step === 0 && received < total)) return;
      state.reported = step;
      const seconds = Math.max((now() - state.started) / 1000, 0.001);
      write(`  ${file}: ${step}% (${mb(received)}/${mb(total)} MB, ${mb(received / seconds)} MB/s)`);
    },
    log: write,
    stop: () => undefined,
  };
}

/**
 * Bars on a terminal. cli-progress only buffers `log()` until the next redraw and drops the buffer on `stop()`,
 * so a message is written at once and the bars are redrawn below it.
 */
export function barReporter(stream: NodeJS.WriteStream = process.stdout): ProgressReporter {
  const bars = new MultiBar(
    { format: ' {file} [{bar}] {percentage}% {value}/{total} MB', hideCursor: true, clearOnComplete: false, stream },
    Presets.shades_classic,
  );
  const active = new Map<string, SingleBar>();
  const inMb = (n: number) => Math.round(n / 1e5) / 10;
  return {
    onProgress: ({ file, received, total }) => {
      if (!active.has(file)) active.set(file, bars.create(inMb(total), 0, { file }));
      active.get(file)!.update(inMb(received), { file });
    },
    log: (line) => {
      if (!bars.isActive) return void stream.write(line + '\n');
      bars.log(line + '\n');
      bars.update(); // flushes the line now
    },
    stop: () => bars.stop(),
  };
}

/** Bars when stdout is a terminal, plain lines otherwise (`docker compose up`, `npm run models | tee`). */
export const progressReporter = (): ProgressReporter =>
  process.stdout.isTTY ? barReporter(process.stdout) : lineReporter((line) => console.log(line));
