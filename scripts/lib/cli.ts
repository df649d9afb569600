/**
 * What every command-line entry point starts with: the project's `.env` (as serverless and `npm start`
 * read it), `--help`, and a clear error for a flag it does not know.
 *   const { values, positionals } = cli({ usage: 'npm run x -- [--limit N]', options: { limit: { type: 'string' } } });
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z, ZodType } from 'zod';
import { toHttpError } from '../../lib/http/error-mapping';
import { zodProblems } from '../../lib/http/middleware';
import { closeEsClient } from '../../lib/store/client';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/**
 * Loads `ENV_FILE` (default: the project's `.env`) when it exists. Variables already set in the
 * environment win, as with serverless and Node's --env-file. A named ENV_FILE that is missing is an error.
 */
export function loadEnvFile(): string | undefined {
  const named = process.env.ENV_FILE;
  const file = path.resolve(PROJECT_ROOT, named || '.env');
  if (!fs.existsSync(file)) {
    if (named) throw new CliError(`ENV_FILE=${named}: no such file`);
    return undefined;
  }
  process.loadEnvFile(file); // fills only variables not already set
  return file;
}

export class CliError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
export interface CliSpec<O extends Options> {
  /** Printed by --help and after a usage error. */
  usage: string;
  options?: O;
  /** Positional arguments allowed (default none). */
  maxPositionals?: number;
}

/** Parses argv after loading .env; --help prints usage and exits 0; a bad flag exits 2 with the usage. */
export function cli<O extends Options = Record<never, never>>(spec: CliSpec<O>, argv = process.argv.slice(2)) {
  type Result = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>;
  const options: Options = { ...spec.options, help: { type: 'boolean', short: 'h' } };
  const usage = spec.usage.trim();
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (!parsed.values.help && parsed.positionals.length > (spec.maxPositionals ?? 0)) {
      throw new CliError(`unexpected argument "${parsed.positionals[spec.maxPositionals ?? 0]}"`);
    }
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional.*$/s, '');
    console.error(`${message}\n\n${usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  try {
    loadEnvFile();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  return parsed as unknown as Pick<Result, 'values' | 'positionals'>;
}

/** Validates flags with the API's own schema (flags not given are dropped), naming every bad flag. */
export function validateFlags<S extends ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = zodProblems(parsed.error.issues as never).map((p) => `--${p.field.replace(/_/g, '-')} ${p.message}`);
  throw new CliError(problems.join('; '));
}

/**
 * Runs a script's main. A failure prints one message (no stack), worded as the API words it, with its hint
 * (e.g. how to start Elasticsearch), and exits 1.
 */
export function run(name: string, main: () => Promise<unknown>): void {
  const closed = () => closeEsClient().catch(() => undefined);
  main().then(closed, async (error: Error) => {
    await closed();
    const http = toHttpError(error);
    const message = http.status === 500 ? error.message : http.message;
    const details = http.details as { hint?: string } | undefined;
    console.error(`${name} failed: ${message}${details?.hint ? `\n${details.hint}` : ''}`);
    process.exit(1);
  });
}
