import type { SkippedRecord, Tweet, TweetSource } from '../dataset';

/** Invalid records listed in an answer; the count stays exact beyond it. */
export const MAX_LISTED_INVALID = 100;

export interface Selection {
  tweets: Tweet[];
  invalid: SkippedRecord[];
  invalidCount: number;
}

/**
 * The first `limit` valid tweets in [startMs, endMs], in file order. Reads the file to its end even
 * after the selection is full, so a file that is broken further down fails before anything is written —
 * unless the source already knows it parses (an unchanged file read in full before).
 * Invalid records are counted only while the selection is still filling: those are the ones this call skipped.
 */
export async function selectTweets(
  source: TweetSource,
  range: { limit: number; startMs?: number; endMs?: number },
): Promise<Selection> {
  const tweets: Tweet[] = [];
  const invalid: SkippedRecord[] = [];
  let invalidCount = 0;
  const seen = new Set<string>();
  const mayStopEarly = (await source.isKnownValid?.()) ?? false;
  let complete = true;
  for await (const item of source.read()) {
    const filling = tweets.length < range.limit;
    if (!filling) {
      if (mayStopEarly) {
        complete = false;
        break;
      }
      continue;
    }
    if (item.kind === 'skipped') {
      invalidCount++;
      if (invalid.length < MAX_LISTED_INVALID) invalid.push(item.record);
      continue;
    }
    const { tweet } = item;
    const ms = Date.parse(tweet.created_at);
    if ((range.startMs !== undefined && ms < range.startMs) || (range.endMs !== undefined && ms > range.endMs)) continue;
    if (seen.has(tweet.id)) {
      invalidCount++;
      if (invalid.length < MAX_LISTED_INVALID) invalid.push({ position: item.position, id: tweet.id, reason: 'duplicate id' });
      continue;
    }
    seen.add(tweet.id);
    tweets.push(tweet);
  }
  if (complete) await source.markValid?.();
  return { tweets, invalid, invalidCount };
}
