import { config } from '../lib/config';
import { httpHandler } from '../lib/http/handler';
import { toFilter } from '../lib/http/filters';
import { tweetsQuery } from '../lib/http/schemas';
import { CONTENT_TYPES, exportToString } from '../lib/pipeline/export';
import { tweetStore } from '../lib/store';

/**
 * GET /tweets — ingested tweets, tagged or not, filtered and sorted, cursor-paginated; format=csv|ndjson
 * answers every matching tweet as a file download (up to EXPORT_MAX_ROWS).
 */
export const handler = httpHandler({
  input: tweetsQuery,
  run: async (q, ctx) => {
    const filter = toFilter(q);
    if (q.format === 'json') {
      return { body: await tweetStore().search({ ...filter, limit: q.limit, sort: q.sort, after: q.cursor }) };
    }
    const { exportMaxRows } = config();
    const { body, rows } = await exportToString(tweetStore(), filter, q.sort, q.format, exportMaxRows, q.cursor);
    ctx.log.info('export', { format: q.format, rows });
    const headers = {
      'content-type': CONTENT_TYPES[q.format],
      'content-disposition': `attachment; filename="tweets.${q.format}"`,
      'x-export-rows': String(rows),
    };
    return { headers, body };
  },
});
