import { parseDateInput } from '../dates';
import type { LanguageDetector } from '../language';
import type { Tweet } from './types';

// Ids and counts arrive as JSON numbers, or as strings: the reader quotes long integers (16+ digits) so
// ids above 2^53 never pass through a JS number.
const INTEGER = /^-?\d+$/;
const ID = /^[A-Za-z0-9_-]{1,128}$/;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

function count(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && INTEGER.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** A string id as written, or a numeric id that is an exact non-negative integer; else undefined. */
function idText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined;
}

/** Turns one raw record of the exercise's format into a Tweet, or says why it can't; `detect` adds its language. */
export function normaliseRecord(
  raw: unknown,
  detect?: LanguageDetector,
): { tweet: Tweet } | { id?: string; reason: string } {
  const rec = obj(raw);
  if (!rec) return { reason: 'record is not an object' };

  const id = idText(rec.id);
  if (!id || !ID.test(id) || id.startsWith('-')) return { reason: 'missing or invalid id' };
  if (/^\d+$/.test(id) && id.length > 1 && id.startsWith('0')) return { id, reason: 'invalid id (leading zero)' };

  const content = str(obj(obj(rec.payload)?.tweet)?.content);
  if (!content) return { id, reason: 'missing or empty content' };

  const meta = obj(rec.meta);
  const createdRaw = str(meta?.created_at);
  const created = createdRaw ? parseDateInput(createdRaw) : undefined;
  if (!created)
    return { id, reason: `missing or invalid created_at${createdRaw ? ` (${createdRaw.slice(0, 40)})` : ''}` };

  const user = obj(rec.user);
  const metrics = obj(rec.metrics);
  const hashtags = Array.isArray(meta?.hashtags)
    ? meta.hashtags.filter((h): h is string => typeof h === 'string' && !!h.trim())
    : [];

  return {
    tweet: {
      id,
      content,
      created_at: new Date(created.ms).toISOString(),
      author: { username: str(user?.username), handle: str(user?.handle), verified: user?.verified === true },
      hashtags: [...new Set(hashtags.map((h) => h.trim()))],
      metrics: { retweets: count(metrics?.retweets), likes: count(metrics?.likes) },
      ...detect?.(content),
    },
  };
}
