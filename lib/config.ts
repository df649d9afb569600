import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { elasticsearchVariables, resolveConnection } from './config-elasticsearch';

/** Whole number from an environment string, with the variable's own bounds. */
const intVar = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

/** `auto` (the default: the model adapter chooses from the machine at start) or an explicit value; auto = 0. */
const autoOr = (explicit: ReturnType<typeof intVar>) =>
  z.union([z.literal('auto').transform(() => 0), explicit]).default(0);

/** Hugging Face's convention for HF_HUB_OFFLINE: 1/true/yes/on, or 0/false/no/off. */
const flagVar = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'], 'must be 1/true/yes/on or 0/false/no/off'))
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
  .default(false);

const EMOTION_MODEL_ID = 'j-hartmann/emotion-english-distilroberta-base';
const STANCE_MODEL_ID = 'TinyLlama/TinyLlama-1.1B-Chat-v1.0';

const schema = z.object({
  ...elasticsearchVariables,
  ES_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,200}$/, 'must be a lowercase Elasticsearch index name')
    .default('tweets'),
  // Every request but bulk writes: a frozen node answers 503 within twice this (one retry), before a read route's
  // 30 s function timeout. Bulk writes of a large ingest may legitimately take longer.
  ES_REQUEST_TIMEOUT_MS: intVar(10_000, 100, 600_000),
  ES_BULK_TIMEOUT_MS: intVar(60_000, 100, 600_000),
  // The tweets index's layout (one node: 1 and 0; three nodes: e.g. 3 and 1). The leases and jobs indices take
  // the same replicas, with one shard each (they hold a few documents).
  ES_SHARDS: intVar(1, 1, 1024),
  ES_REPLICAS: intVar(0, 0, 32),
  DATASET_PATH: z.string().min(1).default('data/sample_tweets.json'),
  MODELS_DIR: z.string().min(1).default('models'),
  EMOTION_MODEL_ID: z.string().min(1).default(EMOTION_MODEL_ID),
  EMOTION_MODEL_DIR: z.string().optional(),
  EMOTION_DTYPE: z.enum(['fp32', 'q8']).default('fp32'),
  EMOTION_BATCH_SIZE: intVar(8, 1, 256),
  EMOTION_THREADS: intVar(0, 0, 256),
  EMOTION_SORT_WINDOW: intVar(64, 1, 10_000),
  EMOTION_BATCH_TOKENS: intVar(0, 0, 1_000_000),
  STANCE_MODEL_ID: z.string().min(1).default(STANCE_MODEL_ID),
  STANCE_MODEL_PATH: z.string().optional(),
  STANCE_PARALLEL: autoOr(intVar(2, 1, 16)),
  STANCE_THREADS: autoOr(intVar(0, 0, 256)),
  STANCE_CONTEXT_SIZE: intVar(1024, 128, 8192),
  STANCE_BATCH_SIZE: intVar(512, 16, 8192),
  DEFAULT_TAG_LIMIT: intVar(100, 1, 100_000),
  // Languages (ISO 639-1, comma-separated) the emotion model is trusted for: it is trained on English only.
  EMOTION_LANGS: z
    .string()
    .transform((v) => [...new Set(v.split(',').map((l) => l.trim().toLowerCase()))].filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^([a-z]{2}|und)$/, 'must be ISO 639-1 codes (or und), comma-separated, e.g. en,es'))
        .min(1, 'must name at least one language'),
    )
    .default(['en']),
  // A POST /ingest body above this is refused (413). API Gateway's own limit is 6 MB (base64 adds a third to gzip);
  // serverless-offline's is 10 MiB.
  UPLOAD_MAX_BYTES: intVar(4 * 1024 * 1024, 1, 10 * 1024 * 1024),
  // Most rows of one CSV/NDJSON answer of GET /tweets (a Lambda answer is at most 6 MB); npm run export has no cap.
  EXPORT_MAX_ROWS: intVar(10_000, 1, 100_000),
  // The model step's hub, as Hugging Face's own tools read these variables.
  HF_ENDPOINT: z.url('must be a URL such as https://huggingface.co').default('https://huggingface.co'),
  HF_TOKEN: z.string().optional(),
  HF_HOME: z.string().optional(),
  HF_HUB_OFFLINE: flagVar,
  PYTHON: z.string().min(1).default('python3'),
  // Jobs: one worker invocation works this long, then re-invokes itself; a job silent this long reads `stalled`.
  JOB_SLICE_MS: intVar(60_000, 100, 600_000),
  JOB_STALL_MS: intVar(180_000, 500, 3_600_000),
  // The Lambda Invoke API: serverless-offline's lambda port locally; LAMBDA_ENDPOINT=aws uses AWS's own.
  LAMBDA_PORT: intVar(3002, 1, 65_535),
  LAMBDA_ENDPOINT: z.union([z.literal('aws'), z.url('must be a URL or "aws"')]).optional(),
  JOB_WORKER_FUNCTION: z.string().min(1).default('political-tweets-etl-local-jobWorker'),
  API_URL: z.url('must be a URL such as http://127.0.0.1:3000').optional(),
  PORT: intVar(3000, 1, 65_535),
  // When set, every route but /health and the page shells needs it (Authorization: Bearer, or x-api-key).
  API_KEY: z.string().min(8, 'must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

/** Every variable the configuration reads: .env.example documents each (a unit test holds it to that). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export type Config = ReturnType<typeof resolve>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}. See .env.example.`);
    this.name = 'ConfigError';
  }
}

/**
 * Relative paths are the project's. `sls invoke local` runs handlers from serverless-esbuild's build
 * folder (`<project>/.esbuild/.build`), so the working directory is not always the project.
 */
export function projectRoot(cwd = process.cwd()): string {
  const parts = cwd.split(path.sep);
  const build = parts.indexOf('.esbuild');
  return build > 0 ? parts.slice(0, build).join(path.sep) : cwd;
}

function resolve(raw: z.infer<typeof schema>) {
  const root = projectRoot();
  const abs = (p: string) => path.resolve(root, p);
  const modelsDir = abs(raw.MODELS_DIR);
  const { connection, problems } = resolveConnection(raw, root);
  if (!connection) throw new ConfigError(problems);
  return {
    es: {
      ...connection,
      index: raw.ES_INDEX,
      requestTimeoutMs: raw.ES_REQUEST_TIMEOUT_MS,
      bulkTimeoutMs: raw.ES_BULK_TIMEOUT_MS,
      shards: raw.ES_SHARDS,
      replicas: raw.ES_REPLICAS,
    },
    datasetPath: abs(raw.DATASET_PATH),
    modelsDir,
    emotion: {
      modelId: raw.EMOTION_MODEL_ID,
      dir: abs(raw.EMOTION_MODEL_DIR ?? path.join(modelsDir, raw.EMOTION_MODEL_ID)),
      dtype: raw.EMOTION_DTYPE,
      batchSize: raw.EMOTION_BATCH_SIZE,
      threads: raw.EMOTION_THREADS,
      sortWindow: raw.EMOTION_SORT_WINDOW,
      batchTokens: raw.EMOTION_BATCH_TOKENS,
    },
    stance: {
      modelId: raw.STANCE_MODEL_ID,
      path: abs(raw.STANCE_MODEL_PATH ?? path.join(modelsDir, 'TinyLlama', 'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf')),
      /** 0 = auto: chosen from the machine's cores when the model loads. */
      parallel: raw.STANCE_PARALLEL,
      threads: raw.STANCE_THREADS,
      contextSize: raw.STANCE_CONTEXT_SIZE,
      batchSize: raw.STANCE_BATCH_SIZE,
    },
    hub: {
      endpoint: raw.HF_ENDPOINT.replace(/\/+$/, ''),
      token: raw.HF_TOKEN,
      // Where Hugging Face tools keep their login (`<HF_HOME>/token`), used when HF_TOKEN is unset.
      home: path.resolve(root, raw.HF_HOME ?? path.join(os.homedir(), '.cache', 'huggingface')),
      offline: raw.HF_HUB_OFFLINE,
    },
    python: raw.PYTHON,
    defaultTagLimit: raw.DEFAULT_TAG_LIMIT,
    emotionLangs: raw.EMOTION_LANGS,
    uploadMaxBytes: raw.UPLOAD_MAX_BYTES,
    exportMaxRows: raw.EXPORT_MAX_ROWS,
    jobs: {
      sliceMs: raw.JOB_SLICE_MS,
      stallMs: raw.JOB_STALL_MS,
      workerFunction: raw.JOB_WORKER_FUNCTION,
      lambdaEndpoint:
        raw.LAMBDA_ENDPOINT === 'aws' ? undefined : (raw.LAMBDA_ENDPOINT ?? `http://127.0.0.1:${raw.LAMBDA_PORT}`),
    },
    apiKey: raw.API_KEY,
    apiUrl: (raw.API_URL ?? `http://127.0.0.1:${raw.PORT}`).replace(/\/+$/, ''),
    logLevel: raw.LOG_LEVEL,
  };
}

/** Parses the environment; every bad variable is named in the error. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  return resolve(parsed.data);
}

let cached: Config | undefined;
/** The process-wide configuration, parsed once on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
