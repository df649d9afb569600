/**
 * npm run ingest -- [--force] [FILE...]
 * Loads the new and changed sources of DATASET_PATH (a file, a folder or a glob; JSON array or JSON Lines, plain
 * or gzip) into the index with a progress bar: the same pipeline as POST /ingest. Named FILEs are ingested as
 * sources themselves, wherever they are. Stored tags are kept; an unchanged source is not re-read unless --force.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ingestQuery } from '../lib/http/schemas';
import { runIngest } from '../lib/pipeline/tasks';
import { cli, run, validateFlags } from './lib/cli';
import { lazyBar } from './lib/progress';

const USAGE = `usage: npm run ingest -- [--force] [FILE...]
  Loads the new and changed sources of DATASET_PATH into the index, or the FILEs given.
  Stored emotion and stance are kept.
  --force re-reads sources that have not changed since their last ingest.`;

async function main() {
  const { values, positionals } = cli({
    usage: USAGE,
    options: { force: { type: 'boolean' } },
    maxPositionals: 10_000,
  });
  const input = validateFlags(ingestQuery, { force: values.force });
  const files = positionals.length ? positionals.map((f) => path.resolve(f)) : undefined;
  const bar = lazyBar('ingest [{bar}] {percentage}% | {records} records | {indexed} indexed | {eta_formatted} left');
  const who = { holder: `cli-${randomUUID()}`, description: `npm run ingest (pid ${process.pid})` };
  const summary = await runIngest({ ...input, files }, who, (p) =>
    bar.update(p.bytesTotal, p.bytesRead, { records: p.records, indexed: p.indexed }),
  ).finally(() => bar.stop());
  console.log(JSON.stringify(summary, null, 2));
}

run('ingest', main);
