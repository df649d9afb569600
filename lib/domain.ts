import { z } from 'zod';

/**
 * The domain: labels and every shape the API stores or answers, each defined once as a zod schema.
 * TypeScript types are inferred from them; the OpenAPI document and the mapping test derive from them too.
 * Depends on nothing of the project.
 */

export const EMOTION_LABELS = ['anger', 'disgust', 'fear', 'joy', 'neutral', 'sadness', 'surprise'] as const;
export type EmotionLabel = (typeof EMOTION_LABELS)[number];
export const STANCE_LABELS = ['SUPPORT', 'OPPOSE', 'NEUTRAL'] as const;
export type StanceLabel = (typeof STANCE_LABELS)[number];
export const TASKS = ['emotion', 'stance'] as const;
/** The languages the emotion model (trained on English) is trusted for, unless EMOTION_LANGS says otherwise. */
export const DEFAULT_EMOTION_LANGS = ['en'];
/** ISO 639-2 "undetermined": too little text to tell, or a language the detector does not know. */
export const UNDETERMINED_LANG = 'und';
export type Task = (typeof TASKS)[number];
export const TAGGED_FILTERS = ['emotion', 'stance', 'both', 'none'] as const;
export type TaggedFilter = (typeof TAGGED_FILTERS)[number];

const scoresOf = <L extends readonly [string, ...string[]]>(labels: L) =>
  z.object(Object.fromEntries(labels.map((l) => [l, z.number()])) as { [K in L[number]]: z.ZodNumber });

export const tweetSchema = z.object({
  id: z.string().describe('Tweet id as a string: ids exceed 2^53'),
  content: z.string(),
  created_at: z.string().describe('ISO-8601, UTC, millisecond precision'),
  author: z.object({ username: z.string().nullable(), handle: z.string().nullable(), verified: z.boolean() }),
  hashtags: z.array(z.string()),
  metrics: z.object({ retweets: z.number().int(), likes: z.number().int() }),
  source: z
    .string()
    .optional()
    .describe('The source (file) the tweet was last ingested from, relative to the dataset folder'),
  lang: z.string().optional().describe('Language detected at ingest: ISO 639-1 code, or `und` (undetermined)'),
  lang_score: z.number().optional().describe("The detector's score of `lang`, 0–1 (0 for `und`); not a probability"),
});
export type Tweet = z.infer<typeof tweetSchema>;

export const emotionResultSchema = z.object({
  label: z.enum(EMOTION_LABELS),
  score: z.number(),
  scores: scoresOf(EMOTION_LABELS),
  model: z.string(),
  revision: z.string(),
  dtype: z.string(),
  classified_at: z.string(),
  inference_ms: z.number(),
});
export type EmotionResult = z.infer<typeof emotionResultSchema>;

export const stanceResultSchema = z.object({
  label: z.enum(STANCE_LABELS),
  score: z.number().describe('P(label | prompt), normalised over the three labels'),
  scores: scoresOf(STANCE_LABELS),
  model: z.string(),
  revision: z.string(),
  prompt_version: z.string(),
  method: z.string(),
  raw_output: z.string().optional().describe('Free-text answer, only for generation-based methods'),
  lang: z
    .string()
    .optional()
    .describe("The tweet's language when it was classified: the prompt is English whatever the tweet's language"),
  classified_at: z.string(),
  inference_ms: z.number(),
});
export type StanceResult = z.infer<typeof stanceResultSchema>;

export type ResultOf<T extends Task> = T extends 'emotion' ? EmotionResult : StanceResult;

export const tweetDocumentSchema = tweetSchema.extend({
  emotion: emotionResultSchema.optional(),
  stance: stanceResultSchema.optional(),
});
export type TweetDocument = z.infer<typeof tweetDocumentSchema>;

