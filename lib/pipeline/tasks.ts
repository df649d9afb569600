import { config } from '../config';
import { readTweetBatches, statTweetFile } from '../dataset';
import type { IngestSummary, TagProgress, TagSummary, Task } from '../domain';
import { AppError, TaskBusyError } from '../errors';
import { logger } from '../logger';
import { loadEmotionClassifier } from '../models/emotion';
import { loadStanceClassifier } from '../models/stance';
import type { Classifier } from '../models/types';
import { esClient, leaseStore, reindexBehindAlias, TWEETS_MAPPING, tweetStore, type LeaseHolder } from '../store';
import { ingestFile, type DatasetReader, type IngestProgress } from './ingest';
import { reindexTweets } from './reindex';
import { tagFromIndex, type TagParams } from './tag';

/** The production wiring of the pipeline: the configured dataset file, Elasticsearch and models. */

export const classifiers: { [T in Task]: () => Promise<Classifier<T>> } = {
  emotion: () => loadEmotionClassifier(),
  stance: () => loadStanceClassifier(),
};

export const datasetReader: DatasetReader = { stat: statTweetFile, read: (path) => readTweetBatches(path) };

export function runIngest(options: { force: boolean }, who: LeaseHolder, onProgress?: (p: IngestProgress) => void) {
  return ingestFile(config().datasetPath, options, {
    store: tweetStore(),
    leases: leaseStore(),
    reader: datasetReader,
    who,
    onProgress,
  });
}

/**
 * Before tagging, the index catches up with the file. Tagging still goes on from what is indexed when another
 * ingest is running, or when the file is gone but tweets were ingested before.
 */
export async function ensureIngested(who: LeaseHolder): Promise<IngestSummary | undefined> {
  try {
    return await runIngest({ force: false }, who);
  } catch (error) {
    const busy = error instanceof TaskBusyError;
    const missing = error instanceof AppError && error.code === 'dataset_unavailable';
    if (busy || (missing && (await tweetStore().stats()).count > 0)) {
      logger.warn('tagging from the index as it is', { reason: (error as Error).message });
      return undefined;
    }
    throw error;
  }
}

export function runTag(
  task: Task,
  params: TagParams,
  who: LeaseHolder,
  onProgress?: (p: TagProgress) => void,
): Promise<TagSummary> {
  return tagFromIndex(task, params, {
    store: tweetStore(),
    leases: leaseStore(),
    who,
    loadClassifier: classifiers[task] as () => Promise<Classifier<typeof task>>,
    ensureIngested: () => ensureIngested(who),
    onProgress,
  });
}

/** npm run reindex: the tweets into the alias's next generation, with the code's mapping, writers kept out. */
export function runReindex(
  options: { keepOld: boolean },
  who: LeaseHolder,
  onProgress?: (copied: number, total: number) => void,
) {
  const { index, shards, replicas } = config().es;
  return reindexTweets({
    leases: leaseStore(),
    who,
    onProgress,
    reindex: (progress) =>
      reindexBehindAlias(esClient(), index, TWEETS_MAPPING, {
        layout: { shards, replicas },
        keepOld: options.keepOld,
        onProgress: progress,
      }),
  });
}
