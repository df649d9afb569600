import { httpHandler } from '../lib/http/handler';
import { tweetsQuery } from '../lib/http/schemas';
import { tweetStore } from '../lib/store';

/** GET /tweets — ingested tweets, tagged or not, newest first, cursor-paginated. */
export const handler = httpHandler({
  input: tweetsQuery,
  run: async (q) => ({
    body: await tweetStore().search({
      limit: q.limit,
      startMs: q.start_date,
      endMs: q.end_date,
      after: q.cursor,
      emotion: q.emotion,
      stance: q.stance,
      tagged: q.tagged,
    }),
  }),
});
