import { config } from '../lib/config';
import { httpHandler } from '../lib/http/handler';
import { toFilter } from '../lib/http/filters';
import { statsQuery } from '../lib/http/schemas';
import { computeStats } from '../lib/pipeline/stats';
import { tweetStore } from '../lib/store';

/** GET /stats — counts, emotion × stance matrix, timeline, top hashtags and authors, mean scores, model provenance. */
export const handler = httpHandler({
  input: statsQuery,
  run: async (q) => {
    const options = { interval: q.interval, top: q.top, emotionLangs: config().emotionLangs };
    return { body: await computeStats(tweetStore(), toFilter(q), options) };
  },
});
