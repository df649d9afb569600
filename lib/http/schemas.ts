import { z } from 'zod';
import {
  EMOTION_LABELS,
  EXPORT_FORMATS,
  JOB_TASKS,
  MAX_JOB_PARTITIONS,
  STANCE_LABELS,
  STATS_INTERVALS,
  TAGGED_FILTERS,
  TWEET_SORTS,
  type TweetSort,
} from '../domain';
import { CURSOR_PATTERN, decodeCursor } from '../store/cursor';
import { boolParam, endDateParam, intParam, labelParam, scoreParam, startDateParam } from './params';

/** The request schemas: the middleware validates with them and the OpenAPI spec is generated from them. */

const cursorParam = () =>
  z
    .string()
    .transform((v, ctx) => {
      const decoded = decodeCursor(v);
      if (!decoded) {
        ctx.addIssue({
          code: 'custom',
          message: 'is not a cursor returned by this API (use next_cursor from the previous page)',
        });
        return z.NEVER;
      }
      return decoded;
    })
    .meta({ pattern: CURSOR_PATTERN });

const oneOf = <L extends readonly [string, ...string[]]>(values: L) =>
  z.enum(values, { message: `must be one of ${values.join(', ')}` });

/** A search text or name: trimmed, 1–200 characters. */
const textParam = (strip = '') =>
  z
    .string()
    .transform((v) => v.trim().replace(new RegExp(`^${strip}`), ''))
    .pipe(z.string().min(1, { message: 'must not be empty' }).max(200, { message: 'must be at most 200 characters' }));

/** The filters /tweets, /stats and the export share (lib/store/queries.ts tweetFilters applies them). */
export const filterFields = {
  start_date: startDateParam()
    .optional()
    .describe('Inclusive lower bound on created_at: YYYY-MM-DD or ISO-8601 date-time (UTC when no zone).'),
  end_date: endDateParam().optional().describe('Inclusive upper bound on created_at; a date covers the whole day.'),
  emotion: labelParam(EMOTION_LABELS, false).optional().describe('Only tweets with this emotion label.'),
  stance: labelParam(STANCE_LABELS, true).optional().describe('Only tweets with this stance label.'),
  tagged: oneOf(TAGGED_FILTERS)
    .optional()
    .describe('Only tweets tagged with emotion, stance, both, or none (not tagged yet).'),
  q: textParam().optional().describe('Full-text search on the content: every word must match (standard analyzer).'),
  hashtag: textParam()
    .transform((v) => (v.startsWith('#') ? v : `#${v}`))
    .optional()
    .describe('Only tweets with this hashtag, case-insensitive; the leading # is optional.'),
  author: textParam('@')
    .optional()
    .describe('Only tweets of this author: username or handle, case-insensitive, @ optional.'),
  source: textParam().optional().describe('Only tweets last ingested from this source (its name in GET /sources).'),
  lang: z
    .string()
    // The pattern is on the text as sent (any case), so the spec says which values are taken.
    .regex(/^\s*([A-Za-z]{2}|[Uu][Nn][Dd]|[Nn][Oo][Nn][Ee])\s*$/, {
      message: 'must be an ISO 639-1 code such as en or es, or und',
    })
    .transform((v) => v.trim().toLowerCase())
    .optional()
    .describe('Only tweets in this detected language (ISO 639-1), und (undetermined), or none (not detected).'),
  min_score: scoreParam()
    .optional()
    .describe(
      'Lowest score (0–1) of the label filtered on (emotion and/or stance, each); without a label filter, of every tag the tweet has (untagged tweets are left out).',
    ),
};

/**
 * A cursor carries the sort it was issued for, and the page continues in that sort: a `sort` sent beside it is
 * not applied (there is no position "after" a likes cursor in a date order). Refusing the pair instead would make
 * a request the spec allows a 400, and the spec cannot state a rule between two parameters.
 */
const cursorSortWins = <V extends { cursor?: { sort: TweetSort }; sort: TweetSort }>(v: V): V =>
  v.cursor ? { ...v, sort: v.cursor.sort } : v;

const tweetSort = () =>
  oneOf(TWEET_SORTS)
    .default('newest')
    .describe('newest (default) or oldest by created_at; likes or retweets, most first.');

export const tweetsQuery = z
  .object({
    limit: intParam(1, 1000)
      .default(20)
      .describe('Page size, 1–1000 (JSON only; an export holds every matching tweet).'),
    cursor: cursorParam()
      .optional()
      .describe(
        'next_cursor from the previous page; the page continues in the sort the cursor was issued for (`sort` is then not applied). With format=csv|ndjson the file starts after it.',
      ),
    ...filterFields,
    sort: tweetSort(),
    format: oneOf(EXPORT_FORMATS)
      .default('json')
      .describe(
        'json: a page. csv or ndjson: a file download of every matching tweet (labels and scores flattened), at most EXPORT_MAX_ROWS (default 10,000); larger: narrow the filters or use npm run export.',
      ),
  })
  .strict()
  .transform(cursorSortWins);
