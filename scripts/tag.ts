/**
 * npm run tag -- emotion|stance [--limit N] [--start-date DATE] [--end-date DATE] [--force] [--partitions N]
 * npm run tag -- --job ID
 * npm run tag -- emotion|stance --sync [--limit N] ...
 * Starts a job on the running API (POST /jobs), follows it with a progress bar and prints its end; Ctrl-C cancels
 * it (POST /jobs/{id}/cancel: the worker stops after its batch). --job re-attaches to a job. --sync tags in this process
 * instead, without the API: the same pipeline as a synchronous POST /emotion or /stance.
 */
import { randomUUID } from 'node:crypto';
import { Presets, SingleBar } from 'cli-progress';
import type { Job } from '../lib/domain';
import { jobCreateInput, tagQuery } from '../lib/http/schemas';
import { tagParams } from '../lib/http/tag-handler';
import { runTag } from '../lib/pipeline/tasks';
import { ApiClient } from './lib/api-client';
import { cli, CliError, run, validateFlags } from './lib/cli';
import { lazyBar } from './lib/progress';

const USAGE = `usage: npm run tag -- emotion|stance [--limit N] [--start-date DATE] [--end-date DATE] [--force] [--partitions N]
       npm run tag -- --job ID
       npm run tag -- emotion|stance --sync [--limit N] [--start-date DATE] [--end-date DATE] [--force]
  Starts a job on the API (API_URL, default http://127.0.0.1:$PORT; start it with \`npm start\`) that tags the next
  N tweets (default: all) in the date range not tagged yet, and follows it. Ctrl-C cancels the job.
  --job ID        follow a job already started (Ctrl-C cancels it too)
  --partitions N  split the job into N disjoint slices, each run by its own worker
  --force         re-tag tweets already tagged, stalest first
  --sync          tag in this process, without the API (default limit DEFAULT_TAG_LIMIT)`;

type Values = Record<string, string | boolean | undefined>;
const flags = (v: Values) => ({ limit: v.limit, start_date: v['start-date'], end_date: v['end-date'], force: v.force });

async function main() {
  const { values, positionals } = cli({
    usage: USAGE,
    maxPositionals: 1,
    options: {
      limit: { type: 'string' },
      'start-date': { type: 'string' },
      'end-date': { type: 'string' },
      force: { type: 'boolean' },
      partitions: { type: 'string' },
      job: { type: 'string' },
      sync: { type: 'boolean' },
    },
  });
  if (values.job)
    return watch(new ApiClient(), await new ApiClient().request('GET', `/jobs/${encodeURIComponent(values.job)}`));
  const task = positionals[0];
  if (task !== 'emotion' && task !== 'stance') throw new CliError(`say which task: emotion or stance\n${USAGE}`);
  if (values.sync) {
    if (values.partitions) throw new CliError('--partitions needs a job: drop --sync');
    return tagHere(task, values);
  }
  // Bad flags fail here, worded as the API words them; the API then validates what the user typed once more.
  validateFlags(jobCreateInput, { task, ...flags(values), partitions: values.partitions });
  const api = new ApiClient();
  return watch(api, await api.request('POST', '/jobs', { task, ...definedFlags(values) }));
}

const definedFlags = (v: Values) =>
  Object.fromEntries(Object.entries({ ...flags(v), partitions: v.partitions }).filter(([, x]) => x !== undefined));

/** Follows the job with a bar; the first Ctrl-C cancels it (and waits for the cancel), a second one leaves. */
async function watch(api: ApiClient, job: Job): Promise<void> {
  console.error(`job ${job.id} (${job.task}) ${job.status} — ${api.url}/jobs/${job.id}`);
  const bar = new SingleBar(
    {
      format: `${job.task} [{bar}] {value}/{total} | {status} | classified {classified} | failed {failed} | {rate}/s | eta {eta_s}s`,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(1, job.progress.total), 0, fields(job));
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
    bar.stop();
    console.error(`cancelling job ${job.id} after its current batch (Ctrl-C again to stop waiting)`);
    api.request('POST', `/jobs/${job.id}/cancel`).catch((e: Error) => console.error(e.message));
  });
  const end = await api.follow(job.id, (j) => {
    bar.setTotal(Math.max(1, j.progress.total));
    bar.update(j.progress.done, fields(j));
  });
  bar.stop();
  console.log(JSON.stringify(end, null, 2));
  if (end.status !== 'succeeded') process.exitCode = end.status === 'cancelled' ? 130 : 1;
}

const fields = (j: Job) => ({ ...j.progress, status: j.status, rate: j.rate_per_s ?? '-', eta_s: j.eta_s ?? '-' });

/** --sync: the pipeline in this process, with its own bar (no job, no API). */
async function tagHere(task: 'emotion' | 'stance', values: Values) {
  const input = validateFlags(tagQuery(), flags(values));
  const bar = lazyBar(
    `${task} [{bar}] {value}/{total} tweets | classified {classified} | failed {failed} | {eta_formatted} left`,
  );
  const who = { holder: `cli-${randomUUID()}`, description: `npm run tag -- ${task} --sync (pid ${process.pid})` };
  const summary = await runTag(task, tagParams(input), who, (p) =>
    bar.update(p.total, p.done, { classified: p.classified, failed: p.failed }),
  ).finally(() => bar.stop());
  console.log(JSON.stringify(summary, null, 2));
}

run('tag', main);
