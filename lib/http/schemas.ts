import { z } from 'zod';
import { EMOTION_LABELS, JOB_TASKS, MAX_JOB_PARTITIONS, STANCE_LABELS, TAGGED_FILTERS } from '../domain';
import { decodeCursor } from '../store/cursor';
import { boolParam, checkDateOrder, endDateParam, intParam, labelParam, startDateParam } from './params';

/** The request schemas: the middleware validates with them and the OpenAPI spec is generated from them. */

const cursorParam = () =>
  z.string().transform((v, ctx) => {
    const decoded = decodeCursor(v);
    if (!decoded) {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor returned by this API (use next_cursor from the previous page)' });
      return z.NEVER;
    }
    return decoded;
  }).meta({ pattern: '^[A-Za-z0-9_-]+$' });

export const tweetsQuery = z
  .object({
    limit: intParam(1, 1000).default(20).describe('Page size, 1–1000.'),
    start_date: startDateParam().optional().describe('Inclusive lower bound on created_at: YYYY-MM-DD or ISO-8601 date-time (UTC when no zone).'),
    end_date: endDateParam().optional().describe('Inclusive upper bound on created_at; a date covers the whole day.'),
    cursor: cursorParam().optional().describe('next_cursor from the previous page.'),
    emotion: labelParam(EMOTION_LABELS, false).optional().describe('Only tweets with this emotion label.'),
    stance: labelParam(STANCE_LABELS, true).optional().describe('Only tweets with this stance label.'),
    tagged: z
      .enum(TAGGED_FILTERS, { message: `must be one of ${TAGGED_FILTERS.join(', ')}` })
      .optional()
      .describe('Only tweets tagged with emotion, stance, both, or none (not tagged yet).'),
  })
  .strict()
  .superRefine(checkDateOrder);

/** Upper bound of `limit` for one synchronous /emotion or /stance call; longer runs are jobs. */
export const MAX_TAG_LIMIT = 10_000;

export const tagQuery = (maxLimit: number = MAX_TAG_LIMIT) =>
  z
    .object({
      limit: intParam(1, maxLimit)
        .optional()
        .describe(`How many not-yet-tagged tweets this call classifies, 1–${maxLimit} (default DEFAULT_TAG_LIMIT, 100).`),
      start_date: startDateParam().optional().describe('Inclusive lower bound on created_at.'),
      end_date: endDateParam().optional().describe('Inclusive upper bound on created_at; a date covers the whole day.'),
      force: boolParam()
        .default(false)
        .describe('Re-tag tweets already tagged (by any model revision), stalest tag first.'),
      async: boolParam()
        .default(false)
        .describe('Run as a job instead: answers 202 with Location: /jobs/{id} at once (see POST /jobs).'),
    })
    .strict()
    .superRefine(checkDateOrder);

export type TagInput = z.output<ReturnType<typeof tagQuery>>;

export const ingestQuery = z
  .object({
    force: boolParam().default(false).describe('Re-read the file even when it is unchanged since the last ingest.'),
  })
  .strict();

/** Upper bound of a job's `limit`; a job without one tags every tweet in the range not tagged yet. */
export const MAX_JOB_LIMIT = 100_000_000;

/** POST /jobs. Ingest jobs take `force` only: the file is read whole, there is no range or limit. */
export const jobCreateInput = z
  .object({
    task: z.enum(JOB_TASKS, { message: `must be one of ${JOB_TASKS.join(', ')}` }).describe('What the job runs.'),
    limit: intParam(1, MAX_JOB_LIMIT)
      .optional()
      .describe(`Tweets to classify at most, 1–${MAX_JOB_LIMIT} (default: every tweet in the range not tagged yet).`),
    start_date: startDateParam().optional().describe('Inclusive lower bound on created_at.'),
    end_date: endDateParam().optional().describe('Inclusive upper bound on created_at; a date covers the whole day.'),
    force: boolParam()
      .default(false)
      .describe('Tagging: re-tag tweets tagged before the job. Ingest: re-read an unchanged file.'),
    partitions: intParam(1, MAX_JOB_PARTITIONS)
      .default(1)
      .describe(
        `Split into N disjoint slices by a hash of the id, each run by its own worker, 1–${MAX_JOB_PARTITIONS}.`,
      ),
  })
  .strict()
  .superRefine(checkDateOrder)
  .superRefine((v, ctx) => {
    if (v.task === 'ingest') {
      for (const field of ['limit', 'start_date', 'end_date'] as const) {
        if (v[field] !== undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'does not apply to an ingest job' });
      }
      if (v.partitions !== 1)
        ctx.addIssue({ code: 'custom', path: ['partitions'], message: 'does not apply to an ingest job' });
    }
    if (typeof v.limit === 'number' && v.limit >= 1 && v.partitions > v.limit) {
      ctx.addIssue({ code: 'custom', path: ['partitions'], message: 'must not exceed limit' });
    }
  });
export type JobCreateInput = z.output<typeof jobCreateInput>;

export const jobListQuery = z
  .object({ limit: intParam(1, 100).default(20).describe('How many of the most recent jobs, 1–100.') })
  .strict();
