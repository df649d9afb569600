import {
  UNDETERMINED_LANG,
  type IngestSummary,
  type ResultOf,
  type TagProgress,
  type TagSummary,
  type Task,
} from '../domain';
import type { Classifier } from '../models/types';
import { startedAhead } from '../promises';
import type { LeaseHolder, LeaseStore, ResultUpdate, TweetStore, UntaggedPage, UntaggedQuery } from '../store';
import { BulkWriter } from './bulk-writer';
import { takeLease, type HeldLease } from './leases';

export interface TagParams {
  /** How many tweets this call classifies at most. */
  limit: number;
  startMs?: number;
  endMs?: number;
  /** Re-tag tweets whose tag is older than this call (stalest first). */
  force: boolean;
  /** A disjoint slice of the tweets (a job's partition). */
  partition?: { index: number; count: number };
  /** With `force`: re-tag tweets tagged before this instant (default: the call's start). A job passes its creation
   * time, so its later invocations never redo its own work. */
  forceBefore?: string;
}

export interface TagDeps<T extends Task> {
  store: TweetStore;
  leases: LeaseStore;
  who: LeaseHolder;
  loadClassifier: () => Promise<Classifier<T>>;
  /** Brings the index up to date with the dataset file first (cheap when unchanged). */
  ensureIngested?: () => Promise<IngestSummary | undefined>;
  onProgress?: (p: TagProgress) => void;
  /** Checked between batches: a cancelled job or a worker out of time stops there; what was written stays. */
  shouldStop?: () => boolean | Promise<boolean>;
  /** EMOTION_LANGS: emotion tags only tweets in these languages (and those ingested before detection). */
  emotionLangs?: string[];
  /** A lease the caller already holds (a job's, across its worker invocations): used, renewed, not released. */
  lease?: HeldLease;
  now?: () => Date;
  /** Page sizes of the selection; tests make them small so a few dozen tweets cross page boundaries. */
  pages?: PageSizes;
}

/** Tweets per query: the first page small, so inference starts soon; later ones large, so queries are few. */
export interface PageSizes {
  first: number;
  rest: number;
}
const PAGE_SIZES: PageSizes = { first: 256, rest: 2000 };

type Run<T extends Task> = {
  task: T;
  params: TagParams;
  deps: TagDeps<T>;
  summary: TagSummary;
  query: Omit<UntaggedQuery, 'limit' | 'after'>;
};

export function tagLeaseName(task: Task, partition?: TagParams['partition']): string {
  return partition ? `tag-${task}-p${partition.index}of${partition.count}` : `tag-${task}`;
}

/**
 * Index → model → index: ingest if the file changed, take the task's lease, then page through the tweets in the
 * range that this model has not tagged yet, oldest first, classifying `limit` of them. So each call continues
 * where the last one stopped, and `remaining` says how many are left (forced: how many tagged before the call
 * started are still to re-tag, so a forced job knows when its pass is done).
 */
export async function tagFromIndex<T extends Task>(task: T, params: TagParams, deps: TagDeps<T>): Promise<TagSummary> {
  const t0 = performance.now();
  const summary = emptySummary(task, params.limit);
  const ingest = await deps.ensureIngested?.();
  if (ingest) summary.ingest = ingest;
  summary.timings.ingest_ms = Math.round(performance.now() - t0);

  const own = deps.lease ? undefined : await takeLease(deps.leases, tagLeaseName(task, params.partition), deps.who);
  const lease = deps.lease ?? own!;
  try {
    const tLoad = performance.now();
    const classifier = await deps.loadClassifier();
    summary.timings.load_ms = Math.round(performance.now() - tLoad);
    summary.model = classifier.info;
    // Forced: tweets tagged before this call (or job) started are re-tagged; so is what `remaining` counts.
    const forceBefore = params.force ? (params.forceBefore ?? (deps.now?.() ?? new Date()).toISOString()) : undefined;
    const query = {
      task,
      marker: classifier.marker,
      startMs: params.startMs,
      endMs: params.endMs,
      partition: params.partition,
      forceBefore,
      langs: task === 'emotion' ? deps.emotionLangs : undefined,
    };
    const run: Run<T> = { task, params, deps, summary, query };
    await classifyPages(run, classifier, lease.renew);
    await deps.store.refresh();
    summary.remaining = await deps.store.countUntagged(query);
    if (query.langs)
      summary.skipped = skippedOf(await deps.store.countOtherLanguages({ ...query, langs: query.langs }));
  } finally {
    await own?.release().catch(() => undefined);
  }
  summary.took_ms = Math.round(performance.now() - t0);
  return summary;
}

