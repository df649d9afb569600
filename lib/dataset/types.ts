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

export type DatasetItem = { kind: 'tweet'; position: number; tweet: Tweet } | { kind: 'skipped'; record: SkippedRecord };
