import { z, type ZodObject, type ZodType } from 'zod';
import {
  ingestSummarySchema,
  jobListSchema,
  sourceListSchema,
  jobSchema,
  statsSchema,
  tagSummarySchema,
  tweetPageSchema,
} from '../domain';
import { config } from '../config';
import { noSecurity, openApiSecurity } from './auth';

const keyRequired = () => {
  try {
    return !!config().apiKey;
  } catch {
    return false; // a bad configuration is reported by every route that needs it
  }
};
import { ingestQuery, jobCreateInput, jobListQuery, MAX_TAG_LIMIT, statsQuery, tagQuery, tweetsQuery } from './schemas';

/**
 * The spec is generated from the request schemas the middleware validates with and from the domain's response
 * schemas, so neither can drift from the code.
 */

const jsonSchema = (schema: ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest; // the document declares the dialect once (OpenAPI 3.1 = JSON Schema 2020-12)
};
const outputSchema = (schema: ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

/** The object's fields, also under a transform applied to the whole object (tweetsQuery's cursor rule). */
const objectShape = (schema: ZodType): ZodObject['shape'] =>
  schema instanceof z.ZodPipe ? objectShape(schema.in as ZodType) : (schema as unknown as ZodObject).shape;

function queryParameters(schema: ZodType) {
  const shape = objectShape(schema);
  return Object.entries(shape).map(([name, field]) => {
    const { description, ...s } = jsonSchema(field as ZodType);
    const absent = (field as ZodType).safeParse(undefined);
    // A default lives in a transform the JSON Schema can't see: the schema's own answer for "absent" is it.
    const withDefault = absent.success && absent.data !== undefined ? { ...s, default: absent.data } : s;
    // The middleware reads an empty value (`?limit=`, as an HTML form sends it) as "not given": said here, so
    // clients and checkers expect it.
    return { name, in: 'query', required: !absent.success, allowEmptyValue: true, description, schema: withDefault };
  });
}

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional(), request_id: z.string() }),
});

const json = (schema: ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: outputSchema(schema) } },
});
const errors = {
  '400': json(errorBody, 'Bad input: one detail per bad field'),
  '401': json(errorBody, 'API_KEY is set and the request has no key, or the wrong one'),
  '503': json(errorBody, 'Elasticsearch, a model or the dataset is unavailable; details.hint says what to do'),
  '500': json(errorBody, 'A bug; the request_id finds it in the logs'),
};
const busy = json(errorBody, 'Another run of the same work holds its lease; details.running names it');
const badFile = json(errorBody, 'The dataset file is neither a JSON array nor JSON Lines of tweets');

/** A JSON body only (POST /jobs): no query parameters. */
const bodyOnly = (schema: ZodType) => ({
  requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(schema) } } },
});

function withBody(schema: ZodType, method: 'get' | 'post') {
  return {
    parameters: queryParameters(schema),
    ...(method === 'post'
      ? { requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(schema) } } } }
      : {}),
  };
}

function tagOperation(task: 'emotion' | 'stance', method: 'get' | 'post') {
  const what =
    task === 'emotion'
      ? 'emotion (j-hartmann/emotion-english-distilroberta-base, ONNX)'
      : 'stance (TinyLlama-1.1B-Chat GGUF, llama.cpp on CPU)';
  return {
    tags: ['tagging'],
    summary: `Classify the ${what} of the next tweets not tagged yet, and store it`,
    description:
      'Ingests the dataset file first when it changed, then takes up to `limit` tweets in the date range that this model ' +
      'revision has not tagged, oldest first. Calling again continues where the last call stopped; `remaining` says how many are left.',
    ...withBody(tagQuery(MAX_TAG_LIMIT), method),
    responses: {
      '200': json(tagSummarySchema, 'What was classified, and what remains'),
      '202': json(jobSchema, 'With async=true: the job created (Location: /jobs/{id}), as POST /jobs answers'),
      '409': busy,
      '422': badFile,
      ...errors,
    },
  };
}

const jobIdParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const noJob = json(errorBody, 'No job with this id');
const jobAccepted = (description: string) => ({
  description,
  headers: { Location: { description: '/jobs/{id}: where to watch it', schema: { type: 'string' } } },
  content: { 'application/json': { schema: outputSchema(jobSchema) } },
});

/** The job resource: long runs started, watched, cancelled and resumed over HTTP; a worker function does the work. */
const jobPaths = {
  '/jobs': {
    post: {
      tags: ['jobs'],
      summary: 'Start a long tagging (or ingest) run as a job',
      description:
        'Answers 202 at once; a worker function works the job off in slices of JOB_SLICE_MS, recording progress after ' +
        'every batch. One job per task at a time. `partitions: N` splits the tweets into N disjoint slices by a hash ' +
        'of the id, each run by its own worker invocation.',
      ...bodyOnly(jobCreateInput),
      responses: { '202': jobAccepted('The job, queued'), '409': busy, ...errors },
    },
    get: {
      tags: ['jobs'],
      summary: 'Recent jobs, newest first',
      parameters: queryParameters(jobListQuery),
      responses: {
        '200': json(jobListSchema, 'Jobs as they read now (a silent running job reads stalled)'),
        ...errors,
      },
    },
  },
  '/jobs/{id}': {
    get: {
      tags: ['jobs'],
      summary: 'A job: status, progress, rate, ETA, summary or error',
      parameters: [jobIdParameter],
      responses: { '200': json(jobSchema, 'The job'), '404': noJob, ...errors },
    },
  },
  // A POST, not DELETE: the job stays readable after it is cancelled (its summary says what was done).
  '/jobs/{id}/cancel': {
    post: {
      tags: ['jobs'],
      summary: 'Cancel a job: its worker stops after the current batch; what it wrote stays written',
      parameters: [jobIdParameter],
      responses: {
        '200': json(jobSchema, 'Cancelled at once (it had no live worker: queued or stalled)'),
        '202': json(jobSchema, 'Cancel requested: status turns cancelled after the current batch'),
        '404': noJob,
        '409': json(errorBody, 'The job already finished (code job_finished)'),
        ...errors,
      },
    },
  },
  '/jobs/{id}/resume': {
    post: {
      tags: ['jobs'],
      summary: 'Continue a stalled, failed or cancelled job where the index says it is',
      parameters: [jobIdParameter],
      responses: {
        '202': jobAccepted('The job, queued again'),
        '404': noJob,
        '409': json(
          errorBody,
          'The job is live (job_active) or succeeded (job_finished), or another run holds its task (task_busy)',
        ),
        ...errors,
      },
    },
  },
};