const skippedOf = (byLanguage: Record<string, number>) => ({
  count: Object.values(byLanguage).reduce((n, c) => n + c, 0),
  by_language: byLanguage,
});

function emptySummary(task: Task, limit: number): TagSummary {
  return {
    task,
    requested: limit,
    selected: 0,
    classified: 0,
    failed: [],
    remaining: 0,
    skipped: { count: 0, by_language: {} },
    labels: {},
    model: {},
    ingest: undefined, // set first when an ingest ran, so it reads before the timings
    timings: { ingest_ms: 0, select_ms: 0, load_ms: 0, inference_ms: 0, write_ms: 0, write_wait_ms: 0 },
    took_ms: 0,
  };
}

/**
 * Pages of untagged tweets. The next page is requested before this one is handed out, so selection overlaps
 * inference; `waitMs` counts only the time the run actually waited for a page. A prefetch that fails while the
 * current page is classified is handled from the start and thrown here, at its `await`.
 */
async function* untaggedPages(
  store: TweetStore,
  query: Omit<UntaggedQuery, 'limit' | 'after'>,
  limit: number,
  waited: { ms: number },
  sizes: PageSizes = PAGE_SIZES,
) {
  let taken = 0;
  const fetchPage = (size: number, after?: unknown[]) =>
    startedAhead(store.findUntagged({ ...query, limit: size, after }));
  let pending: ReturnType<typeof fetchPage> | undefined = fetchPage(Math.min(sizes.first, limit));
  while (pending) {
    const t0 = performance.now();
    const page: UntaggedPage = await pending;
    waited.ms += performance.now() - t0;
    taken += page.tweets.length;
    pending = page.next && taken < limit ? fetchPage(Math.min(sizes.rest, limit - taken), page.next) : undefined;
    yield page.tweets;
  }
}

async function classifyPages<T extends Task>(run: Run<T>, classifier: Classifier<T>, renew: () => Promise<void>) {
  const { params, deps, summary, query } = run;
  const stop = async () => (await deps.shouldStop?.()) ?? false;
  const total = Math.min(params.limit, await deps.store.countUntagged(query));
  const writer = new BulkWriter<ResultUpdate<T>>(
    (updates) => deps.store.putResults(run.task, updates),
    {},
    (r) => {
      summary.classified += r.written;
    },
  );
  const waited = { ms: 0 };
  let done = 0;
  for await (const tweets of untaggedPages(deps.store, query, params.limit, waited, deps.pages)) {
    summary.selected += tweets.length;
    // Batches pad every text to the longest one in them: similar lengths together waste the least.
    const byLength = [...tweets].sort((a, b) => a.content.length - b.content.length);
    for (let i = 0; i < byLength.length && !(await stop()); i += classifier.batchSize) {
      const batch = byLength.slice(i, i + classifier.batchSize);
      await classifyBatch(run, classifier, batch, writer);
      await renew();
      done += batch.length;
      deps.onProgress?.({ done, total, classified: summary.classified, failed: summary.failed.length });
    }
    if (await stop()) break;
  }
  await writer.flush();
  summary.failed.push(...writer.result.failed);
  summary.timings.select_ms = Math.round(waited.ms);
  summary.timings.inference_ms = Math.round(summary.timings.inference_ms);
  summary.timings.write_ms = Math.round(writer.writeMs);
  summary.timings.write_wait_ms = Math.round(writer.waitMs);
}

async function classifyBatch<T extends Task>(
  run: Run<T>,
  classifier: Classifier<T>,
  batch: Array<{ id: string; content: string; lang?: string }>,
  writer: BulkWriter<ResultUpdate<T>>,
) {
  const { summary } = run;
  const t0 = performance.now();
  const predictions = await classifier.classify(batch.map((t) => t.content));
  const ms = performance.now() - t0;
  summary.timings.inference_ms += ms;
  const classifiedAt = (run.deps.now?.() ?? new Date()).toISOString();
  const updates: Array<ResultUpdate<T>> = [];
  batch.forEach((tweet, i) => {
    const p = predictions[i];
    if (!p || 'error' in p) {
      summary.failed.push({ id: tweet.id, reason: p?.error ?? 'the model returned no result' });
      return;
    }
    const result = { ...p, classified_at: classifiedAt, inference_ms: +(ms / batch.length).toFixed(2) } as ResultOf<T>;
    // Stance is prompted in English whatever the tweet's language: the language is kept beside the label.
    if (run.task === 'stance') (result as ResultOf<'stance'>).lang = tweet.lang ?? UNDETERMINED_LANG;
    updates.push({ id: tweet.id, result });
    summary.labels[result.label] = (summary.labels[result.label] ?? 0) + 1;
  });
  await writer.add(updates);
}
