/** The main-thread side of the tweet file reader: spawns the parser thread and hands its batches out. */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DatasetError, DependencyUnavailableError } from '../errors';
import { TweetLines } from '../tweet-lines';
import { PARSER_ENTRY } from './parse-worker';
import { PARSER_ROLE, type ParserData, type WorkerMessage } from './protocol';
import type { FileStamp, ReadSummary, TweetBatch } from './types';

const unavailable = (filePath: string) =>
  new DependencyUnavailableError(
    'dataset',
    `The dataset file ${filePath} does not exist or cannot be read.`,
    'Set DATASET_PATH to a readable JSON array or JSON Lines file, plain or gzip (see docs/operations.md, "Your own dataset").',
  );

/** size + mtime (no read); throws DependencyUnavailableError('dataset') when missing/unreadable. */
export async function statTweetFile(filePath: string): Promise<FileStamp> {
  const stats = await fs.promises.stat(filePath).catch(() => undefined);
  if (!stats?.isFile()) throw unavailable(filePath);
  return { path: filePath, size: stats.size, mtimeMs: stats.mtimeMs };
}

type Event = WorkerMessage | { type: 'exit'; code: number } | { type: 'crash'; error: Error };

/** Everything the worker says, in order, taken one event at a time. */
class Inbox {
  private queue: Event[] = [];
  private waiter: ((event: Event) => void) | undefined;
  exited = false;
  readonly exit: Promise<void>;

  constructor(worker: Worker) {
    worker.on('message', (m: WorkerMessage) => this.push(m));
    worker.on('error', (error) => this.push({ type: 'crash', error }));
    this.exit = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.exited = true;
        this.push({ type: 'exit', code });
        resolve();
      }),
    );
  }

  next(): Promise<Event> {
    const event = this.queue.shift();
    return event ? Promise.resolve(event) : new Promise((resolve) => (this.waiter = resolve));
  }

  private push(event: Event) {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter(event);
    else this.queue.push(event);
  }
}

/** A variable, so bundlers don't try to resolve a dev dependency that only .ts entries need. */
const TSX_REQUIRE_HOOK = 'tsx/cjs';

function spawnParser(data: ParserData): Worker {
  // Under tsx and jest the entry is TypeScript and the thread gets no transform of its own: tsx's require hook
  // loads it, resolved from here so the process's cwd doesn't matter.
  const execArgv = PARSER_ENTRY.endsWith('.ts') ? ['--require', require.resolve(TSX_REQUIRE_HOOK)] : [];
  return new Worker(PARSER_ENTRY, { workerData: data, execArgv });
}

function failure(event: Event, filePath: string): Error {
  if (event.type === 'error' && event.kind === 'dataset')
    return new DatasetError(event.message, event.details ?? { path: filePath });
  if (event.type === 'error' && event.kind === 'unavailable') return unavailable(filePath);
  if (event.type === 'error') return new Error(`The dataset parser thread failed: ${event.message}`);
  if (event.type === 'crash')
    return new Error(`The dataset parser thread crashed: ${event.error.message}`, { cause: event.error });
  return new Error(
    `The dataset parser thread exited (code ${event.type === 'exit' ? event.code : '?'}) before the end of the file.`,
  );
}

/** Asks the worker to stop (it closes the file), then makes sure the thread is gone. */
async function stopParser(worker: Worker, inbox: Inbox) {
  if (!inbox.exited) {
    worker.postMessage({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([inbox.exit, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
  }
  await worker.terminate();
}

/** One batch = one bulk request of the ingest: 5,000 documents cost Elasticsearch less per document than 1,000. */
export const DEFAULT_BATCH_SIZE = 5000;

/** Streams normalised tweets in batches, parsed in a worker thread. Returns the summary when done. */
export async function* readTweetBatches(
  filePath: string,
  options: { batchSize?: number; chunkSize?: number; source?: string } = {},
): AsyncGenerator<TweetBatch, ReadSummary, void> {
  await statTweetFile(filePath);
  await fs.promises.access(filePath, fs.constants.R_OK).catch(() => Promise.reject(unavailable(filePath)));
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const chunkSize = Math.max(1, options.chunkSize ?? 1 << 20);
  const worker = spawnParser({ role: PARSER_ROLE, filePath, batchSize, chunkSize, source: options.source });
  const inbox = new Inbox(worker);
  try {
    for (;;) {
      worker.ref(); // waiting on the worker keeps the process alive; holding a batch does not
      const event = await inbox.next();
      if (event.type === 'done') return event.summary;
      if (event.type !== 'batch') throw failure(event, filePath);
      worker.unref();
      const { type: _type, bytes, ids, ...rest } = event;
      yield { lines: new TweetLines(bytes, ids), ...rest };
      worker.postMessage({ type: 'credit' });
    }
  } finally {
    await stopParser(worker, inbox);
  }
}