export type TweetsInput = z.output<typeof tweetsQuery>;

export const statsQuery = z
  .object({
    ...filterFields,
    interval: oneOf(STATS_INTERVALS)
      .optional()
      .describe(
        'Timeline bucket: day, week or month; default picked from the date range (≤ 62 days: day, ≤ 1 year: week, else month).',
      ),
    top: intParam(1, 50).default(10).describe('Length of the top hashtag and author lists, 1–50.'),
  })
  .strict();
export type StatsInput = z.output<typeof statsQuery>;

/** `npm run export`: the filters and sort of GET /tweets, any size, streamed to a file. */
export const exportQuery = z
  .object({ ...filterFields, sort: tweetSort(), format: oneOf(['csv', 'ndjson'] as const).default('csv') })
  .strict();

/** Upper bound of `limit` for one synchronous /emotion or /stance call; longer runs are jobs. */
export const MAX_TAG_LIMIT = 10_000;

export const tagQuery = (maxLimit: number = MAX_TAG_LIMIT) =>
  z
    .object({
      limit: intParam(1, maxLimit)
        .optional()
        .describe(
          `How many not-yet-tagged tweets this call classifies, 1–${maxLimit} (default DEFAULT_TAG_LIMIT, 100).`,
        ),
      start_date: startDateParam().optional().describe('Inclusive lower bound on created_at.'),
      end_date: endDateParam().optional().describe('Inclusive upper bound on created_at; a date covers the whole day.'),
      force: boolParam()
        .default(false)
        .describe('Re-tag tweets already tagged (by any model revision), stalest tag first.'),
      async: boolParam()
        .default(false)
        .describe('Run as a job instead: answers 202 with Location: /jobs/{id} at once (see POST /jobs).'),
    })
    .strict();

export type TagInput = z.output<ReturnType<typeof tagQuery>>;

/**
 * Segments joined by `/` (or `\\`), none empty and none `..`: not absolute, and never above the folder it is
 * read from. Plain classes, no lookahead, no escapes beyond `\\`, so spec-driven clients can generate values from
 * it. (A name with NUL is simply no file: 404.)
 */
const SEGMENT = String.raw`(?:\.|\.\.[^/\\]+|\.?[^./\\][^/\\]*)`;
const RELATIVE_INSIDE = new RegExp(String.raw`^${SEGMENT}(?:[/\\]${SEGMENT})*$`);

export const ingestQuery = z
  .object({
    force: boolParam().default(false).describe('Re-read the sources even when unchanged since their last ingest.'),
    path: z
      .string()
      .min(1, { message: 'must not be empty' })
      .max(1024, { message: 'must be at most 1024 characters' })
      // Relative, with no `..` segment: the spec itself says a path outside the folder is not a value.
      .regex(RELATIVE_INSIDE, { message: 'must be a path relative to the dataset folder, without .. segments' })
      .optional()
      .describe('Ingest this one source only: a file of the dataset folder, by its path relative to the folder.'),
  })
  .strict();

/** Upper bound of a job's `limit`; a job without one tags every tweet in the range not tagged yet. */
export const MAX_JOB_LIMIT = 100_000_000;

const jobFields = {
  limit: intParam(1, MAX_JOB_LIMIT)
    .optional()
    .describe(`Tweets to classify at most, 1–${MAX_JOB_LIMIT} (default: every tweet in the range not tagged yet).`),
  start_date: startDateParam().optional().describe('Inclusive lower bound on created_at.'),
  end_date: endDateParam().optional().describe('Inclusive upper bound on created_at; a date covers the whole day.'),
  force: boolParam().default(false).describe('Re-tag tweets tagged before the job.'),
  partitions: intParam(1, MAX_JOB_PARTITIONS)
    .default(1)
    .describe(
      `Split into N disjoint slices by a hash of the id, each run by its own worker, 1–${MAX_JOB_PARTITIONS} (at most limit: more would idle).`,
    ),
};
const TAG_JOB_TASKS = JOB_TASKS.filter((t) => t !== 'ingest') as ['emotion', 'stance'];

/**
 * POST /jobs, a JSON body. Ingest jobs take `force` only: the file is read whole, there is no range or limit. Two
 * shapes told apart by `task`, so the spec says exactly which fields each takes.
 */
export const jobCreateInput = z.discriminatedUnion(
  'task',
  [
    z
      .object({
        task: z.enum(TAG_JOB_TASKS).describe('What the job runs: tag emotion or stance.'),
        ...jobFields,
      })
      .strict(),
    z
      .object({
        task: z.literal('ingest').describe('What the job runs: load the dataset file.'),
        force: boolParam().default(false).describe('Re-read an unchanged file.'),
      })
      .strict(),
  ],
  { error: `must be one of ${JOB_TASKS.join(', ')}` },
);
export type JobCreateInput = z.output<typeof jobCreateInput>;

export const jobListQuery = z
  .object({ limit: intParam(1, 100).default(20).describe('How many of the most recent jobs, 1–100.') })
  .strict();
