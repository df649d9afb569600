/**
 * What every command-line entry point starts with: the project's `.env` (as serverless and `npm start`
 * read it), `--help`, and a clear error for a flag it does not know.
 *   const { values, positionals } = cli({ usage: 'npm run x -- [--limit N]', options: { limit: { type: 'string' } } });
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

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

/** Runs a script's main, printing only the message of a failure (no stack) and exiting 1. */
export function run(name: string, main: () => Promise<unknown>): void {
  main().catch((error: Error) => {
    console.error(`${name} failed: ${error.message}`);
    process.exit(1);
  });
}
