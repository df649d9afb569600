import type { Tweet } from '../domain';

export type { Tweet };

/** A record that could not be used: where it is in the file, its id if it had one, and why. */
export interface SkippedRecord {
  position: number;
  id?: string;
  reason: string;
}

export type DatasetItem = { kind: 'tweet'; position: number; tweet: Tweet } | { kind: 'skipped'; record: SkippedRecord };

export type DatasetFormat = 'json-array' | 'json-lines';
export interface TweetBatch {
  tweets: Tweet[];
  invalid: SkippedRecord[];
  records: number;
  bytesRead: number;
}
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
