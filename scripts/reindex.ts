/**
 * npm run reindex -- [--keep-old]
 * Copies the tweets index into a new one with this version's mapping and moves the alias to it in one step:
 * for a mapping change put mapping cannot make (a new field is added in place at start, no reindex needed),
 * a new shard count (ES_SHARDS), or an index an earlier version created as a concrete `tweets` (no alias).
 */
import { randomUUID } from 'node:crypto';
import { runReindex } from '../lib/pipeline/tasks';
import { cli, run } from './lib/cli';
import { lazyBar } from './lib/progress';

const USAGE = `usage: npm run reindex -- [--keep-old]
  Copies ES_INDEX into its next generation (tweets-000001 → tweets-000002, or a concrete index → tweets-000001)
  with the current mapping and ES_SHARDS / ES_REPLICAS, checks the counts, then moves the alias atomically.
  Ingests and tagging runs must be finished: their leases are taken for the copy (409 while one runs).
  --keep-old keeps the previous generation (to compare; moving the alias back undoes the swap).`;

async function main() {
  const { values } = cli({ usage: USAGE, options: { 'keep-old': { type: 'boolean' } } });
  const bar = lazyBar('reindex [{bar}] {percentage}% | {value}/{total} documents | {eta_formatted} left');
  const who = { holder: `cli-${randomUUID()}`, description: `npm run reindex (pid ${process.pid})` };
  const summary = await runReindex({ keepOld: values['keep-old'] === true }, who, (copied, total) =>
    bar.update(total, copied, {}),
  ).finally(() => bar.stop());
  console.log(JSON.stringify(summary, null, 2));
}

run('reindex', main);
