import { config } from '../config';
import { esClient } from './client';
import { ElasticsearchTweetStore } from './elasticsearch-store';
import type { TweetStore } from './types';

export * from './types';
export * from './mapping';
export { decodeCursor, encodeCursor } from './cursor';
export { ElasticsearchTweetStore } from './elasticsearch-store';
export { esClient } from './client';

let store: TweetStore | undefined;
/** The app's store, built at first use and shared by warm invocations. */
export function tweetStore(): TweetStore {
  store ??= new ElasticsearchTweetStore(esClient(), config().es.index);
  return store;
}
