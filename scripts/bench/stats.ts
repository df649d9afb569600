/**
 * npm run bench:stats -- [--tweets N] [--runs R]
 * Times GET /stats (the store's aggregation, as the handler runs it) on a scratch index of N generated tweets
 * (default 120,000): ingested with the pipeline, then given synthetic emotion and stance tags (deterministic,
 * not a model's: the aggregation cost does not depend on who wrote the labels). The index is deleted after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMOTION_LABELS, STANCE_LABELS, type EmotionResult, type StanceResult } from '../../lib/domain';
import { ingestFile } from '../../lib/pipeline/ingest';
import { computeStats } from '../../lib/pipeline/stats';
import { datasetReader } from '../../lib/pipeline/tasks';
import {
  ElasticsearchLeaseStore,
  ElasticsearchTweetStore,
  esClient,
  InMemorySourceStore,
  type TweetFilter,
} from '../../lib/store';
import { cli, run, validateFlags } from '../lib/cli';
import { generate } from './generate-tweets';
import { z } from 'zod';

const USAGE = `usage: npm run bench:stats -- [--tweets N] [--runs R]
  Times /stats on a scratch index of N generated tweets (default 120000), R runs per query (default 5).`;
const flags = z.object({
  tweets: z.coerce.number().int().min(100).max(2_000_000).default(120_000),
  runs: z.coerce.number().int().min(1).max(50).default(5),
});

const emotionOf = (n: number, revision: string): EmotionResult => {
  const label = EMOTION_LABELS[n % 7]!;
  const score = 0.35 + (n % 60) / 100;
  const scores = Object.fromEntries(
    EMOTION_LABELS.map((l) => [l, l === label ? score : (1 - score) / 6]),
  ) as EmotionResult['scores'];
  return {
    label,
    score,
    scores,
    model: 'bench/synthetic',
    revision,
    dtype: 'none',
    classified_at: new Date().toISOString(),
    inference_ms: 0,
  };
};
const stanceOf = (n: number): StanceResult => {
  const label = STANCE_LABELS[(n >> 3) % 3]!;
  const score = 0.4 + (n % 50) / 100;
  const scores = Object.fromEntries(
    STANCE_LABELS.map((l) => [l, l === label ? score : (1 - score) / 2]),
  ) as StanceResult['scores'];
  return {
    label,
    score,
    scores,
    model: 'bench/synthetic',
    revision: 'r1',
    prompt_version: 'stance-v2',
    method: 'synthetic',
    classified_at: new Date().toISOString(),
    inference_ms: 0,
  };
};

/** Tags every generated tweet (ids as generate-tweets writes them) in bulk batches. */
async function tagAll(store: ElasticsearchTweetStore, n: number) {
  for (let start = 0; start < n; start += 5000) {
    const ids = Array.from({ length: Math.min(5000, n - start) }, (_, k) => start + k);
    const id = (i: number) => `${1790000000000000000n + BigInt(i) * 7919n}`;
    await store.putResults(
      'emotion',
      ids.map((i) => ({ id: id(i), result: emotionOf(i * 2654435761, i % 3 ? 'r2' : 'r1') })),
    );
    await store.putResults(
      'stance',
      ids.map((i) => ({ id: id(i), result: stanceOf(i * 40503) })),
    );
  }
  await store.refresh();
}

async function time(store: ElasticsearchTweetStore, name: string, filter: TweetFilter, runs: number) {
  const wall: number[] = [];
  let took = 0;
  for (let r = 0; r < runs; r++) {
    // Elasticsearch caches size-0 answers per shard until the next refresh: measure the work, not the cache.
    await esClient().indices.clearCache({ index: store.index, request: true });
    const t0 = performance.now();
    const stats = await computeStats(store, filter, { top: 10 });
    wall.push(performance.now() - t0);
    took = stats.took_ms;
    if (r === 0)
      console.log(
        `  ${name}: total ${stats.total}, interval ${stats.timeline.interval}, ${stats.timeline.buckets.length} buckets, top hashtags ${stats.hashtags.top
          .slice(0, 3)
          .map((h) => `${h.key} ${h.count}`)
          .join(', ')}`,
      );
  }
  const c0 = performance.now();
  await computeStats(store, filter, { top: 10 });
  const cached = performance.now() - c0;
  const sorted = [...wall].sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  console.log(
    `  ${name}: first ${ms(wall[0]!)} | median ${ms(sorted[Math.floor(runs / 2)]!)} | min ${ms(sorted[0]!)} | ES took (last) ${took} ms | from the request cache ${ms(cached)}`,
  );
}

async function main() {
  const { values } = cli({ usage: USAGE, options: { tweets: { type: 'string' }, runs: { type: 'string' } } });
  const { tweets, runs } = validateFlags(flags, values);
  const index = `bench-stats-${process.pid}`;
  const store = new ElasticsearchTweetStore(esClient(), index);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stats-'));
  const file = path.join(dir, 'tweets.jsonl.gz');
  try {
    let t0 = performance.now();
    await generate(file, tweets, true);
    const leases = new ElasticsearchLeaseStore(esClient(), `${index}-leases`);
    const who = { holder: `bench-${process.pid}`, description: 'bench:stats' };
    const sources = new InMemorySourceStore();
    const ingest = await ingestFile(file, { force: true }, { store, sources, leases, reader: datasetReader, who });
    console.log(`ingested ${ingest.indexed} tweets in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    await tagAll(store, tweets);
    console.log(`tagged (synthetic) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${runs} runs per query:`);
    await time(store, 'all tweets', {}, runs);
    await time(store, 'emotion=anger&q=tax', { emotion: 'anger', text: 'tax' }, runs);
    await time(
      store,
      'hashtag=#Jobs, Mar–May',
      { hashtag: '#jobs', startMs: Date.UTC(2025, 2, 1), endMs: Date.UTC(2025, 4, 31) },
      runs,
    );
  } finally {
    await esClient().indices.delete({ index: [index, `${index}-leases`], ignore_unavailable: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run('bench:stats', main);
