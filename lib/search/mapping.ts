import type { estypes } from '@elastic/elasticsearch';

export const EMOTION_LABELS = ['anger', 'disgust', 'fear', 'joy', 'neutral', 'sadness', 'surprise'] as const;
export type EmotionLabel = (typeof EMOTION_LABELS)[number];
export const STANCE_LABELS = ['SUPPORT', 'OPPOSE', 'NEUTRAL'] as const;
export type StanceLabel = (typeof STANCE_LABELS)[number];

const scores = (labels: readonly string[]): estypes.MappingProperty => ({
  properties: Object.fromEntries(labels.map((l) => [l, { type: 'float' }])),
});

/** Strict: a document with a field not listed here is rejected instead of silently widening the index. */
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
        classified_at: { type: 'date' },
        inference_ms: { type: 'float' },
      },
    },
  },
};

export const TWEETS_SETTINGS: estypes.IndicesIndexSettings = { number_of_shards: 1, number_of_replicas: 0 };
