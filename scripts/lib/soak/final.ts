/**
 * The end of a random run: wait for the client's jobs (bounded), check how each ended, tag what is left with
 * non-forced calls until `remaining` is 0, then the invariants on a quiet index.
 */
import fs from 'node:fs';
import { jobSchema, TWEET_SORTS, type TweetSort } from '../../../lib/domain';
import { TASK_BUSY, type Json } from './client';
import type { Filter, Range, TagTask } from './plan';
import { scan } from './reads';
import type { JobRecord } from './state';
import { checkProgress, rangeSize, type Ctx } from './writes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINISHED = ['succeeded', 'failed', 'cancelled'];

export interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}

/** Polls every unfinished job until it finishes; past half the budget, cancels those still going. */
export async function waitForJobs(ctx: Ctx, budgetMs: number): Promise<void> {
  const t0 = Date.now();
  let cancelled = false;
  for (;;) {
    const open = ctx.state.jobs.filter((j) => !j.final);
    for (const job of open) {
      const res = await ctx.client.call('GET', `/jobs/${job.id}`, undefined, { ok: [200], schema: jobSchema });
      if (!res) return; // the server is gone: already a violation
      checkProgress(ctx, job, res.json);
      if (FINISHED.includes(res.json.status)) job.final = res.json;
    }
    if (ctx.state.jobs.every((j) => j.final)) return;
    if (Date.now() - t0 > budgetMs) {
      const still = ctx.state.jobs.filter((j) => !j.final).map((j) => j.id);
      return ctx.client.tally.violation('wait for jobs', `jobs not finished after ${budgetMs} ms: ${still}`);
    }
    if (!cancelled && Date.now() - t0 > budgetMs / 2) {
      cancelled = true;
      for (const job of ctx.state.jobs.filter((j) => !j.final)) {
        job.interrupted = true;
        await ctx.client.call('POST', `/jobs/${job.id}/cancel`, undefined, {
          ok: [200, 202],
          conflicts: ['job_finished'],
        });
      }
    }
    await sleep(250);
  }
}

/** How a job ended: succeeded or cancelled (nothing here fails), its counts add up, a clean forced run took all. */
export async function checkJob(ctx: Ctx, job: JobRecord): Promise<void> {
  const j: Json = job.final;
  if (!j) return;
  const call = `job ${job.id} (${job.task}${job.force ? ', forced' : ''})`;
  if (!['succeeded', 'cancelled'].includes(j.status)) {
    ctx.client.tally.violation(call, `ended ${j.status}: ${JSON.stringify(j.error)}`);
  }
  if (job.task === 'ingest') return;
  ctx.state.count(job.task, j.progress.classified, job.force);
  const p = j.progress;
  if (p.failed) ctx.client.tally.violation(call, `${p.failed} tweets failed: ${JSON.stringify(j.summary?.failed)}`);
  if (p.classified + p.failed !== p.done) ctx.client.tally.violation(call, `progress ${JSON.stringify(p)}`);
  if (job.limit !== undefined && p.done > job.limit) ctx.client.tally.violation(call, `done ${p.done} > limit`);
  const whole = job.partitions === 1 || job.limit === undefined;
  if (job.force && j.status === 'succeeded' && !job.interrupted && whole) {
    const size = await rangeSize(ctx, job.range);
    const expected = Math.min(job.limit ?? Infinity, size ?? 0);
    if (size !== undefined && p.done !== expected) {
      ctx.client.tally.violation(call, `a forced job did ${p.done}, expected min(limit, ${size} in range)`);
    }
  }
}

/** Per call of the final tagging: emotion is fast; stance calls stay short so none outlives the client. */
const FINAL_LIMIT: Record<TagTask, number> = { emotion: 2000, stance: 100 };

/** Non-forced calls until `remaining` is 0 (bounded in calls and time); their classifications count as non-forced. */
export async function tagTheRest(ctx: Ctx, task: TagTask, range: Range, budgetMs: number): Promise<Invariant> {
  const t0 = Date.now();
  let last: Json;
  while (Date.now() - t0 < budgetMs) {
    const body = { limit: FINAL_LIMIT[task], ...range };
    const res = await ctx.client.call('POST', `/${task}`, body, { ok: [200], conflicts: TASK_BUSY });
    if (!res) break;
    if (res.status === 409) {
      await sleep(500);
      continue;
    }
    last = res.json;
    ctx.state.count(task, last.classified, false);
    if (last.remaining === 0) break;
  }
  const ok = last?.remaining === 0;
  const where = Object.keys(range).length ? ` in ${JSON.stringify(range)}` : '';
  const detail = `${Math.round((Date.now() - t0) / 1000)} s, last answer ${JSON.stringify(last).slice(0, 200)}`;
  return { name: `${task}: non-forced calls reach remaining 0${where}`, ok, detail };
}

/** On a quiet index: each sort visits each matching tweet exactly once, the same set, as /stats counts. */
export async function pagingInvariant(ctx: Ctx, filters: Filter[], limit: number): Promise<Invariant> {
  const before = ctx.client.tally.violations.length;
  for (const filter of filters) {
    const sets: Array<[TweetSort, Set<string>]> = [];
    for (const sort of TWEET_SORTS) {
      const ids = await scan(ctx, sort, filter, limit);
      if (ids) sets.push([sort, ids]);
    }
    const [first, ...rest] = sets;
    for (const [sort, ids] of rest) {
      const same = ids.size === first![1].size && [...ids].every((id) => first![1].has(id));
      if (!same) ctx.client.tally.violation(`scan ${JSON.stringify(filter)}`, `sort=${sort} visits other tweets`);
    }
  }
  const found = ctx.client.tally.violations.length - before;
  const detail = `${filters.length} filters × ${TWEET_SORTS.length} sorts, page size ${limit}`;
  return { name: 'paging visits each matching tweet once, /stats total = /tweets total', ok: !found, detail };
}

/** The server log (when the client can read it): no unhandled rejection, no uncaught exception. */
export function logInvariant(logFile: string | undefined): Invariant {
  const name = 'the server log holds no unhandled rejection and no uncaught exception';
  if (!logFile) return { name, ok: true, detail: 'not checked (no log file given)' };
  const lines = fs.readFileSync(logFile, 'utf8').split('\n');
  const bad = lines.filter((l) => /unhandled rejection|uncaught/i.test(l));
  return { name, ok: bad.length === 0, detail: bad.length ? bad.slice(0, 5).join('\n') : `${lines.length} lines read` };
}
