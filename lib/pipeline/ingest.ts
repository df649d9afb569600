import path from 'node:path';
import type { FileStamp, ReadSummary, TweetBatch } from '../dataset';
import type { IngestSummary, InvalidRecord, SourceIngest } from '../domain';
import type { LeaseHolder, LeaseStore, SourceStore, TweetStore } from '../store';
import { TweetLines } from '../tweet-lines';
import { BulkWriter } from './bulk-writer';
import { takeLease } from './leases';
import {
  failedSource,
  isUnchanged,
  loadedSource,
  MAX_LISTED_INVALID,
  mergeInto,
  unchangedSource,
  type SourceFile,
} from './sources';

export { MAX_LISTED_INVALID };

/** Documents per bulk request: Elasticsearch spends less per document on 5,000 than on 1,000 (bench:ingest). */
export const INGEST_BULK_DOCS = 5000;

/** Files from this size on are loaded with refreshes paused. */
export const BULK_LOADING_MIN_BYTES = 8 * 1024 * 1024;

/** The tweet file, as the pipeline sees it; a test can hand it any other reader. */
export interface DatasetReader {
  stat(path: string): Promise<FileStamp>;
  /** `source` is written into every tweet read. */
  read(path: string, source?: string): AsyncGenerator<TweetBatch, ReadSummary, void>;
}

export interface IngestProgress {
  bytesRead: number;
  bytesTotal: number;
  records: number;
  indexed: number;
}

export interface IngestDeps {
  store: TweetStore;
  sources: SourceStore;
  leases: LeaseStore;
  reader: DatasetReader;
  who: LeaseHolder;
  onProgress?: (p: IngestProgress) => void;
}

const emptySummary = (label: string): IngestSummary => ({
  file: label,
  unchanged: true,
  sources: [],
  records: 0,
  indexed: 0,
  failed: [],
  invalid: { count: 0, first: [] },
  timings: { read_ms: 0, write_ms: 0, write_wait_ms: 0 },
  took_ms: 0,
});

/** One file, named after its folder: the single-file form of ingestSources (benches, tests). */
export function ingestFile(file: string, options: { force: boolean }, deps: IngestDeps): Promise<IngestSummary> {
  return ingestSources({ label: file, folder: path.dirname(file), files: [file] }, options, deps);
}

export interface SourceSet {
  /** What the answer's `file` says: DATASET_PATH, or the one source asked for. */
  label: string;
  /** Sources are named relative to it. */
  folder: string;
  files: string[];
}

/**
 * Sources → index. A source with the size and mtime of its last complete ingest is not read again unless forced.
 * Only the tweet fields are written (plus `source`), so stored emotion and stance survive; a tweet id in two
 * sources is one document, the later ingest's fields win. One ingest at a time, across all sources.
 */
export async function ingestSources(set: SourceSet, options: { force: boolean }, deps: IngestDeps) {
  const t0 = performance.now();
  const summary = emptySummary(set.label);
  const files: SourceFile[] = await Promise.all(
    set.files.map(async (file) => {
      const stamp = await deps.reader.stat(file);
      const relative = path.relative(set.folder, stamp.path);
      // Named from the dataset folder; a file outside it (given on the command line) by its absolute path.
      const name = relative.startsWith('..') ? stamp.path : relative.split(path.sep).join('/');
      return { name, stamp, known: await deps.sources.get(name) };
    }),
  );
  const todo = files.filter((f) => options.force || !isUnchanged(f));
  for (const f of files.filter((f) => !todo.includes(f))) {
    summary.sources.push(unchangedSource(f));
    summary.records += f.known?.records ?? 0;
  }
  if (todo.length > 0) await loadAll(todo, summary, deps);
  summary.sources.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  summary.took_ms = Math.round(performance.now() - t0);
  return summary;
}

async function loadAll(todo: SourceFile[], summary: IngestSummary, deps: IngestDeps) {
  const lease = await takeLease(deps.leases, 'ingest', deps.who);
  try {
    const progress = { bytesBefore: 0, bytesTotal: todo.reduce((n, f) => n + f.stamp.size, 0) };
    // Pausing refreshes doubles the rate of a large load, but costs two settings updates (~1.5 s): not for small ones.
    const bulk = progress.bytesTotal >= BULK_LOADING_MIN_BYTES;
    if (bulk) await deps.store.setBulkLoading(true);
    try {
      for (const file of todo) {
        summary.unchanged = false;
        summary.sources.push(await loadOne(file, summary, deps, lease.renew, progress, todo.length === 1));
        progress.bytesBefore += file.stamp.size;
      }
    } finally {
      // A store that is down already failed the load; either way the tweets written become visible.
      await (bulk ? deps.store.setBulkLoading(false) : deps.store.refresh()).catch(() => undefined);
    }
  } finally {
    await lease.release().catch(() => undefined);
  }
}

