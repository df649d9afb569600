/**
 * npm run tag -- emotion|stance [--limit N] [--start-date DATE] [--end-date DATE] [--force]
 * Ingests the dataset file when it changed, then tags the next `limit` tweets not tagged yet, with a progress
 * bar, and prints the summary: the same pipeline as POST /emotion and /stance.
 */
import { randomUUID } from 'node:crypto';
import { tagQuery } from '../lib/http/schemas';
import { tagParams } from '../lib/http/tag-handler';
import { runTag } from '../lib/pipeline/tasks';
import { cli, CliError, run, validateFlags } from './lib/cli';
import { lazyBar } from './lib/progress';

const USAGE = `usage: npm run tag -- emotion|stance [--limit N] [--start-date DATE] [--end-date DATE] [--force]
  Tags the next N tweets (default DEFAULT_TAG_LIMIT) in the date range that the model has not tagged yet.
  --force re-tags tweets already tagged, stalest first.`;

async function main() {
  const { values, positionals } = cli({
    usage: USAGE,
    maxPositionals: 1,
    options: {
      limit: { type: 'string' },
      'start-date': { type: 'string' },
      'end-date': { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  const task = positionals[0];
  if (task !== 'emotion' && task !== 'stance') throw new CliError(`say which task: emotion or stance\n${USAGE}`);
  const input = validateFlags(tagQuery(), {
    limit: values.limit,
    start_date: values['start-date'],
    end_date: values['end-date'],
    force: values.force,
  });
  const bar = lazyBar(`${task} [{bar}] {value}/{total} tweets | classified {classified} | failed {failed} | {eta_formatted} left`);
  const who = { holder: `cli-${randomUUID()}`, description: `npm run tag -- ${task} (pid ${process.pid})` };
  const summary = await runTag(task, tagParams(input), who, (p) =>
    bar.update(p.total, p.done, { classified: p.classified, failed: p.failed }),
  ).finally(() => bar.stop());
  console.log(JSON.stringify(summary, null, 2));
}

run('tag', main);
