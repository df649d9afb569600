import { z } from 'zod';
import { parseDateInput } from '../dates';

export { parseDateInput };

/**
 * Query-string values arrive as strings, JSON bodies as numbers/booleans: each builder accepts both and gives
 * one clear message per field. The text is only normalised before a plain zod type, so the OpenAPI document
 * (generated from these schemas) carries the real type, bounds and enum.
 */
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

export function intParam(min: number, max: number) {
  const message = `must be a whole number between ${min} and ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
    z
      .number({ error: message })
      .int({ error: message })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );
}

const BOOLEAN_TEXT: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

export const boolParam = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (BOOLEAN_TEXT[v.trim().toLowerCase()] ?? v) : v),
    z.boolean({ error: 'must be true or false' }),
  );

/** One of `labels`, in any letter case (labels are stored in their canonical case). */
export const labelParam = <L extends readonly [string, ...string[]]>(labels: L, upper: boolean) =>
  z.preprocess(
    (v) => {
      const t = trimmed(v);
      return typeof t === 'string' ? (upper ? t.toUpperCase() : t.toLowerCase()) : t;
    },
    z.enum(labels, { error: `must be one of ${labels.join(', ')}` }),
  );

const DAY_MS = 86_400_000;

/**
 * A date parameter as epoch ms; `dateOnly` dates are mapped by `toMs` (start or end of that day). The spec says
 * what the parser takes: an RFC 3339 full-date or date-time (a pattern would also admit 0000-00-00).
 */
const DATE_FORMATS = [
  { type: 'string', format: 'date' },
  { type: 'string', format: 'date-time' },
];

const dateParam = (toMs: (p: { ms: number; dateOnly: boolean }) => number) =>
  z
    .string({ error: 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time' })
    .transform((v, ctx) => {
      const p = parseDateInput(v);
      if (!p) {
        ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time' });
        return z.NEVER;
      }
      return toMs(p);
    })
    .meta({ anyOf: DATE_FORMATS, examples: ['2025-03-01', '2025-03-01T12:00:00Z'] });

/** `start_date`: a date means the start of that day (UTC). */
export const startDateParam = () => dateParam((p) => p.ms);

/** `end_date` is inclusive: a date means up to the last millisecond of that day (UTC). */
export const endDateParam = () => dateParam((p) => (p.dateOnly ? p.ms + DAY_MS - 1 : p.ms));

/** A score between 0 and 1, as a query string or a JSON number. */
export const scoreParam = () =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : /^\s*\d*\.?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < 0 || n > 1) {
      ctx.addIssue({ code: 'custom', message: 'must be a number between 0 and 1' });
      return z.NEVER;
    }
    return n;
  });