type RunProgress = { bytesBefore: number; bytesTotal: number };

/** One source; a file that is not a tweet file is recorded as failed and the others go on (alone, it throws). */
async function loadOne(
  file: SourceFile,
  summary: IngestSummary,
  deps: IngestDeps,
  renew: () => Promise<void>,
  progress: RunProgress,
  alone: boolean,
): Promise<SourceIngest> {
  const onBatch = (bytesRead: number, records: number, indexed: number) =>
    deps.onProgress?.({
      bytesRead: progress.bytesBefore + bytesRead,
      bytesTotal: progress.bytesTotal,
      records: summary.records + records,
      indexed: summary.indexed + indexed,
    });
  try {
    const loaded = await loadFile(file, deps, renew, onBatch);
    mergeInto(summary, loaded);
    await deps.sources.put(loadedSource(file, loaded, new Date().toISOString()));
    return loaded.outcome;
  } catch (error) {
    if (!isSourceError(error)) throw error;
    await deps.sources.put(failedSource(file, (error as Error).message, new Date().toISOString()));
    if (alone) throw error;
    const message = (error as Error).message;
    return { source: file.name, unchanged: false, records: 0, indexed: 0, invalid: 0, failed: 0, error: message };
  }
}

/** The file's fault (not a tweet file, gone, unreadable), not the index's: the run goes on with the next source. */
const isSourceError = (error: unknown) =>
  ['dataset_invalid', 'dataset_unavailable'].includes((error as { code?: string }).code ?? '');

interface Loaded {
  read: ReadSummary;
  records: number;
  invalid: { count: number; first: InvalidRecord[] };
}

/** Reader batches → bulk writer, with progress; the reader (and its worker) is stopped when a write fails. */
async function streamIntoIndex(
  file: SourceFile,
  deps: IngestDeps,
  writer: BulkWriter<TweetLines>,
  renew: () => Promise<void>,
  onBatch: (bytesRead: number, records: number, indexed: number) => void,
) {
  const loaded: Omit<Loaded, 'read'> = { records: 0, invalid: { count: 0, first: [] } };
  const batches = deps.reader.read(file.stamp.path, file.name);
  let next = await batches.next();
  try {
    for (; !next.done; next = await batches.next()) {
      const batch = next.value;
      loaded.records += batch.records;
      loaded.invalid.count += batch.invalid.length;
      loaded.invalid.first.push(...batch.invalid.slice(0, MAX_LISTED_INVALID - loaded.invalid.first.length));
      if (batch.lines.length) await writer.add([batch.lines]); // each tweet's `source` is set by the reader
      await renew();
      onBatch(batch.bytesRead, loaded.records, writer.result.written);
    }
    await writer.flush();
  } finally {
    await batches.return(undefined as never);
  }
  return { ...loaded, read: next.value };
}

export type LoadedSource = Awaited<ReturnType<typeof loadFile>>;

async function loadFile(
  file: SourceFile,
  deps: IngestDeps,
  renew: () => Promise<void>,
  onBatch: (bytesRead: number, records: number, indexed: number) => void,
) {
  const tRead = performance.now();
  // The reader's batches are already bulk-sized (5,000 documents): each is one request, two under way at once.
  const writer = new BulkWriter<TweetLines>((parts) => deps.store.putTweets(TweetLines.concat(parts)), {
    maxItems: INGEST_BULK_DOCS,
    maxBytes: 16 * 1024 * 1024,
    maxInFlight: 2,
    countOf: (lines) => (lines as TweetLines).length,
    sizeOf: (lines) => (lines as TweetLines).bytes.length,
  });
  const { read, records, invalid } = await streamIntoIndex(file, deps, writer, renew, onBatch);
  const outcome: SourceIngest = {
    source: file.name,
    unchanged: false,
    records,
    indexed: writer.result.written,
    invalid: invalid.count,
    failed: writer.result.failed.length,
  };
  return {
    outcome,
    read,
    invalid,
    failed: writer.result.failed.slice(0, MAX_LISTED_INVALID),
    timings: {
      read_ms: Math.round(performance.now() - tRead - writer.waitMs),
      write_ms: Math.round(writer.writeMs),
      write_wait_ms: Math.round(writer.waitMs),
    },
  };
}
