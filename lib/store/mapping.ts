import type { estypes } from '@elastic/elasticsearch';
import { EMOTION_LABELS, STANCE_LABELS } from '../domain';

const scores = (labels: readonly string[]): estypes.MappingProperty => ({
  properties: Object.fromEntries(labels.map((l) => [l, { type: 'float' }])),
});

/** Buckets of the id hash that partitions are made of (see partitionBuckets). */
export const PARTITION_BUCKETS = 1024;

/**
 * Strict: a document with a field not listed here is rejected instead of silently widening the index.
 * Every field but `bucket` comes from the domain's tweetDocumentSchema (a test checks they agree);
 * `bucket` is the store's own: a hash of the id that splits the tweets into disjoint partitions.
 */
export const TWEETS_MAPPING: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    content: { type: 'text' },
    created_at: { type: 'date' },
    author: {
      properties: { username: { type: 'keyword' }, handle: { type: 'keyword' }, verified: { type: 'boolean' } },
    },
    hashtags: { type: 'keyword' },
    metrics: { properties: { retweets: { type: 'long' }, likes: { type: 'long' } } },
    source: { type: 'keyword' },
    lang: { type: 'keyword' },
    lang_score: { type: 'float' },
    bucket: { type: 'short' },
    emotion: {
      properties: {
        label: { type: 'keyword' },
        score: { type: 'float' },
        scores: scores(EMOTION_LABELS),
        model: { type: 'keyword' },
        revision: { type: 'keyword' },
        dtype: { type: 'keyword' },
        classified_at: { type: 'date' },
        inference_ms: { type: 'float' },
      },
    },
    stance: {
      properties: {
        label: { type: 'keyword' },
        score: { type: 'float' },
        scores: scores(STANCE_LABELS),
        model: { type: 'keyword' },
        revision: { type: 'keyword' },
        prompt_version: { type: 'keyword' },
        method: { type: 'keyword' },
        raw_output: { type: 'text', index: false },
        lang: { type: 'keyword' },
        classified_at: { type: 'date' },
        inference_ms: { type: 'float' },
      },
    },
  },
};

/** The leases index: small documents, looked up by id only. */
export const LEASES_MAPPING: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    name: { type: 'keyword' },
    holder: { type: 'keyword' },
    description: { type: 'text', index: false },
    acquired_at: { type: 'date' },
    expires_at: { type: 'date' },
  },
};

/** FNV-1a of the id, folded into PARTITION_BUCKETS: stable across processes and languages. */
export function bucketOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % PARTITION_BUCKETS;
}

/** The buckets of partition `index` of `count`: every bucket belongs to exactly one partition. */
export function partitionBuckets(index: number, count: number): number[] {
  return Array.from({ length: PARTITION_BUCKETS }, (_, b) => b).filter((b) => b % count === index);
}

const notIndexed: estypes.MappingProperty = { type: 'object', enabled: false };

/** The jobs index: searched by status, task and time; the nested details are stored, not indexed. */
export const JOBS_MAPPING: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    task: { type: 'keyword' },
    status: { type: 'keyword' },
    params: notIndexed,
    progress: notIndexed,
    rate_per_s: { type: 'float', index: false },
    eta_s: { type: 'float', index: false },
    created_at: { type: 'date' },
    started_at: { type: 'date' },
    resumed_at: { type: 'date' },
    resumed_done: { type: 'long', index: false },
    updated_at: { type: 'date' },
    finished_at: { type: 'date' },
    cancel_requested: { type: 'boolean' },
    partitions: notIndexed,
    summary: notIndexed,
    error: notIndexed,
  },
};