export const tweetPageSchema = z.object({
  items: z.array(tweetDocumentSchema),
  total: z.number().int(),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
export type TweetPage = z.infer<typeof tweetPageSchema>;

export const invalidRecordSchema = z.object({
  position: z.number().int().describe('0-based record number in the file'),
  id: z.string().optional(),
  reason: z.string(),
});
export type InvalidRecord = z.infer<typeof invalidRecordSchema>;

export const SOURCE_STATUSES = ['complete', 'incomplete', 'failed'] as const;

/** One source (a file of the dataset folder): its fingerprint and the outcome of its last ingest. */
export const sourceSchema = z.object({
  source: z.string().describe("Path relative to the dataset folder: the tweets' `source`"),
  size: z.number().int().describe('Bytes as stored (compressed size for gzip)'),
  mtime: z.string().describe('Modification time at the last ingest, ISO-8601'),
  sha256: z.string().nullable().describe('Of the bytes as stored; null when the last read failed'),
  format: z.enum(['json-array', 'json-lines']).nullable(),
  compressed: z.boolean().nullable(),
  records: z.number().int().describe('Records read (valid and invalid)'),
  indexed: z.number().int().describe('Tweets written to the index by the last ingest'),
  invalid: z.number().int().describe('Records that were not tweets'),
  failed: z.number().int().describe('Tweets the index refused'),
  status: z
    .enum(SOURCE_STATUSES)
    .describe('complete: every tweet written (re-read only when changed); incomplete or failed: re-read next time'),
  error: z.string().nullable().describe('Why the last ingest failed (status failed)'),
  first_ingest_at: z.string(),
  last_ingest_at: z.string(),
});
export type Source = z.infer<typeof sourceSchema>;

export const sourceListSchema = z.object({
  dataset: z.object({ path: z.string().describe('DATASET_PATH: a file, a folder or a glob'), folder: z.string() }),
  items: z.array(sourceSchema),
});
export type SourceList = z.infer<typeof sourceListSchema>;

/** What one ingest call did with one source. */
export const sourceIngestSchema = z.object({
  source: z.string(),
  unchanged: z.boolean().describe('true: same size and mtime as its last complete ingest; not re-read'),
  records: z.number().int(),
  indexed: z.number().int(),
  invalid: z.number().int(),
  failed: z.number().int(),
  error: z.string().optional().describe('The source could not be read as a tweet file; the others went on'),
});
export type SourceIngest = z.infer<typeof sourceIngestSchema>;

export const ingestSummarySchema = z.object({
  file: z.string().describe('What was ingested: DATASET_PATH, or the one source asked for'),
  unchanged: z
    .boolean()
    .describe('true: every source has the size and mtime of its last complete ingest; none re-read'),
  sources: z.array(sourceIngestSchema).describe('One entry per source considered, read or not'),
  format: z.enum(['json-array', 'json-lines']).optional(),
  compressed: z.boolean().optional(),
  records: z
    .number()
    .int()
    .describe('Records in the sources (valid and invalid): read now, or as of their last ingest when unchanged'),
  indexed: z.number().int().describe('Tweets written to the index (new or updated; stored tags are kept)'),
  failed: z.array(z.object({ id: z.string(), reason: z.string() })).describe('Tweets the index refused'),
  invalid: z.object({
    count: z.number().int(),
    first: z.array(invalidRecordSchema).describe('The first 100 invalid records'),
  }),
  timings: z.object({ read_ms: z.number(), write_ms: z.number(), write_wait_ms: z.number() }),
  took_ms: z.number(),
});
export type IngestSummary = z.infer<typeof ingestSummarySchema>;

export const tagSummarySchema = z.object({
  task: z.enum(TASKS),
  requested: z.number().int().describe('The limit of this call'),
  selected: z.number().int().describe('Tweets this call took from the index to classify'),
  classified: z.number().int(),
  failed: z.array(z.object({ id: z.string(), reason: z.string() })),
  remaining: z
    .number()
    .int()
    .describe('Tweets in the date range not yet tagged by this model after the call (skipped languages excluded)'),
  skipped: z
    .object({
      count: z.number().int(),
      by_language: z.record(z.string(), z.number().int()),
    })
    .describe('Emotion: tweets in the range left untagged because of their language (not in EMOTION_LANGS)'),
  labels: z.record(z.string(), z.number().int()),
  model: z.record(z.string(), z.string()),
  ingest: ingestSummarySchema.optional().describe('The ingest this call ran first (unchanged: true when cheap)'),
  timings: z.object({
    ingest_ms: z.number(),
    select_ms: z.number(),
    load_ms: z.number(),
    inference_ms: z.number(),
    write_ms: z.number().describe('Time the bulk writes took (they overlap inference)'),
    write_wait_ms: z.number().describe('Time the run waited for writes'),
  }),
  took_ms: z.number(),
});
export type TagSummary = z.infer<typeof tagSummarySchema>;

export interface TagProgress {
  done: number;
  total: number;
  classified: number;
  failed: number;
}

/** GET /tweets orders: newest/oldest by created_at, likes/retweets most first; the id breaks every tie. */
export const TWEET_SORTS = ['newest', 'oldest', 'likes', 'retweets'] as const;
export type TweetSort = (typeof TWEET_SORTS)[number];
export const EXPORT_FORMATS = ['json', 'csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const STATS_INTERVALS = ['day', 'week', 'month'] as const;
export type StatsInterval = (typeof STATS_INTERVALS)[number];

const countsOf = <L extends readonly [string, ...string[]]>(labels: L) =>
  z.object(Object.fromEntries(labels.map((l) => [l, z.number().int()])) as { [K in L[number]]: z.ZodNumber });
const meansOf = <L extends readonly [string, ...string[]]>(labels: L) =>
  z.object(
    Object.fromEntries(labels.map((l) => [l, z.number().nullable()])) as {
      [K in L[number]]: z.ZodNullable<z.ZodNumber>;
    },
  );
const keyCounts = z.array(z.object({ key: z.string(), count: z.number().int() }));

export const statsSchema = z.object({
  total: z.number().int().describe('Tweets matching the filters'),
  tagged: z.object({ emotion: z.number().int(), stance: z.number().int(), both: z.number().int() }),
  emotion: countsOf(EMOTION_LABELS),
  stance: countsOf(STANCE_LABELS),
  matrix: z
    .object(
      Object.fromEntries(EMOTION_LABELS.map((l) => [l, countsOf(STANCE_LABELS)])) as {
        [K in EmotionLabel]: ReturnType<typeof countsOf<typeof STANCE_LABELS>>;
      },
    )
    .describe('matrix[emotion][stance]: tweets with both labels'),
  timeline: z.object({
    interval: z.enum(STATS_INTERVALS),
    buckets: z.array(
      z.object({
        start: z.string().describe('Bucket start, ISO-8601 UTC (weeks start on Monday)'),
        total: z.number().int(),
        emotion: countsOf(EMOTION_LABELS),
        stance: countsOf(STANCE_LABELS),
      }),
    ),
  }),
  hashtags: z.object({
    top: keyCounts,
    by_emotion: z.record(z.enum(EMOTION_LABELS), keyCounts),
    by_stance: z.record(z.enum(STANCE_LABELS), keyCounts),
  }),
  authors: keyCounts.describe('Top authors by username'),
  languages: keyCounts.describe('Tweets by detected language (`und`: undetermined; `none`: ingested before detection)'),
  sources: keyCounts.describe('Tweets by source (top 50)'),
  emotion_languages: z
    .object({
      trusted: z.array(z.string()).describe('EMOTION_LANGS: the languages the emotion model is trusted for'),
      untagged_other_language: z
        .number()
        .int()
        .describe('Tweets with no emotion because their language is not trusted (they are never tagged)'),
    })
    .describe('Why tweets have no emotion: their language'),
  mean_score: z
    .object({ emotion: meansOf(EMOTION_LABELS), stance: meansOf(STANCE_LABELS) })
    .describe('Mean score of the tweets with each label (null: none); a rough confidence picture'),
  models: z
    .object({
      emotion: z.array(z.object({ model: z.string(), revision: z.string(), count: z.number().int() })),
      stance: z.array(
        z.object({ model: z.string(), revision: z.string(), prompt_version: z.string(), count: z.number().int() }),
      ),
    })
    .describe('Model revisions (and prompt versions) present: more than one means mixed runs'),
  took_ms: z.number().describe('Time Elasticsearch took'),
});
export type Stats = z.infer<typeof statsSchema>;

/* Jobs: long tagging or ingest runs started over HTTP, worked off by a worker function, state in Elasticsearch. */

export const JOB_TASKS = ['emotion', 'stance', 'ingest'] as const;
export type JobTask = (typeof JOB_TASKS)[number];
/** `stalled` is never stored: it is how a `running` (or `queued`) job whose heartbeat stopped reads. */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'stalled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
export const MAX_JOB_PARTITIONS = 16;

export const jobParamsSchema = z.object({
  limit: z.number().int().describe('Tweets the job classifies at most (all partitions together)'),
  start_date: z.string().nullable().describe('Inclusive lower bound on created_at (ISO-8601), or null'),
  end_date: z.string().nullable().describe('Inclusive upper bound on created_at (ISO-8601), or null'),
  force: z.boolean().describe('Re-tag tweets tagged before the job was created'),
  partitions: z.number().int().describe('Disjoint slices by a hash of the id, each run by its own worker'),
});
export type JobParams = z.infer<typeof jobParamsSchema>;

export const jobProgressSchema = z.object({
  done: z.number().int().describe('Tweets processed (classified or failed); ingest: records read'),
  total: z.number().int().describe('Tweets the job has to process, as far as known (grows as partitions start)'),
  classified: z.number().int().describe('Results written; ingest: tweets indexed'),
  skipped: z
    .number()
    .int()
    .describe('Ingest: invalid records; emotion: tweets left untagged because of their language (stance: 0)'),
  skipped_by_language: z
    .record(z.string(), z.number().int())
    .optional()
    .describe('Emotion: the skipped tweets by language'),
  failed: z.number().int().describe('Tweets the model or the index refused'),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobPartSchema = z.object({
  index: z.number().int(),
  status: z.enum(['queued', 'running', 'done']),
  limit: z.number().int().describe("This partition's share of the job's limit"),
  done: z.number().int(),
  total: z.number().int(),
  classified: z.number().int(),
  failed: z.number().int(),
  remaining: z.number().int().nullable().describe('Untagged tweets left in the partition after its last slice'),
  skipped_by_language: z
    .record(z.string(), z.number().int())
    .optional()
    .describe("Emotion: the partition's tweets left untagged because of their language"),
  invocations: z.number().int().describe('Worker invocations this partition took so far'),
});
export type JobPart = z.infer<typeof jobPartSchema>;

export const jobTagSummarySchema = z.object({
  classified: z.number().int(),
  failed_count: z.number().int(),
  failed: z.array(z.object({ id: z.string(), reason: z.string() })).describe('The first 100 failures'),
  labels: z.record(z.string(), z.number().int()),
  model: z.record(z.string(), z.string()),
  remaining: z.number().int().describe('Tweets in the range not tagged by this model when the job ended'),
});
export type JobTagSummary = z.infer<typeof jobTagSummarySchema>;

export const jobSchema = z.object({
  id: z.string(),
  task: z.enum(JOB_TASKS),
  params: jobParamsSchema,
  status: z.enum(JOB_STATUSES),
  progress: jobProgressSchema,
  rate_per_s: z.number().nullable().describe('Tweets per second since the job (re)started'),
  eta_s: z.number().nullable().describe('Seconds left at that rate; null while unknown or not running'),
  created_at: z.string(),
  started_at: z.string().nullable().describe('When a worker first took it'),
  resumed_at: z.string().nullable().describe('When the current run started (the first start, or the last resume)'),
  resumed_done: z.number().int().describe('progress.done when the current run started (for rate_per_s)'),
  updated_at: z.string().describe('Heartbeat: every batch writes it'),
  finished_at: z.string().nullable(),
  cancel_requested: z.boolean(),
  partitions: z.array(jobPartSchema),
  summary: z.union([jobTagSummarySchema, ingestSummarySchema]).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobListSchema = z.object({ items: z.array(jobSchema) });
