import { config } from '../config';
import { esBulkClient, esClient } from './client';
import { ElasticsearchTweetStore } from './elasticsearch-store';
import { ElasticsearchLeaseStore } from './leases';
import { ElasticsearchJobStore } from './jobs';
import { clusterInfo, type ClusterInfo } from './cluster';
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
export { type ClusterInfo } from './cluster';
export { clientOptions, closeEsClient, esClient } from './client';
export { ElasticsearchSourceStore, InMemorySourceStore, SOURCES_MAPPING } from './sources';
export { esProblem, isTransient, type EsProblem } from './errors';
export { MappingConflictError } from './layout-errors';
export { SINGLE_NODE, type IndexLayout } from './indices';
export { nextGeneration, reindexBehindAlias, type ReindexOptions, type ReindexSummary } from './reindex';
export { ensureTweetsIndex, generationName, locateTweets } from './tweets-index';

const layout = () => ({ shards: config().es.shards, replicas: config().es.replicas });

let store: TweetStore | undefined;
/** The app's store, built at first use and shared by warm invocations: the alias ES_INDEX (see tweets-index). */
export function tweetStore(): TweetStore {
  store ??= new ElasticsearchTweetStore(esClient(), config().es.index, {
    layout: layout(),
    bulkClient: esBulkClient(),
  });
  return store;
}

let leases: LeaseStore | undefined;
/** Leases (one running ingest / tagging run per task) in `<ES_INDEX>-leases`. */
export function leaseStore(): LeaseStore {
  leases ??= new ElasticsearchLeaseStore(esClient(), `${config().es.index}-leases`, Date.now, layout());
  return leases;
}

let jobs: JobStore | undefined;
/** Jobs (long runs started over HTTP) in `<ES_INDEX>-jobs`. */
export function jobStore(): JobStore {
  jobs ??= new ElasticsearchJobStore(esClient(), `${config().es.index}-jobs`, layout());
  return jobs;
}

/** The node that answered and the cluster's status, for /health. */
export function describeCluster(): Promise<ClusterInfo> {
  return clusterInfo(esClient());
}

let sources: SourceStore | undefined;
/** The dataset's sources (fingerprints and outcomes) in `<ES_INDEX>-sources`. */
export function sourceStore(): SourceStore {
  sources ??= new ElasticsearchSourceStore(esClient(), `${config().es.index}-sources`, layout());
  return sources;
}
