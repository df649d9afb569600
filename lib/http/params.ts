import { z } from 'zod';
import { parseDateInput } from '../dates';

export { parseDateInput };

/**
 * Query-string values arrive as strings, JSON bodies as numbers/booleans: each builder accepts both
 * and gives one clear message per field.
 */
export function intParam(min: number, max: number) {
  return z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const s = String(v).trim();
      if (!/^-?\d+$/.test(s)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number between ${min} and ${max}` });
        return z.NEVER;
      }
      return Number(s);
    })
    .pipe(
      z
        .number()
        .min(min, { message: `must be at least ${min}` })
        .max(max, { message: `must be at most ${max}` }),
    );
}

export const boolParam = () =>
  z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { message: 'must be true or false' })
    .transform((v) => v === true || v === 'true' || v === '1');

const DAY_MS = 86_400_000;

/** A date parameter as epoch ms; `dateOnly` dates are mapped by `toMs` (start or end of that day). */
const dateParam = (toMs: (p: { ms: number; dateOnly: boolean }) => number) =>
  z.string().transform((v, ctx) => {
    const p = parseDateInput(v);
    if (!p) {
      ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time' });
      return z.NEVER;
    }
    return toMs(p);
  });

/** `start_date`: a date means the start of that day (UTC). */
export const startDateParam = () => dateParam((p) => p.ms);

/** `end_date` is inclusive: a date means up to the last millisecond of that day (UTC). */
export const endDateParam = () => dateParam((p) => (p.dateOnly ? p.ms + DAY_MS - 1 : p.ms));

/** Checks start ≤ end on an object holding the two transformed dates (epoch ms). */
export function checkDateOrder(v: { start_date?: number; end_date?: number }, ctx: z.RefinementCtx) {
  if (v.start_date !== undefined && v.end_date !== undefined && v.start_date > v.end_date) {
    ctx.addIssue({ code: 'custom', path: ['start_date'], message: 'must not be after end_date' });
  }
}

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
