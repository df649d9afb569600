import type { estypes } from '@elastic/elasticsearch';
import { EMOTION_LABELS, STANCE_LABELS, type Stats } from '../domain';
import { tweetFilters } from './queries';
import type { StatsQuery } from './types';

/**
 * GET /stats as one Elasticsearch request, and its answer as the domain's Stats. Only aggregations of the
 * server core (terms, filters, avg, date_histogram): the integ-test-zip build has no aggregations module.
 */

type Aggs = Record<string, estypes.AggregationsAggregationContainer>;
const has = (field: string): estypes.QueryDslQueryContainer => ({ exists: { field } });
const terms = (field: string, size: number, aggs?: Aggs) => ({ terms: { field, size }, ...(aggs ? { aggs } : {}) });

function labelAggs(task: 'emotion' | 'stance', top: number): Aggs {
  const size = task === 'emotion' ? EMOTION_LABELS.length : STANCE_LABELS.length;
  const sub: Aggs = { mean: { avg: { field: `${task}.score` } }, hashtags: terms('hashtags', top) };
  if (task === 'emotion') sub.stance = terms('stance.label', STANCE_LABELS.length);
  return { [task]: terms(`${task}.label`, size, sub) };
}

function modelAggs(): Aggs {
  return {
    emotion_models: terms('emotion.model', 20, { revision: terms('emotion.revision', 20) }),
    stance_models: terms('stance.model', 20, {
      revision: terms('stance.revision', 20, { prompt: terms('stance.prompt_version', 20) }),
    }),
  };
}

function languageAggs(trusted: string[]): Aggs {
  return {
    // Tweets ingested before detection have no `lang`: counted as "none", so the split adds up to the total.
    languages: { terms: { field: 'lang', size: 200, missing: 'none' } },
    sources: terms('source', 50),
    untagged_other_language: {
      filter: {
        bool: { filter: [has('lang')], must_not: [has('emotion.label'), { terms: { lang: trusted } }] },
      },
    },
  };
}

export function statsRequest(q: StatsQuery): estypes.SearchRequest {
  return {
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: tweetFilters(q) } },
    aggs: {
      tagged: {
        filters: {
          filters: {
            emotion: has('emotion.label'),
            stance: has('stance.label'),
            both: { bool: { filter: [has('emotion.label'), has('stance.label')] } },
          },
        },
      },
      ...labelAggs('emotion', q.top),
      ...labelAggs('stance', q.top),
      timeline: {
        date_histogram: { field: 'created_at', calendar_interval: q.interval, min_doc_count: 0 },
        aggs: {
          emotion: terms('emotion.label', EMOTION_LABELS.length),
          stance: terms('stance.label', STANCE_LABELS.length),
        },
      },
      hashtags: terms('hashtags', q.top),
      authors: terms('author.username', q.top),
      ...languageAggs(q.emotionLangs),
      ...modelAggs(),
    },
  };
}

interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  [sub: string]: unknown;
}
type Terms = { buckets: Bucket[] };
const bucketsOf = (agg: unknown): Bucket[] => (agg as Terms | undefined)?.buckets ?? [];
const keyCounts = (agg: unknown) => bucketsOf(agg).map((b) => ({ key: String(b.key), count: b.doc_count }));

/** Every label present, 0 when no tweet has it. */
function countsOf<L extends string>(labels: readonly L[], agg: unknown): Record<L, number> {
  const found = new Map(bucketsOf(agg).map((b) => [String(b.key), b.doc_count]));
  return Object.fromEntries(labels.map((l) => [l, found.get(l) ?? 0])) as Record<L, number>;
}

function perLabel<L extends string, V>(
  labels: readonly L[],
  agg: unknown,
  pick: (b: Bucket | undefined) => V,
): Record<L, V> {
  const found = new Map(bucketsOf(agg).map((b) => [String(b.key), b]));
  return Object.fromEntries(labels.map((l) => [l, pick(found.get(l))])) as Record<L, V>;
}

const mean = (b: Bucket | undefined) => {
  const value = (b?.mean as { value: number | null } | undefined)?.value ?? null;
  return value === null ? null : Math.round(value * 10_000) / 10_000;
};

function models(a: Record<string, unknown>): Stats['models'] {
  const emotion = bucketsOf(a.emotion_models).flatMap((m) =>
    bucketsOf(m.revision).map((r) => ({ model: String(m.key), revision: String(r.key), count: r.doc_count })),
  );
  const stance = bucketsOf(a.stance_models).flatMap((m) =>
    bucketsOf(m.revision).flatMap((r) =>
      bucketsOf(r.prompt).map((p) => ({
        model: String(m.key),
        revision: String(r.key),
        prompt_version: String(p.key),
        count: p.doc_count,
      })),
    ),
  );
  return { emotion, stance };
}

export function parseStats(q: StatsQuery, response: estypes.SearchResponse): Stats {
  const a = (response.aggregations ?? {}) as Record<string, unknown>;
  const total = response.hits.total;
  const tagged = (a.tagged as { buckets?: Record<string, { doc_count: number }> } | undefined)?.buckets ?? {};
  return {
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    tagged: {
      emotion: tagged.emotion?.doc_count ?? 0,
      stance: tagged.stance?.doc_count ?? 0,
      both: tagged.both?.doc_count ?? 0,
    },
    emotion: countsOf(EMOTION_LABELS, a.emotion),
    stance: countsOf(STANCE_LABELS, a.stance),
    matrix: perLabel(EMOTION_LABELS, a.emotion, (b) => countsOf(STANCE_LABELS, b?.stance)),
    timeline: {
      interval: q.interval,
      buckets: bucketsOf(a.timeline).map((b) => ({
        start: new Date(Number(b.key)).toISOString(),
        total: b.doc_count,
        emotion: countsOf(EMOTION_LABELS, b.emotion),
        stance: countsOf(STANCE_LABELS, b.stance),
      })),
    },
    hashtags: {
      top: keyCounts(a.hashtags),
      by_emotion: perLabel(EMOTION_LABELS, a.emotion, (b) => keyCounts(b?.hashtags)),
      by_stance: perLabel(STANCE_LABELS, a.stance, (b) => keyCounts(b?.hashtags)),
    },
    authors: keyCounts(a.authors),
    languages: keyCounts(a.languages),
    sources: keyCounts(a.sources),
    emotion_languages: {
      trusted: q.emotionLangs,
      untagged_other_language: (a.untagged_other_language as { doc_count?: number } | undefined)?.doc_count ?? 0,
    },
    mean_score: { emotion: perLabel(EMOTION_LABELS, a.emotion, mean), stance: perLabel(STANCE_LABELS, a.stance, mean) },
    models: models(a),
    took_ms: response.took,
  };
}
