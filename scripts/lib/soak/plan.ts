/**
 * The random client's plan: a seeded sequence of valid calls (fast-check generators), one or two per step. Job
 * actions pick "one of the jobs created so far" by a number taken modulo their count when the step runs.
 */
import fc from 'fast-check';
import { EMOTION_LABELS, STANCE_LABELS, TAGGED_FILTERS, TWEET_SORTS, type TweetSort } from '../../../lib/domain';

export type TagTask = 'emotion' | 'stance';

/** The filters of /tweets, /stats and the exports, as query parameters. */
export type Filter = Partial<Record<'start_date' | 'end_date' | 'emotion' | 'stance' | 'tagged', string>> &
  Partial<Record<'q' | 'hashtag' | 'author', string>> & { min_score?: number };

export interface Range {
  start_date?: string;
  end_date?: string;
}

export type Action =
  | { kind: 'ingest'; force: boolean }
  | { kind: 'tag'; task: TagTask; limit: number; force: boolean; async: boolean; inQuery: boolean; range: Range }
  | { kind: 'job'; task: TagTask; limit?: number; partitions: number; force: boolean; range: Range }
  | { kind: 'ingestJob'; force: boolean }
  | { kind: 'cancel'; pick: number }
  | { kind: 'resume'; pick: number }
  | { kind: 'getJob'; pick: number }
  | { kind: 'listJobs'; limit: number }
  | { kind: 'page'; sort: TweetSort; filter: Filter; limit: number; pages: number }
  | { kind: 'scan'; sort: TweetSort; filter: Filter; limit: number }
  | { kind: 'stats'; filter: Filter; top: number }
  | { kind: 'export'; format: 'csv' | 'ndjson'; sort: TweetSort; filter: Filter };

export type Step = Action[];

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2025, 0, 1); // the generated tweets are dated 2025-01-10 … 2025-09-27
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A date range: none, one bound, or both (end on or after start). */
export const rangeArb: fc.Arbitrary<Range> = fc
  .record({ start: fc.integer({ min: 0, max: 280 }), span: fc.integer({ min: 0, max: 200 }), which: fc.nat(3) })
  .map(({ start, span, which }) => {
    const s = isoDay(FIRST_DAY + start * DAY_MS);
    const e = isoDay(FIRST_DAY + (start + span) * DAY_MS);
    return [{}, { start_date: s }, { end_date: e }, { start_date: s, end_date: e }][which]!;
  });

const WORDS = ['tax', 'vote', 'budget', 'senate', 'climate', 'jobs', 'café', 'really', 'reform healthcare'];
const HASHTAGS = ['#TaxReform', 'election2024', '#HEALTHCARE', 'Climate', '#Jobs', '#Nothing'];

/** Filters that do not depend on tags: their matches stay put while tagging runs, so counts compare mid-run. */
export const stableFilterArb: fc.Arbitrary<Filter> = fc
  .record(
    {
      range: rangeArb,
      q: fc.constantFrom(...WORDS),
      hashtag: fc.constantFrom(...HASHTAGS),
      author: fc.integer({ min: 0, max: 60 }).chain((n) => fc.constantFrom(`user${n}`, `@user${n}`, `USER${n}`)),
    },
    { requiredKeys: [] },
  )
  .map(({ range, ...rest }) => ({ ...range, ...rest }));

const tagFilterArb = fc.record(
  {
    emotion: fc.constantFrom(...EMOTION_LABELS),
    stance: fc.constantFrom(...STANCE_LABELS),
    tagged: fc.constantFrom(...TAGGED_FILTERS),
    min_score: fc.double({ min: 0, max: 1, noNaN: true }).map((v) => Math.round(v * 100) / 100),
  },
  { requiredKeys: [] },
);

/** Any filter: the stable ones plus labels, tagged, and min_score (only with a label, as the API requires). */
export const filterArb: fc.Arbitrary<Filter> = fc
  .tuple(stableFilterArb, fc.oneof(fc.constant({}), tagFilterArb))
  .map(([stable, tags]) => {
    const filter: Filter = { ...stable, ...tags };
    if (filter.min_score !== undefined && !filter.emotion && !filter.stance) delete filter.min_score;
    return filter;
  });

const sortArb = fc.constantFrom(...TWEET_SORTS);
const taskArb = fc.constantFrom<TagTask>('emotion', 'stance');
/**
 * Emotion: mostly small limits, some past the first selection page (256), where the crash lived. Stance
 * (a generative model, far slower per tweet) keeps to small ones, so a synchronous call stays short.
 */
const limitArb = (task: TagTask) =>
  task === 'stance'
    ? fc.integer({ min: 1, max: 30 })
    : fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 60 }) },
        { weight: 2, arbitrary: fc.integer({ min: 200, max: 700 }) },
      );

const jobArb = taskArb
  .chain((task) =>
    fc.record({
      task: fc.constant(task),
      limit: fc.option(limitArb(task), { freq: 8 }),
      partitions: fc.integer({ min: 1, max: 4 }),
      force: fc.boolean(),
      range: rangeArb,
    }),
  )
  .map(({ limit, partitions, ...rest }) => ({
    kind: 'job' as const,
    ...rest,
    partitions: limit === null ? partitions : Math.min(partitions, limit),
    ...(limit === null ? {} : { limit }),
  }));

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ingest' as const), force: fc.boolean() }) },
  {
    weight: 5,
    arbitrary: taskArb.chain((task) =>
      fc.record({
        kind: fc.constant('tag' as const),
        task: fc.constant(task),
        limit: limitArb(task),
        force: fc.boolean(),
        async: fc.boolean(),
        inQuery: fc.boolean(),
        range: rangeArb,
      }),
    ),
  },
  { weight: 3, arbitrary: jobArb },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ingestJob' as const), force: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resume' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('getJob' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('listJobs' as const), limit: fc.integer({ min: 1, max: 100 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('page' as const),
      sort: sortArb,
      filter: filterArb,
      limit: fc.integer({ min: 1, max: 300 }),
      pages: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('scan' as const),
      sort: sortArb,
      filter: stableFilterArb,
      limit: fc.integer({ min: 200, max: 1000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('stats' as const),
      filter: filterArb,
      top: fc.integer({ min: 1, max: 50 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('export' as const),
      format: fc.constantFrom<'csv' | 'ndjson'>('csv', 'ndjson'),
      sort: sortArb,
      filter: filterArb,
    }),
  },
);

/** One call, or two sent at once (about a third of the steps). */
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: actionArb.map((a) => [a]) },
  { weight: 1, arbitrary: fc.tuple(actionArb, actionArb) },
);

/** The plan for a seed: the same seed gives the same calls (their answers depend on timing). */
export function planFor(seed: number, steps: number): Step[] {
  return fc.sample(fc.array(stepArb, { minLength: steps, maxLength: steps }), { seed, numRuns: 1 })[0]!;
}
