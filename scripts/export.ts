/**
 * npm run export -- --out tweets.csv [--format csv|ndjson] [filters of GET /tweets] [--sort newest|oldest|likes|retweets]
 * Streams every matching tweet to a file with a progress bar: no size cap (GET /tweets?format=csv has one).
 */
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { Presets, SingleBar } from 'cli-progress';
import { toFilter } from '../lib/http/filters';
import { exportQuery } from '../lib/http/schemas';
import { exportToStream } from '../lib/pipeline/export';
import { tweetStore } from '../lib/store';
import { cli, CliError, run, validateFlags } from './lib/cli';

const USAGE = `usage: npm run export -- --out FILE [--format csv|ndjson] [--sort newest|oldest|likes|retweets]
       [--start-date D] [--end-date D] [--emotion L] [--stance L] [--tagged emotion|stance|both|none]
       [--q WORDS] [--hashtag TAG] [--author NAME] [--min-score 0-1]
  Writes every tweet matching the filters (those of GET /tweets) to FILE, one row per tweet,
  labels and scores flattened. --format defaults to csv.`;

const FLAGS = [
  'format',
  'sort',
  'start-date',
  'end-date',
  'emotion',
  'stance',
  'tagged',
  'q',
  'hashtag',
  'author',
  'min-score',
];

async function main() {
  const options = Object.fromEntries([...FLAGS, 'out'].map((f) => [f, { type: 'string' as const }]));
  const { values } = cli({ usage: USAGE, options });
  if (!values.out) throw new CliError(`--out FILE is required\n\n${USAGE}`);
  const input = validateFlags(exportQuery, Object.fromEntries(FLAGS.map((f) => [f.replace(/-/g, '_'), values[f]])));
  const out = fs.createWriteStream(String(values.out));
  const bar = new SingleBar(
    { format: 'export [{bar}] {percentage}% | {value}/{total} tweets | {eta_formatted} left' },
    Presets.shades_classic,
  );
  let started = false;
  const rows = await exportToStream(tweetStore(), toFilter(input), input.sort, input.format, out, (p) => {
    if (!started) bar.start(p.total, 0);
    started = true;
    bar.update(p.written);
  });
  if (started) bar.stop();
  out.end();
  await finished(out);
  console.log(`${rows} tweets written to ${values.out} (${input.format})`);
}

run('export', main);
