import { config } from '../config';
import { fileTweetSource } from '../dataset';
import { loadEmotionClassifier } from '../models/emotion';
import { loadStanceClassifier } from '../models/stance';
import type { TagInput } from '../schemas';
import { tweetStore, type Task } from '../search';
import { tagTweets } from './run';
import type { Classifier, TagParams, TagProgress, TagSummary } from './types';

const classifiers: { [T in Task]: () => Promise<Classifier<T>> } = {
  emotion: () => loadEmotionClassifier(),
  stance: () => loadStanceClassifier(),
};

/** Validated /emotion|/stance input (or the CLI's) → pipeline parameters; `limit` falls back to DEFAULT_TAG_LIMIT. */
export function tagParams(input: TagInput): TagParams {
  return { limit: input.limit ?? config().defaultTagLimit, startMs: input.start_date, endMs: input.end_date, force: input.force };
}

/** The production wiring of the pipeline: the configured dataset, Elasticsearch store and model. */
export function runTask(task: Task, params: TagParams, onProgress?: (p: TagProgress) => void): Promise<TagSummary> {
  return tagTweets(task, params, {
    source: fileTweetSource(config().datasetPath),
    store: tweetStore(),
    loadClassifier: classifiers[task] as () => Promise<Classifier<typeof task>>,
    onProgress,
  });
}