export function openApiSpec(serverUrl?: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Political-Tweets ETL',
      version: '0.2.0',
      description:
        'Ingests political tweets into one Elasticsearch index, tags their emotion and stance, and serves them back. ' +
        'Every error is JSON: {"error": {"code", "message", "details", "request_id"}}. A path called with a method it ' +
        'does not list answers 405 with an Allow header; an unknown path 404. An empty query value counts as not given.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    // The schemes always (Swagger UI's Authorize); the requirement only where this server has API_KEY set, so
    // the document describes the server that serves it.
    components: openApiSecurity.components,
    ...(keyRequired() ? { security: openApiSecurity.security } : {}),
    paths: {
      '/ingest': {
        post: {
          tags: ['ingest'],
          summary: 'Load the new and changed sources of DATASET_PATH, one source (path), or an uploaded file',
          description:
            'Every file DATASET_PATH matches (a file, a folder or a glob) is a source: JSON array or JSON Lines, plain or ' +
            'gzip. Sources with the size and mtime of their last complete ingest are not re-read unless force=true. ' +
            'A body that is a tweet file (a JSON array, application/x-ndjson, or gzip by content-encoding or ' +
            'application/gzip) is saved into the dataset folder under a generated name and ingested; at most ' +
            'UPLOAD_MAX_BYTES. Only tweet fields (with source and language) are written: stored tags are kept.',
          parameters: queryParameters(ingestQuery),
          requestBody: {
            required: false,
            content: {
              'application/json': {
                schema: { oneOf: [jsonSchema(ingestQuery), { type: 'array', description: 'A tweet file (upload)' }] },
              },
              'application/x-ndjson': { schema: { type: 'string', description: 'A JSON Lines tweet file (upload)' } },
              'application/gzip': { schema: { type: 'string', format: 'binary' } },
            },
          },
          responses: {
            '200': json(ingestSummarySchema, 'What was read, indexed and skipped, per source and in total'),
            '404': json(errorBody, '`path` names no file in the dataset folder'),
            '409': busy,
            '413': json(errorBody, 'The upload is over UPLOAD_MAX_BYTES; nothing was written'),
            '422': badFile,
            ...errors,
          },
        },
      },
      '/sources': {
        get: {
          tags: ['ingest'],
          summary: "The dataset's sources: fingerprint (size, mtime, sha256) and the outcome of each one's last ingest",
          responses: { '200': json(sourceListSchema, 'Every source ingested so far, by name'), ...errors },
        },
      },
      '/tweets': {
        get: {
          tags: ['read'],
          summary: 'Ingested tweets with their emotion and stance (when tagged), newest first',
          parameters: queryParameters(tweetsQuery),
          responses: {
            '200': {
              description:
                'format=json: a page (next_cursor is null on the last page); csv/ndjson: a file download, one row per tweet',
              content: {
                'application/json': { schema: outputSchema(tweetPageSchema) },
                'text/csv': { schema: { type: 'string' } },
                'application/x-ndjson': { schema: { type: 'string' } },
              },
            },
            ...errors,
          },
        },
      },
      '/emotion': { post: tagOperation('emotion', 'post'), get: tagOperation('emotion', 'get') },
      '/stance': { post: tagOperation('stance', 'post'), get: tagOperation('stance', 'get') },
      ...jobPaths,
      '/health': {
        get: {
          ...noSecurity,
          tags: ['ops'],
          summary:
            'Elasticsearch reachability (the node that answered, the cluster status), index document count, model files present',
          responses: {
            '200': {
              description:
                'Elasticsearch answers (status ok, or degraded when model files are missing or the cluster is red)',
            },
            '503': { description: 'Elasticsearch does not answer, refuses the credentials or fails the TLS handshake' },
          },
        },
      },
      '/openapi.json': {
        get: {
          ...noSecurity,
          tags: ['ops'],
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1' } },
        },
      },
      '/docs': {
        get: {
          ...noSecurity,
          tags: ['ops'],
          summary: 'Interactive API docs (Swagger UI)',
          responses: { '200': { description: 'HTML' } },
        },
      },
      '/stats': {
        get: {
          tags: ['read'],
          summary: 'Aggregations over the tweets matching the /tweets filters, in one Elasticsearch request',
          parameters: queryParameters(statsQuery),
          responses: {
            '200': json(statsSchema, 'Counts, emotion × stance matrix, timeline, top lists, mean scores, models'),
            ...errors,
          },
        },
      },
      '/': {
        get: {
          ...noSecurity,
          tags: ['ops'],
          summary: 'The dashboard (also at /dashboard)',
          responses: { '200': { description: 'HTML' } },
        },
      },
      '/dashboard': {
        get: { ...noSecurity, tags: ['ops'], summary: 'The dashboard', responses: { '200': { description: 'HTML' } } },
      },
    },
  };
}

/** The methods the document lists for a concrete path (templates like /jobs/{id} match one segment). */
export function allowedMethods(path: string): string[] {
  const paths = openApiSpec().paths as Record<string, Record<string, unknown>>;
  const template = Object.keys(paths).find((t) => new RegExp(`^${t.replace(/\{[^/]+\}/g, '[^/]+')}$`).test(path));
  if (!template) return [];
  return Object.keys(paths[template]!).map((m) => m.toUpperCase());
}
