import { EMOTION_LABELS, STANCE_LABELS, type TweetDocument } from '../domain';

/** One flat row per tweet for CSV and NDJSON exports: nested author, metrics, labels and scores as columns. */

export const EXPORT_COLUMNS = [
  'id',
  'created_at',
  'author_username',
  'author_handle',
  'author_verified',
  'content',
  'hashtags',
  'retweets',
  'likes',
  'emotion_label',
  'emotion_score',
  ...EMOTION_LABELS.map((l) => `emotion_${l}`),
  'emotion_model',
  'emotion_revision',
  'stance_label',
  'stance_score',
  ...STANCE_LABELS.map((l) => `stance_${l}`),
  'stance_model',
  'stance_revision',
  'stance_prompt_version',
] as const;
export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null>;

export function flattenTweet(d: TweetDocument): ExportRow {
  const e = d.emotion;
  const s = d.stance;
  return {
    id: d.id,
    created_at: d.created_at,
    author_username: d.author.username,
    author_handle: d.author.handle,
    author_verified: d.author.verified,
    content: d.content,
    hashtags: d.hashtags.join(' '),
    retweets: d.metrics.retweets,
    likes: d.metrics.likes,
    emotion_label: e?.label ?? null,
    emotion_score: e?.score ?? null,
    ...(Object.fromEntries(EMOTION_LABELS.map((l) => [`emotion_${l}`, e?.scores[l] ?? null])) as Record<
      `emotion_${string}`,
      number | null
    >),
    emotion_model: e?.model ?? null,
    emotion_revision: e?.revision ?? null,
    stance_label: s?.label ?? null,
    stance_score: s?.score ?? null,
    ...(Object.fromEntries(STANCE_LABELS.map((l) => [`stance_${l}`, s?.scores[l] ?? null])) as Record<
      `stance_${string}`,
      number | null
    >),
    stance_model: s?.model ?? null,
    stance_revision: s?.revision ?? null,
    stance_prompt_version: s?.prompt_version ?? null,
  } as ExportRow;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; null is an empty field. */
const csvField = (v: string | number | boolean | null) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const csvHeader = () => `${EXPORT_COLUMNS.join(',')}\r\n`;
export const csvLine = (row: ExportRow) => `${EXPORT_COLUMNS.map((c) => csvField(row[c] ?? null)).join(',')}\r\n`;
export const ndjsonLine = (row: ExportRow) => `${JSON.stringify(row)}\n`;
