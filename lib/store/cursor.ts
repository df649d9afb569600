import { z } from 'zod';

/** The sort values of the last hit of a page: [created_at epoch ms, id]. Opaque to clients. */
export type CursorValues = [number, string];
const shape = z.tuple([z.number().int(), z.string().min(1).max(128)]);

export function encodeCursor(values: CursorValues): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorValues | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
