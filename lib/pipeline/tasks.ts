import fs from 'node:fs';
import { config } from '../config';
import {
  datasetLayout,
  discoverSources,
  readTweetBatches,
  resolveInside,
  saveUpload,
  sourceName,
  statTweetFile,
  type UploadedBody,
} from '../dataset';
import type { IngestSummary, SourceList, TagProgress, TagSummary, Task } from '../domain';
import { AppError, TaskBusyError } from '../errors';
import { logger } from '../logger';
import { loadEmotionClassifier } from '../models/emotion';
import { loadStanceClassifier } from '../models/stance';
import type { Classifier } from '../models/types';
import {
  esClient,
  leaseStore,
  reindexBehindAlias,
  sourceStore,
  TWEETS_MAPPING,
  tweetStore,
  type LeaseHolder,
} from '../store';
import { ingestSources, type DatasetReader, type IngestProgress } from './ingest';
import { reindexTweets } from './reindex';
import { tagFromIndex, type TagParams } from './tag';

/** The production wiring of the pipeline: the configured dataset, Elasticsearch and models. */

export const classifiers: { [T in Task]: () => Promise<Classifier<T>> } = {
  emotion: () => loadEmotionClassifier(),
  stance: () => loadStanceClassifier(),
};

export const datasetReader: DatasetReader = {
  stat: statTweetFile,
  read: (path, source) => readTweetBatches(path, { source }),
};

export interface IngestOptions {
  force: boolean;
  /** One source, named relative to the dataset folder; refused when outside it. */
  path?: string;
  /** Files named on the command line: sources wherever they are (the caller has the shell anyway). */
  files?: string[];
}

const ingestDeps = (who: LeaseHolder, onProgress?: (p: IngestProgress) => void) => ({
  store: tweetStore(),
  sources: sourceStore(),
  leases: leaseStore(),
  reader: datasetReader,
  who,
  onProgress,
});

/** DATASET_PATH's sources that are new or changed (all with force), or the one source asked for. */
export async function runIngest(options: IngestOptions, who: LeaseHolder, onProgress?: (p: IngestProgress) => void) {
  const layout = await datasetLayout(config().datasetPath);
  const { files, label } = options.path
    ? await resolveInside(layout, options.path).then((file) => ({ files: [file], label: sourceName(layout, file) }))
    : options.files
      ? { files: options.files, label: options.files.join(', ') }
      : { files: await discoverSources(layout), label: config().datasetPath };
  return ingestSources({ label, folder: layout.folder, files }, options, ingestDeps(who, onProgress));
}

/** POST /ingest with a body: the file is saved into the dataset folder's uploads/, then ingested as its source. */
export async function runUpload(body: UploadedBody, who: LeaseHolder, onProgress?: (p: IngestProgress) => void) {
  const layout = await datasetLayout(config().datasetPath);
  const file = await saveUpload(layout, body);
  const name = sourceName(layout, file);
  try {
    return await runIngest({ force: false, path: name }, who, onProgress);
  } catch (error) {
    // Not a tweet file: it is not kept as a source (the answer says why); anything else leaves it to retry.
    if ((error as { code?: string }).code === 'dataset_invalid') {
      await Promise.all([fs.promises.rm(file, { force: true }), sourceStore().remove(name)]);
    }
    throw error;
  }
}

/** GET /sources: every source ingested so far, with its figures. */
export async function listSources(): Promise<SourceList> {
  const layout = await datasetLayout(config().datasetPath);
  return { dataset: { path: config().datasetPath, folder: layout.folder }, items: await sourceStore().list() };
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
    emotionLangs: config().emotionLangs,
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
