import type { FileStamp, ReadSummary, TweetBatch } from '../dataset';
import type { IngestSummary, InvalidRecord } from '../domain';
import { TweetLines } from '../tweet-lines';
import type { LeaseHolder, LeaseStore, TweetStore } from '../store';
import { BulkWriter } from './bulk-writer';
import { takeLease } from './leases';

/** Documents per bulk request: Elasticsearch spends less per document on 5,000 than on 1,000 (bench:ingest). */
export const INGEST_BULK_DOCS = 5000;

/** Files from this size on are loaded with refreshes paused. */
export const BULK_LOADING_MIN_BYTES = 8 * 1024 * 1024;

/** Invalid records listed in an answer; the count stays exact beyond it. */
export const MAX_LISTED_INVALID = 100;

/** The tweet file, as the pipeline sees it; a test can hand it any other reader. */
export interface DatasetReader {
  stat(path: string): Promise<FileStamp>;
  read(path: string): AsyncGenerator<TweetBatch, ReadSummary, void>;
}

export interface IngestProgress {
  bytesRead: number;
  bytesTotal: number;
  records: number;
  indexed: number;
}

export interface IngestDeps {
  store: TweetStore;
  leases: LeaseStore;
  reader: DatasetReader;
  who: LeaseHolder;
  onProgress?: (p: IngestProgress) => void;
}

const unchangedSummary = (file: string, records: number, t0: number): IngestSummary => ({
  file,
  unchanged: true,
  records,
  indexed: 0,
  failed: [],
  invalid: { count: 0, first: [] },
  timings: { read_ms: 0, write_ms: 0, write_wait_ms: 0 },
  took_ms: Math.round(performance.now() - t0),
});

/**
 * File → index. An unchanged file (same size and mtime as the last complete ingest) is not read again unless
 * forced. Only the tweet fields are written, so stored emotion and stance survive a re-ingest. One ingest at a time.
 */
export async function ingestFile(file: string, options: { force: boolean }, deps: IngestDeps): Promise<IngestSummary> {
  const t0 = performance.now();
  const stamp = await deps.reader.stat(file);
  const known = await deps.store.getFingerprint(stamp.path);
  if (!options.force && known && known.size === stamp.size && known.mtimeMs === stamp.mtimeMs) {
    return unchangedSummary(stamp.path, known.records, t0);
  }
  const lease = await takeLease(deps.leases, 'ingest', deps.who);
  try {
    // Pausing refreshes doubles the rate of a large load, but costs two settings updates (~1.5 s): not for small files.
    const bulk = stamp.size >= BULK_LOADING_MIN_BYTES;
    if (bulk) await deps.store.setBulkLoading(true);
    const summary = await loadFile(stamp, deps, lease.renew).finally(
      // A store that is down already failed the load; either way the tweets written become visible.
      () => (bulk ? deps.store.setBulkLoading(false) : deps.store.refresh()).catch(() => undefined),
    );
    summary.took_ms = Math.round(performance.now() - t0);
    return summary;
  } finally {
    await lease.release().catch(() => undefined);
  }
}

interface Loaded {
  read: ReadSummary;
  records: number;
  invalid: { count: number; first: InvalidRecord[] };
}

/** Reader batches → bulk writer, with progress; the reader (and its worker) is stopped when a write fails. */
async function streamIntoIndex(
  stamp: FileStamp,
  deps: IngestDeps,
  writer: BulkWriter<TweetLines>,
  renew: () => Promise<void>,
) {
  const loaded: Omit<Loaded, 'read'> = { records: 0, invalid: { count: 0, first: [] } };
  const batches = deps.reader.read(stamp.path);
  let next = await batches.next();
  try {
    for (; !next.done; next = await batches.next()) {
      const batch = next.value;
      loaded.records += batch.records;
      loaded.invalid.count += batch.invalid.length;
      loaded.invalid.first.push(...batch.invalid.slice(0, MAX_LISTED_INVALID - loaded.invalid.first.length));
      if (batch.lines.length) await writer.add([batch.lines]);
      await renew();
      const indexed = writer.result.written;
      deps.onProgress?.({ bytesRead: batch.bytesRead, bytesTotal: stamp.size, records: loaded.records, indexed });
    }
    await writer.flush();
  } finally {
    await batches.return(undefined as never);
  }
  return { ...loaded, read: next.value };
}

async function loadFile(stamp: FileStamp, deps: IngestDeps, renew: () => Promise<void>): Promise<IngestSummary> {
  const tRead = performance.now();
  // The reader's batches are already bulk-sized (5,000 documents): each is one request, two under way at once.
  const writer = new BulkWriter<TweetLines>((parts) => deps.store.putTweets(TweetLines.concat(parts)), {
    maxItems: INGEST_BULK_DOCS,
    maxBytes: 16 * 1024 * 1024,
    maxInFlight: 2,
    countOf: (lines) => (lines as TweetLines).length,
    sizeOf: (lines) => (lines as TweetLines).bytes.length,
  });
  const { read, records, invalid } = await streamIntoIndex(stamp, deps, writer, renew);
  if (writer.result.failed.length === 0) {
    // Only a complete, clean load makes the file "unchanged" for the next call.
    await deps.store.putFingerprint({ ...stamp, sha256: read.sha256, records, ingested_at: new Date().toISOString() });
  }
  return {
    file: stamp.path,
    unchanged: false,
    format: read.format,
    compressed: read.compressed,
    records,
    indexed: writer.result.written,
    failed: writer.result.failed.slice(0, MAX_LISTED_INVALID),
    invalid,
    timings: {
      read_ms: Math.round(performance.now() - tRead - writer.waitMs),
      write_ms: Math.round(writer.writeMs),
      write_wait_ms: Math.round(writer.waitMs),
    },
    took_ms: 0,
  };
}
