import type { ReadSummary, TweetBatch } from '../../lib/dataset';
import type { Tweet } from '../../lib/domain';
import type { DatasetReader } from '../../lib/pipeline';
import { TweetLines } from '../../lib/tweet-lines';

/** A tweet of day `i` of 2025, with an id offset by `base` so test files don't share ids. */
export const makeTweet = (i: number, content = `tweet ${i}`, base = 1000): Tweet => ({
  id: String(base + i),
  content,
  created_at: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
  author: { username: 'u', handle: '@u', verified: false },
  hashtags: [],
  metrics: { retweets: i, likes: i },
});

export type MemoryFiles = Record<string, { tweets: Tweet[]; mtimeMs?: number }>;

/**
 * A dataset reader over tweets held in memory, in batches of 3: the pipeline sees what the file reader would
 * give it. `reads` counts the files read (an unchanged file must not be).
 */
export function memoryReader(files: MemoryFiles): DatasetReader & { reads: number } {
  const reader = {
    reads: 0,
    stat: async (path: string) => ({ path, size: files[path]!.tweets.length, mtimeMs: files[path]!.mtimeMs ?? 1 }),
    async *read(path: string, source?: string): AsyncGenerator<TweetBatch, ReadSummary, void> {
      reader.reads++;
      const tweets = files[path]!.tweets.map((t) => (source === undefined ? t : { ...t, source }));
      for (let i = 0; i < tweets.length; i += 3) {
        yield {
          lines: TweetLines.fromTweets(tweets.slice(i, i + 3)),
          invalid: [],
          records: Math.min(3, tweets.length - i),
          bytesRead: i,
        };
      }
      const records = tweets.length;
      return { format: 'json-array', compressed: false, records, invalid: 0, bytes: records, sha256: 'h' };
    },
  };
  return reader;
}
