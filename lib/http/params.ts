import { z } from 'zod';

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

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A calendar date (YYYY-MM-DD) or an ISO-8601 date-time; rejects impossible dates like 2025-02-30. */
export function parseDateInput(value: string): { ms: number; dateOnly: boolean } | undefined {
  const s = value.trim();
  const d = DATE_ONLY.exec(s);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const ms = Date.UTC(y, m - 1, day);
    const back = new Date(ms);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== day) return undefined;
    return { ms, dateOnly: true };
  }
  if (!DATE_TIME.test(s)) return undefined;
  // Validate the calendar part separately: Date.parse rolls 2025-02-30 over to March.
  if (!parseDateInput(s.slice(0, 10))) return undefined;
  const hh = Number(s.slice(11, 13));
  const mm = Number(s.slice(14, 16));
  if (hh > 23 || mm > 59) return undefined;
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`); // no zone means UTC
  return Number.isNaN(ms) ? undefined : { ms, dateOnly: false };
}

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
