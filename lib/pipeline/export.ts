import { once } from 'node:events';
import type { TweetDocument, TweetSort } from '../domain';
import { BadRequestError } from '../errors';
import { decodeCursor, type TweetFilter, type TweetStore } from '../store';
import type { Cursor } from '../store/cursor';
import { csvHeader, csvLine, flattenTweet, ndjsonLine } from './rows';

export type FileFormat = 'csv' | 'ndjson';
export const EXPORT_PAGE_SIZE = 1000;
export const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** Every matching tweet, page by page with search_after (exact past 10,000 hits), in the chosen order. */
export async function* tweetPages(
  store: TweetStore,
  filter: TweetFilter,
  sort: TweetSort,
  pageSize = EXPORT_PAGE_SIZE,
  start?: Cursor,
) {
  let cursor: string | null = null;
  do {
    const page = await store.search({
      ...filter,
      sort,
      limit: pageSize,
      after: cursor ? decodeCursor(cursor) : start,
    });
    yield { items: page.items, total: page.total };
    cursor = page.next_cursor;
  } while (cursor);
}

/** The file's text for these tweets: a CSV (with its header) or NDJSON. */
export function formatRows(format: FileFormat, docs: TweetDocument[], withHeader: boolean): string {
  const line = format === 'csv' ? csvLine : ndjsonLine;
  return (withHeader && format === 'csv' ? csvHeader() : '') + docs.map((d) => line(flattenTweet(d))).join('');
}

/**
 * One export answer held in memory, for GET /tweets?format=csv|ndjson: refused up front when more than `maxRows`
 * match (the total is counted first), so a response never grows past what one answer may carry.
 */
export async function exportToString(
  store: TweetStore,
  filter: TweetFilter,
  sort: TweetSort,
  format: FileFormat,
  maxRows: number,
  after?: Cursor,
) {
  // The cap counts every matching tweet, also when the export starts after a cursor (a conservative bound).
  const { total } = await store.search({ ...filter, limit: 1 });
  if (total > maxRows) {
    throw new BadRequestError(
      `${total} tweets match; one export holds at most ${maxRows}. Narrow the filters (dates, labels, q, hashtag, author) or use \`npm run export\`, which streams any size to a file.`,
      [{ field: 'format', message: `at most ${maxRows} rows per export answer; ${total} match` }],
    );
  }
  const parts = [format === 'csv' ? csvHeader() : ''];
  let rows = 0;
  for await (const page of tweetPages(store, filter, sort, EXPORT_PAGE_SIZE, after)) {
    parts.push(formatRows(format, page.items, false));
    rows += page.items.length;
  }
  return { body: parts.join(''), rows };
}

export interface ExportProgress {
  written: number;
  total: number;
}

/** Streams every matching tweet to `out` (any size), honouring back-pressure; answers the rows written. */
export async function exportToStream(
  store: TweetStore,
  filter: TweetFilter,
  sort: TweetSort,
  format: FileFormat,
  out: NodeJS.WritableStream,
  onProgress?: (p: ExportProgress) => void,
  pageSize = EXPORT_PAGE_SIZE,
): Promise<number> {
  let written = 0;
  const write = (text: string) => (out.write(text) ? Promise.resolve() : once(out, 'drain').then(() => undefined));
  if (format === 'csv') await write(csvHeader());
  for await (const page of tweetPages(store, filter, sort, pageSize)) {
    await write(formatRows(format, page.items, false));
    written += page.items.length;
    onProgress?.({ written, total: page.total });
  }
  return written;
}
