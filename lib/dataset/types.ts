import type { Tweet } from '../domain';
import type { TweetLines } from '../tweet-lines';

export type { Tweet, TweetLines };

/** A record that could not be used: where it is in the file, its id if it had one, and why. */
export interface SkippedRecord {
  position: number;
  id?: string;
  reason: string;
}

export type DatasetFormat = 'json-array' | 'json-lines';

/** One message's worth of records from the parser: valid tweets (as JSON lines) and the records skipped, in file order. */
export interface TweetBatch {
  lines: TweetLines;
  invalid: SkippedRecord[];
  /** Records in this batch, valid + invalid. */
  records: number;
  /** Cumulative raw (as stored, maybe compressed) bytes read so far. */
  bytesRead: number;
}

/** The totals of one complete read; sha256 is over the raw bytes as stored. */
export interface ReadSummary {
  format: DatasetFormat;
  compressed: boolean;
  records: number;
  invalid: number;
  bytes: number;
  sha256: string;
}

export interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}
