import { z, type ZodObject, type ZodType } from 'zod';
import { MAX_TAG_LIMIT, tagQuery, tweetsQuery } from './schemas';
import { EMOTION_LABELS, STANCE_LABELS } from './search/mapping';

/** The spec is generated from the request schemas the middleware validates with, so the two can't drift. */

const jsonSchema = (schema: ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest; // the document declares the dialect once (OpenAPI 3.1 = JSON Schema 2020-12)
};

function queryParameters(schema: ZodType) {
  const shape = (schema as unknown as ZodObject).shape;
  return Object.entries(shape).map(([name, field]) => {
    const { description, ...s } = jsonSchema(field as ZodType);
    return { name, in: 'query', required: !(field as ZodType).safeParse(undefined).success, description, schema: s };
  });
}

const scores = (labels: readonly string[]) => z.object(Object.fromEntries(labels.map((l) => [l, z.number()])));
const emotionResult = z.object({
  label: z.enum(EMOTION_LABELS),
  score: z.number(),
  scores: scores(EMOTION_LABELS),
  model: z.string(),
  revision: z.string(),
  dtype: z.string(),
  classified_at: z.string(),
  inference_ms: z.number(),
});
const stanceResult = z.object({
  label: z.enum(STANCE_LABELS),
  score: z.number().describe('P(label | prompt), normalised over the three labels'),
  scores: scores(STANCE_LABELS),
  model: z.string(),
  revision: z.string(),
  prompt_version: z.string(),
  method: z.string(),
  classified_at: z.string(),
  inference_ms: z.number(),
});
const tweet = z.object({
  id: z.string().describe('Tweet id as a string: ids exceed 2^53'),
  content: z.string(),
  created_at: z.string(),
  author: z.object({ username: z.string().nullable(), handle: z.string().nullable(), verified: z.boolean() }),
  hashtags: z.array(z.string()),
  metrics: z.object({ retweets: z.number().int(), likes: z.number().int() }),
  emotion: emotionResult.optional(),
  stance: stanceResult.optional(),
});
const tweetPage = z.object({ items: z.array(tweet), total: z.number().int(), next_cursor: z.string().nullable() });
const tagSummary = z.object({
  task: z.enum(['emotion', 'stance']),
  requested: z.number().int(),
  classified: z.number().int(),
  skipped: z.object({ already_classified: z.number().int(), invalid: z.number().int() }),
  failed: z.array(z.object({ id: z.string(), reason: z.string() })),
  invalid_records: z.array(z.object({ position: z.number().int(), id: z.string().optional(), reason: z.string() })),
  labels: z.record(z.string(), z.number().int()),
  model: z.record(z.string(), z.string()),
  timings: z.object({ select_ms: z.number(), load_ms: z.number(), inference_ms: z.number(), write_ms: z.number() }),
  took_ms: z.number(),
});
const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional(), request_id: z.string() }),
});

const json = (schema: ZodType, description: string) => ({ description, content: { 'application/json': { schema: jsonSchema(schema) } } });
const errors = {
  '400': json(errorBody, 'Bad input: one detail per bad field'),
  '503': json(errorBody, 'Elasticsearch, a model or the dataset is unavailable; details.hint says what to do'),
  '500': json(errorBody, 'A bug; the request_id finds it in the logs'),
};

function tagOperation(task: 'emotion' | 'stance', method: 'get' | 'post') {
  const schema = tagQuery(MAX_TAG_LIMIT);
  const what = task === 'emotion' ? 'emotion (j-hartmann/emotion-english-distilroberta-base, ONNX)' : 'stance (TinyLlama-1.1B-Chat GGUF, llama.cpp on CPU)';
  return {
    tags: ['tagging'],
    summary: `Classify the ${what} of tweets from the dataset and store it`,
    description: 'Parameters in the query string, or (POST) in a JSON body. Tweets already classified by the same model revision are skipped unless force=true.',
    parameters: queryParameters(schema),
    ...(method === 'post' ? { requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(schema) } } } } : {}),
    responses: { '200': json(tagSummary, 'What was classified, skipped and failed'), '422': json(errorBody, 'The dataset file is not a JSON array of tweets'), ...errors },
  };
}

export function openApiSpec(serverUrl?: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Political-Tweets ETL',
      version: '0.1.0',
      description: 'Tags political tweets with emotion and stance, stores them in one Elasticsearch index and serves them back.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths: {
      '/tweets': {
        get: {
          tags: ['read'],
          summary: 'Stored tweets with their emotion and stance, newest first',
          parameters: queryParameters(tweetsQuery),
          responses: { '200': json(tweetPage, 'A page; next_cursor is null on the last page'), ...errors },
        },
      },
      '/emotion': { post: tagOperation('emotion', 'post'), get: tagOperation('emotion', 'get') },
      '/stance': { post: tagOperation('stance', 'post'), get: tagOperation('stance', 'get') },
      '/health': {
        get: {
          tags: ['ops'],
          summary: 'Elasticsearch reachability, index document count, model files present',
          responses: { '200': { description: 'Elasticsearch answers (status ok, or degraded when model files are missing)' }, '503': { description: 'Elasticsearch does not answer' } },
        },
      },
      '/openapi.json': { get: { tags: ['ops'], summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
      '/docs': { get: { tags: ['ops'], summary: 'Interactive API docs (Swagger UI)', responses: { '200': { description: 'HTML' } } } },
    },
  };
}
