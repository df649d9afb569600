import type { estypes } from '@elastic/elasticsearch';
import type { TaggedFilter, TweetSort } from '../domain';
import { partitionBuckets } from './mapping';
import type { ClassificationMarker, TweetFilter, TweetQuery, UntaggedQuery } from './types';

type Query = estypes.QueryDslQueryContainer;

export function dateRange(startMs?: number, endMs?: number): Query[] {
  if (startMs === undefined && endMs === undefined) return [];
  return [{ range: { created_at: { gte: startMs, lte: endMs, format: 'epoch_millis' } } }];
}

const has = (task: string): Query => ({ exists: { field: `${task}.label` } });

function taggedFilter(tagged: TaggedFilter): Query {
  if (tagged === 'both') return { bool: { filter: [has('emotion'), has('stance')] } };
  if (tagged === 'none') return { bool: { must_not: [has('emotion'), has('stance')] } };
  return has(tagged);
}

const caseless = (field: string, value: string): Query => ({ term: { [field]: { value, case_insensitive: true } } });

function authorFilter(author: string): Query {
  return {
    bool: {
      should: [caseless('author.username', author), caseless('author.handle', `@${author}`)],
      minimum_should_match: 1,
    },
  };
}

/**
 * min_score bounds the score of each label filtered on; without a label filter, the score of every tag the tweet
 * has (a tweet with no tag has no score to bound, and is left out).
 */
function minScoreFilters(q: TweetFilter): Query[] {
  if (q.minScore === undefined) return [];
  const atLeast = (task: string): Query => ({ range: { [`${task}.score`]: { gte: q.minScore } } });
  const labelled = [q.emotion ? 'emotion' : undefined, q.stance ? 'stance' : undefined].filter((t): t is string => !!t);
  if (labelled.length) return labelled.map(atLeast);
  const ifTagged = (task: string): Query => ({
    bool: { should: [atLeast(task), { bool: { must_not: [has(task)] } }] },
  });
  return [{ bool: { should: [has('emotion'), has('stance')] } }, ifTagged('emotion'), ifTagged('stance')];
}

/** The filters of GET /tweets, GET /stats and the export. */
export function tweetFilters(q: TweetFilter): Query[] {
  const filter = dateRange(q.startMs, q.endMs);
  if (q.emotion) filter.push({ term: { 'emotion.label': q.emotion } });
  if (q.stance) filter.push({ term: { 'stance.label': q.stance } });
  if (q.tagged) filter.push(taggedFilter(q.tagged));
  // Filter context: the order is the chosen sort, not relevance, so there is no score to compute.
  if (q.text) filter.push({ match: { content: { query: q.text, operator: 'and' } } });
  if (q.hashtag) filter.push(caseless('hashtags', q.hashtag));
  if (q.author) filter.push(authorFilter(q.author));
  if (q.source) filter.push({ term: { source: q.source } });
  if (q.lang) filter.push({ term: { lang: q.lang } });
  filter.push(...minScoreFilters(q));
  return filter;
}

/** A total order per sort: the id breaks every tie, so search_after never skips or repeats a tweet. */
export function tweetSort(sort: TweetSort = 'newest'): estypes.SortCombinations[] {
  if (sort === 'oldest') return [{ created_at: 'asc' }, { id: 'asc' }];
  const byDate: estypes.SortCombinations[] = [{ created_at: 'desc' }, { id: 'desc' }];
  if (sort === 'newest') return byDate;
  return [{ [`metrics.${sort}`]: 'desc' }, ...byDate];
}

/** A document tagged by exactly this model (every marker field matches). */
export function taggedBy(task: string, marker: ClassificationMarker): Query {
  return {
    bool: { filter: Object.entries(marker).map(([field, value]) => ({ term: { [`${task}.${field}`]: value } })) },
  };
}

/**
 * In the range (and partition), and not tagged by this model; forced: not tagged since `forceBefore`, so a
 * forced call never picks up what it (or a concurrent forced call) has just written.
 */
export function untaggedQuery(q: Omit<UntaggedQuery, 'limit' | 'after'>): Query {
  const filter = dateRange(q.startMs, q.endMs);
  if (q.partition) filter.push({ terms: { bucket: partitionBuckets(q.partition.index, q.partition.count) } });
  if (q.langs) filter.push(inLanguages(q.langs));
  const done = q.forceBefore
    ? { range: { [`${q.task}.classified_at`]: { gte: q.forceBefore } } }
    : taggedBy(q.task, q.marker);
  return { bool: { filter, must_not: [done] } };
}

/** In one of these languages, or with none (ingested before detection: tagged as before). */
export function inLanguages(langs: string[]): Query {
  return {
    bool: { should: [{ terms: { lang: langs } }, { bool: { must_not: [{ exists: { field: 'lang' } }] } }] },
  };
}

/** In the range and partition, with a detected language outside `langs`. */
export function otherLanguagesQuery(q: Omit<UntaggedQuery, 'limit' | 'after'> & { langs: string[] }): Query {
  const filter = dateRange(q.startMs, q.endMs);
  if (q.partition) filter.push({ terms: { bucket: partitionBuckets(q.partition.index, q.partition.count) } });
  filter.push({ exists: { field: 'lang' } });
  return { bool: { filter, must_not: [{ terms: { lang: q.langs } }] } };
}

/**
 * A tweet never tagged sorts, in a forced run, as if tagged at this instant (epoch 0): before every real tag. It is
 * a concrete date, so the sort value that comes back round-trips through `search_after`. (`missing: '_first'`
 * returns Long.MIN_VALUE, which a JS number rounds to a value Elasticsearch cannot parse as a date.)
 */
export const NEVER_TAGGED_MS = 0;

/** Oldest tweets first; forced runs take the stalest tags first (never tagged first of all), so repeated forced calls move on. */
export function untaggedSort(q: Pick<UntaggedQuery, 'task' | 'forceBefore'>): estypes.Sort {
  const order: estypes.Sort = [{ created_at: 'asc' }, { id: 'asc' }];
  if (!q.forceBefore) return order;
  return [{ [`${q.task}.classified_at`]: { order: 'asc', missing: NEVER_TAGGED_MS } }, ...order];
}

/** The search body of one page of GET /tweets (the bench sends the same body to Elasticsearch directly). */
export function searchRequest(query: TweetQuery): estypes.SearchRequest {
  return {
    size: query.limit + 1, // one extra hit tells whether another page exists
    track_total_hits: true,
    _source: { excludes: ['bucket'] },
    query: { bool: { filter: tweetFilters(query) } },
    sort: tweetSort(query.sort ?? 'newest'),
    ...(query.after ? { search_after: query.after.values } : {}),
  };
}
