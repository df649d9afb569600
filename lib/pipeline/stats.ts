import { DEFAULT_EMOTION_LANGS, type Stats, type StatsInterval } from '../domain';
import type { TweetFilter, TweetStore } from '../store';

const DAY_MS = 86_400_000;

/** Buckets a chart can show: ≤ 62 days by day, ≤ about a year by week, longer by month. */
export function defaultInterval(fromMs: number, toMs: number): StatsInterval {
  const days = (toMs - fromMs) / DAY_MS;
  return days <= 62 ? 'day' : days <= 366 ? 'week' : 'month';
}

/**
 * GET /stats: one aggregation request. Without an interval, the range picks it; a range left open on either
 * side is closed by the data's own first/last tweet (one small extra request).
 */
export async function computeStats(
  store: TweetStore,
  filter: TweetFilter,
  options: { interval?: StatsInterval; top: number; emotionLangs?: string[] },
): Promise<Stats> {
  let interval = options.interval;
  if (!interval) {
    const open = filter.startMs === undefined || filter.endMs === undefined;
    const extent = open ? await store.dateExtent(filter) : undefined;
    const from = filter.startMs ?? extent?.minMs ?? 0;
    const to = filter.endMs ?? extent?.maxMs ?? from;
    interval = defaultInterval(from, to);
  }
  return store.aggregate({
    ...filter,
    interval,
    top: options.top,
    emotionLangs: options.emotionLangs ?? DEFAULT_EMOTION_LANGS,
  });
}
