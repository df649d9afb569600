/** The fields of one tweet that the pipeline keeps; ids are strings so ids above 2^53 stay exact. */
export interface Tweet {
  id: string;
  content: string;
  /** ISO-8601, UTC, millisecond precision. */
  created_at: string;
  author: { username: string | null; handle: string | null; verified: boolean };
  hashtags: string[];
  metrics: { retweets: number; likes: number };
}

/** A record that could not be used: where it is in the file, its id if it had one, and why. */
export interface SkippedRecord {
  position: number;
  id?: string;
  reason: string;
}

export type DatasetItem =
  | { kind: 'tweet'; position: number; tweet: Tweet }
  | { kind: 'skipped'; record: SkippedRecord };

export type DatasetFormat = 'json-array' | 'json-lines';

/** One message's worth of records from the parser: valid tweets and the records skipped, in file order. */
export interface TweetBatch {
  tweets: Tweet[];
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
