import type { TweetFilter } from '../store';
import type { StatsInput, TweetsInput } from './schemas';

/** The validated filter parameters (shared by /tweets, /stats and the export CLI) → the store's filter. */
export function toFilter(q: Omit<StatsInput, 'interval' | 'top'> | Omit<TweetsInput, 'limit'>): TweetFilter {
  return {
    startMs: q.start_date,
    endMs: q.end_date,
    emotion: q.emotion,
    stance: q.stance,
    tagged: q.tagged,
    text: q.q,
    hashtag: q.hashtag,
    author: q.author,
    minScore: q.min_score,
    source: q.source,
    lang: q.lang,
  };
}
