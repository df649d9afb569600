import { config } from '../config';
import { esClient } from './client';
import { ElasticsearchTweetStore } from './elasticsearch-store';
import { ElasticsearchLeaseStore } from './leases';
import { ElasticsearchJobStore } from './jobs';
import { ElasticsearchSourceStore } from './sources';
import type { JobStore, LeaseStore, SourceStore, TweetStore } from './types';

export * from './types';
export * from './mapping';
export { decodeCursor, encodeCursor, type CursorValues } from './cursor';
export { ElasticsearchTweetStore } from './elasticsearch-store';
export { ElasticsearchLeaseStore } from './leases';
export { InMemoryTweetStore } from './memory-store';
export { ElasticsearchJobStore } from './jobs';
export { InMemoryJobStore } from './memory-jobs';
export { ElasticsearchSourceStore, InMemorySourceStore, SOURCES_MAPPING } from './sources';
export { closeEsClient, esClient } from './client';

let store: TweetStore | undefined;
/** The app's store, built at first use and shared by warm invocations. */
export function tweetStore(): TweetStore {
  const { index, bulkTimeoutMs } = config().es;
  store ??= new ElasticsearchTweetStore(esClient(), index, { requestTimeoutMs: bulkTimeoutMs });
  return store;
}

let leases: LeaseStore | undefined;
/** Leases (one running ingest / tagging run per task) in `<ES_INDEX>-leases`. */
export function leaseStore(): LeaseStore {
  leases ??= new ElasticsearchLeaseStore(esClient(), `${config().es.index}-leases`);
  return leases;
}

let jobs: JobStore | undefined;
/** Jobs (long runs started over HTTP) in `<ES_INDEX>-jobs`. */
export function jobStore(): JobStore {
  jobs ??= new ElasticsearchJobStore(esClient(), `${config().es.index}-jobs`);
  return jobs;
}

let sources: SourceStore | undefined;
/** The dataset's sources (fingerprints and outcomes) in `<ES_INDEX>-sources`. */
export function sourceStore(): SourceStore {
  sources ??= new ElasticsearchSourceStore(esClient(), `${config().es.index}-sources`);
  return sources;
}
