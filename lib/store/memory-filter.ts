import { EMOTION_LABELS, STANCE_LABELS, type Stats, type TweetDocument, type TweetSort } from '../domain';
import type { CursorValues } from './cursor';
import type { StatsQuery, TweetFilter } from './types';

/** The in-memory store's versions of the /tweets filters, sorts and /stats: simple, for unit tests. */

const ms = (d: { created_at: string }) => Date.parse(d.created_at);
const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();
const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function scoreOk(d: TweetDocument, f: TweetFilter): boolean {
  const min = f.minScore;
  if (min === undefined) return true;
  if (!f.emotion && !f.stance) {
    // No label filter: every tag the tweet has must reach it; an untagged tweet has nothing to reach it with.
    return (!!d.emotion || !!d.stance) && (d.emotion?.score ?? 1) >= min && (d.stance?.score ?? 1) >= min;
  }
  return (!f.emotion || (d.emotion?.score ?? -1) >= min) && (!f.stance || (d.stance?.score ?? -1) >= min);
}

function taggedOk(d: TweetDocument, f: TweetFilter): boolean {
  if (!f.tagged) return true;
  if (f.tagged === 'both') return !!d.emotion && !!d.stance;
  if (f.tagged === 'none') return !d.emotion && !d.stance;
  return !!d[f.tagged];
}

export function matchesFilter(d: TweetDocument, f: TweetFilter): boolean {
  const t = ms(d);
  const content = new Set(words(d.content));
  return (
    (f.startMs === undefined || t >= f.startMs) &&
    (f.endMs === undefined || t <= f.endMs) &&
    (!f.emotion || d.emotion?.label === f.emotion) &&
    (!f.stance || d.stance?.label === f.stance) &&
    taggedOk(d, f) &&
    (!f.text || words(f.text).every((w) => content.has(w))) &&
    (!f.hashtag || d.hashtags.some((h) => lower(h) === lower(f.hashtag))) &&
    (!f.author || lower(d.author.username) === lower(f.author) || lower(d.author.handle) === `@${lower(f.author)}`) &&
    (!f.source || d.source === f.source) &&
    (!f.lang || d.lang === f.lang) &&
    scoreOk(d, f)
  );
}

/** The sort values Elasticsearch would return for this document under this sort. */
export function sortKey(d: TweetDocument, sort: TweetSort): CursorValues {
  if (sort === 'likes' || sort === 'retweets') return [d.metrics[sort], ms(d), d.id];
  return [ms(d), d.id];
}

export function compareForSort(sort: TweetSort) {
  const sign = sort === 'oldest' ? 1 : -1;
  return (a: TweetDocument, b: TweetDocument) => {
    const [x, y] = [sortKey(a, sort), sortKey(b, sort)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i]! < y[i]! ? -1 : 1) * sign;
    return 0;
  };
}

const countBy = <L extends string>(labels: readonly L[], values: Array<string | undefined>) =>
  Object.fromEntries(labels.map((l) => [l, values.filter((v) => v === l).length])) as Record<L, number>;

/** Most first, then by key (Elasticsearch's terms order). */
function keyCountsOf(values: string[]) {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Counts only; the timeline, top lists and provenance stay empty in memory. */
export function memoryStats(docs: TweetDocument[], q: StatsQuery): Stats {
  const e = docs.map((d) => d.emotion?.label);
  const s = docs.map((d) => d.stance?.label);
  return {
    total: docs.length,
    tagged: {
      emotion: e.filter(Boolean).length,
      stance: s.filter(Boolean).length,
      both: docs.filter((d) => d.emotion && d.stance).length,
    },
    emotion: countBy(EMOTION_LABELS, e),
    stance: countBy(STANCE_LABELS, s),
    matrix: Object.fromEntries(
      EMOTION_LABELS.map((l) => [
        l,
        countBy(
          STANCE_LABELS,
          docs.filter((d) => d.emotion?.label === l).map((d) => d.stance?.label),
        ),
      ]),
    ) as Stats['matrix'],
    timeline: { interval: q.interval, buckets: [] },
    hashtags: {
      top: [],
      by_emotion: Object.fromEntries(EMOTION_LABELS.map((l) => [l, []])) as unknown as Stats['hashtags']['by_emotion'],
      by_stance: Object.fromEntries(STANCE_LABELS.map((l) => [l, []])) as unknown as Stats['hashtags']['by_stance'],
    },
    authors: [],
    languages: keyCountsOf(docs.map((d) => d.lang ?? 'none')),
    sources: keyCountsOf(docs.flatMap((d) => (d.source ? [d.source] : []))).slice(0, 50),
    emotion_languages: {
      trusted: q.emotionLangs,
      untagged_other_language: docs.filter((d) => !d.emotion && d.lang && !q.emotionLangs.includes(d.lang)).length,
    },
    mean_score: {
      emotion: Object.fromEntries(EMOTION_LABELS.map((l) => [l, null])) as Stats['mean_score']['emotion'],
      stance: Object.fromEntries(STANCE_LABELS.map((l) => [l, null])) as Stats['mean_score']['stance'],
    },
    models: { emotion: [], stance: [] },
    took_ms: 0,
  };
}
