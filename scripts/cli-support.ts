import type { ZodType, z } from 'zod';
import { toHttpError } from '../lib/http/error-mapping';
import { zodProblems } from '../lib/http/middleware';

/** Validates CLI flags with the API's own schema (undefined flags dropped), or exits naming every bad flag. */
export function parseOrExit<S extends ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = zodProblems(parsed.error.issues as never).map((p) => `--${p.field.replace(/_/g, '-')} ${p.message}`);
  throw new Error(problems.join('; '));
}

/** Prints an error the way the API would word it (with its hint), then exits 1. */
export function failWith(what: string) {
  return (error: unknown) => {
    const http = toHttpError(error as Error);
    const hint = http.details && typeof http.details === 'object' && 'hint' in http.details ? `\n${(http.details as { hint: string }).hint}` : '';
    console.error(`${what} failed: ${http.status === 500 ? (error as Error).message : http.message}${hint}`);
    process.exit(1);
  };
}
