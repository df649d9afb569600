import { z } from 'zod';
import { EMOTION_LABELS, STANCE_LABELS, TAGGED_FILTERS } from '../domain';
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
    })
    .strict()
    .superRefine(checkDateOrder);

export type TagInput = z.output<ReturnType<typeof tagQuery>>;

export const ingestQuery = z
  .object({
    force: boolParam().default(false).describe('Re-read the file even when it is unchanged since the last ingest.'),
  })
  .strict();
