import type { TweetSort } from '../domain';

/**
 * A cursor is the sort values of the last hit of a page, plus the sort they belong to, so a cursor of one order is
 * never applied to another: newest/oldest [created_at epoch ms, id]; likes/retweets [count, created_at epoch ms,
 * id]. Written as plain text (`n.1735689600000.1790000000025000076`) so that CURSOR_PATTERN says exactly which
 * strings are cursors: every string it matches decodes. Opaque to clients all the same.
 */
export type CursorValues = [number, string] | [number, number, string];
export interface Cursor {
  sort: TweetSort;
  values: CursorValues;
}

const CODES: Record<TweetSort, string> = { newest: 'n', oldest: 'o', likes: 'l', retweets: 'r' };
const SORTS = Object.fromEntries(Object.entries(CODES).map(([sort, code]) => [code, sort as TweetSort]));

// Up to 15 digits: every such integer is exact in a JS number.
const MS = '-?\\d{1,15}';
const ID = '[A-Za-z0-9_-]{1,128}';
export const CURSOR_PATTERN = `^([no]\\.${MS}|[lr]\\.\\d{1,15}\\.${MS})\\.${ID}$`;
const CURSOR = new RegExp(CURSOR_PATTERN);

export function encodeCursor(values: CursorValues, sort: TweetSort = 'newest'): string {
  return [CODES[sort], ...values].join('.');
}

export function decodeCursor(cursor: string): Cursor | undefined {
  if (!CURSOR.test(cursor)) return undefined;
  const [code, ...parts] = cursor.split('.');
  const id = parts.pop()!;
  const numbers = parts.map(Number);
  return { sort: SORTS[code!]!, values: [...numbers, id] as CursorValues };
}
