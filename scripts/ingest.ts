/**
 * npm run ingest -- [--force]
 * Loads DATASET_PATH (JSON array or JSON Lines, plain or gzip) into the index with a progress bar: the same
 * pipeline as POST /ingest. Stored tags are kept; an unchanged file is not re-read unless --force.
 */
import { randomUUID } from 'node:crypto';
import { ingestQuery } from '../lib/http/schemas';
import { runIngest } from '../lib/pipeline/tasks';
import { cli, run, validateFlags } from './lib/cli';
import { lazyBar } from './lib/progress';

const USAGE = `usage: npm run ingest -- [--force]
  Loads DATASET_PATH into the index. Stored emotion and stance are kept.
  --force re-reads a file that has not changed since the last ingest.`;

async function main() {
  const { values } = cli({ usage: USAGE, options: { force: { type: 'boolean' } } });
  const input = validateFlags(ingestQuery, { force: values.force });
  const bar = lazyBar('ingest [{bar}] {percentage}% | {records} records | {indexed} indexed | {eta_formatted} left');
  const who = { holder: `cli-${randomUUID()}`, description: `npm run ingest (pid ${process.pid})` };
  const summary = await runIngest(input, who, (p) =>
    bar.update(p.bytesTotal, p.bytesRead, { records: p.records, indexed: p.indexed }),
  ).finally(() => bar.stop());
  console.log(JSON.stringify(summary, null, 2));
}

run('ingest', main);
