/** The bookkeeping of one source's ingest: when it counts as unchanged, and what its record says after a load. */
import type { FileStamp } from '../dataset';
import type { IngestSummary, Source, SourceIngest } from '../domain';
import type { LoadedSource } from './ingest';

export interface SourceFile {
  name: string;
  stamp: FileStamp;
  /** Its record from the last ingest, if any. */
  known: Source | undefined;
}

/** Same size and mtime as a complete last ingest: nothing to read. A source that failed or was incomplete is re-read. */
export const isUnchanged = ({ stamp, known }: SourceFile) =>
  !!known &&
  known.status === 'complete' &&
  known.size === stamp.size &&
  Date.parse(known.mtime) === Math.floor(stamp.mtimeMs); // ISO keeps whole ms

export const unchangedSource = ({ name, known }: SourceFile): SourceIngest => ({
  source: name,
  unchanged: true,
  records: known?.records ?? 0,
  indexed: 0,
  invalid: 0,
  failed: 0,
});

const base = (file: SourceFile, at: string) => ({
  source: file.name,
  size: file.stamp.size,
  mtime: new Date(file.stamp.mtimeMs).toISOString(),
  first_ingest_at: file.known?.first_ingest_at ?? at,
  last_ingest_at: at,
});

export function loadedSource(file: SourceFile, loaded: LoadedSource, at: string): Source {
  return {
    ...base(file, at),
    sha256: loaded.read.sha256,
    format: loaded.read.format,
    compressed: loaded.read.compressed,
    records: loaded.outcome.records,
    indexed: loaded.outcome.indexed,
    invalid: loaded.outcome.invalid,
    failed: loaded.outcome.failed,
    // Only a complete, clean load makes the source "unchanged" for the next call.
    status: loaded.outcome.failed === 0 ? 'complete' : 'incomplete',
    error: null,
  };
}

export function failedSource(file: SourceFile, error: string, at: string): Source {
  return {
    ...base(file, at),
    sha256: null,
    format: null,
    compressed: null,
    records: 0,
    indexed: 0,
    invalid: 0,
    failed: 0,
    status: 'failed',
    error,
  };
}

/** Invalid records (and refused tweets) listed in an answer; the counts stay exact beyond it. */
export const MAX_LISTED_INVALID = 100;

/** Adds one loaded source to the run's totals; format and compressed say what all the sources read share. */
export function mergeInto(summary: IngestSummary, loaded: LoadedSource) {
  const first = !summary.sources.some((s) => !s.unchanged && !s.error);
  summary.records += loaded.outcome.records;
  summary.indexed += loaded.outcome.indexed;
  summary.failed.push(...loaded.failed.slice(0, MAX_LISTED_INVALID - summary.failed.length));
  summary.invalid.count += loaded.invalid.count;
  summary.invalid.first.push(...loaded.invalid.first.slice(0, MAX_LISTED_INVALID - summary.invalid.first.length));
  const { format, compressed } = loaded.read;
  summary.format = first || summary.format === format ? format : undefined;
  summary.compressed = first || summary.compressed === compressed ? compressed : undefined;
  summary.timings.read_ms += loaded.timings.read_ms;
  summary.timings.write_ms += loaded.timings.write_ms;
  summary.timings.write_wait_ms += loaded.timings.write_wait_ms;
}
