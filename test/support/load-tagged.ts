import type { TweetStore } from '../../lib/store';
import { TweetLines } from '../../lib/tweet-lines';
import { emotionOf, stanceOf, taggedDataset, taggedTweet } from './tagged-tweets';

/** Writes the tagged dataset through the store (as ingest + tagging would) and makes it searchable. */
export async function loadTagged(store: TweetStore): Promise<void> {
  const ids = taggedDataset();
  expect((await store.putTweets(TweetLines.fromTweets(ids.map(taggedTweet)))).failed).toEqual([]);
  const emotion = ids.flatMap((i) => (emotionOf(i) ? [{ id: taggedTweet(i).id, result: emotionOf(i)! }] : []));
  const stance = ids.flatMap((i) => (stanceOf(i) ? [{ id: taggedTweet(i).id, result: stanceOf(i)! }] : []));
  expect((await store.putResults('emotion', emotion)).failed).toEqual([]);
  expect((await store.putResults('stance', stance)).failed).toEqual([]);
  await store.refresh();
}
