import type { TweetSource } from '../dataset';
import type { Task, TweetDocument, TweetStore } from '../search';
import { selectTweets } from './select';
import type { Classifier, ResultOf, TagParams, TagProgress, TagSummary } from './types';

export interface TagDeps<T extends Task> {
  source: TweetSource;
  store: TweetStore;
  /** Loaded only once the selection is known to be usable. */
  loadClassifier: () => Promise<Classifier<T>>;
  onProgress?: (p: TagProgress) => void;
  now?: () => Date;
}

const chunk = <X>(xs: X[], size: number): X[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

/**
 * Select tweets → per batch: one query for those already classified by this model, classify the rest,
 * one bulk upsert. Per-tweet and per-document failures are collected, never thrown; a store that goes
 * down throws (503), and whatever earlier batches wrote stays written, so a re-run resumes.
 */
export async function tagTweets<T extends Task>(task: T, params: TagParams, deps: TagDeps<T>): Promise<TagSummary> {
  const t0 = performance.now();
  const now = deps.now ?? (() => new Date());
  const selection = await selectTweets(deps.source, params);
  const selectMs = performance.now() - t0;

  const summary: TagSummary = {
    task,
    requested: selection.tweets.length,
    classified: 0,
    skipped: { already_classified: 0, invalid: selection.invalidCount },
    failed: [],
    invalid_records: selection.invalid,
    labels: {},
    model: {},
    timings: { select_ms: Math.round(selectMs), load_ms: 0, inference_ms: 0, write_ms: 0 },
    took_ms: 0,
  };
  const finish = () => {
    summary.took_ms = Math.round(performance.now() - t0);
    return summary;
  };
  if (selection.tweets.length === 0) return finish();

  await deps.store.ensureIndex(); // fail fast (503) before loading a model if the store is down
  const tLoad = performance.now();
  const classifier = await deps.loadClassifier();
  summary.timings.load_ms = Math.round(performance.now() - tLoad);
  summary.model = classifier.info;

  let done = 0;
  for (const batch of chunk(selection.tweets, classifier.batchSize)) {
    let todo = batch;
    if (!params.force) {
      const already = await deps.store.findClassified(batch.map((t) => t.id), task, classifier.marker);
      todo = batch.filter((t) => !already.has(t.id));
      summary.skipped.already_classified += batch.length - todo.length;
    }

    const docs: TweetDocument[] = [];
    if (todo.length) {
      const tInfer = performance.now();
      const predictions = await classifier.classify(todo.map((t) => t.content));
      const ms = performance.now() - tInfer;
      summary.timings.inference_ms += ms;
      const classifiedAt = now().toISOString();
      todo.forEach((tweet, i) => {
        const p = predictions[i];
        if (!p || 'error' in p) {
          summary.failed.push({ id: tweet.id, reason: p?.error ?? 'the model returned no result' });
          return;
        }
        const result = { ...p, classified_at: classifiedAt, inference_ms: +(ms / todo.length).toFixed(2) } as ResultOf<T>;
        docs.push({ ...tweet, [task]: result });
      });
    }

    const tWrite = performance.now();
    const written = await deps.store.upsert(docs);
    summary.timings.write_ms += performance.now() - tWrite;
    summary.failed.push(...written.failed);
    const ok = new Set(written.written);
    for (const doc of docs) {
      if (!ok.has(doc.id)) continue;
      summary.classified++;
      const label = (doc[task] as ResultOf<T>).label;
      summary.labels[label] = (summary.labels[label] ?? 0) + 1;
    }
    done += batch.length;
    deps.onProgress?.({
      done,
      total: selection.tweets.length,
      classified: summary.classified,
      skipped: summary.skipped.already_classified,
      failed: summary.failed.length,
    });
  }
  await deps.store.refresh();
  summary.timings.inference_ms = Math.round(summary.timings.inference_ms);
  summary.timings.write_ms = Math.round(summary.timings.write_ms);
  return finish();
}
