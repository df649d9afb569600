/** Date parsing shared by the dataset reader and the HTTP parameters; depends on nothing. */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 lets `T` and `Z` be lower case.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch ms of a calendar date; Date.UTC alone would read years 0–99 as 1900–1999. */
function utcDate(y: number, m: number, day: number): number {
  const d = new Date(Date.UTC(2000, m - 1, day));
  d.setUTCFullYear(y);
  return d.getTime();
}

/** A calendar date (YYYY-MM-DD) or an ISO-8601 date-time; rejects impossible dates like 2025-02-30. */
export function parseDateInput(value: string): { ms: number; dateOnly: boolean } | undefined {
  const s = value.trim();
  const d = DATE_ONLY.exec(s);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const ms = utcDate(y, m, day);
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
  const text = s.toUpperCase();
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`); // no zone means UTC
  return Number.isNaN(ms) ? undefined : { ms, dateOnly: false };
}
