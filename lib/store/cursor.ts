import { z } from 'zod';
import type { TweetSort } from '../domain';

/**
 * A cursor is the sort values of the last hit of a page, plus the sort they belong to, so a cursor of one
 * order is never applied to another: newest/oldest [created_at epoch ms, id]; likes/retweets
 * [count, created_at epoch ms, id]. Opaque to clients.
 */
export type CursorValues = [number, string] | [number, number, string];
export interface Cursor {
  sort: TweetSort;
  values: CursorValues;
}

const id = z.string().min(1).max(128);
const byDate = z.tuple([z.number().int(), id]);
const byCount = z.tuple([z.number().int(), z.number().int(), id]);
const shape = z.discriminatedUnion('s', [
  z.object({ s: z.enum(['newest', 'oldest']), v: byDate }).strict(),
  z.object({ s: z.enum(['likes', 'retweets']), v: byCount }).strict(),
]);

export function encodeCursor(values: CursorValues, sort: TweetSort = 'newest'): string {
  return Buffer.from(JSON.stringify({ s: sort, v: values }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { sort: parsed.data.s, values: parsed.data.v } : undefined;
  } catch {
    return undefined;
  }
}
