/** The random client's calls that change things: ingest, tag (sync and async), jobs, cancel, resume. */
import { ingestSummarySchema, jobListSchema, jobSchema, tagSummarySchema, type TagSummary } from '../../../lib/domain';
import { TASK_BUSY, type Json, type SoakClient } from './client';
import type { Action, Range } from './plan';
import { qs, type JobRecord, type SoakState } from './state';

export interface Ctx {
  client: SoakClient;
  state: SoakState;
}

type Of<K extends Action['kind']> = Extract<Action, { kind: K }>;

/** Tweets in a date range, counted once per range: /tweets with only the range. */
export async function rangeSize(ctx: Ctx, range: Range): Promise<number | undefined> {
  const key = JSON.stringify(range);
  if (!ctx.state.rangeSizes.has(key)) {
    const res = await ctx.client.call('GET', `/tweets${qs({ limit: 1, ...range })}`, undefined, { ok: [200] });
    if (!res) return undefined;
    ctx.state.rangeSizes.set(key, res.json.total);
  }
  return ctx.state.rangeSizes.get(key);
}

export async function ingest(ctx: Ctx, a: Of<'ingest'>): Promise<void> {
  await ctx.client.call('POST', `/ingest${a.force ? '?force=true' : ''}`, undefined, {
    ok: [200],
    conflicts: TASK_BUSY,
    schema: ingestSummarySchema,
  });
}

export async function tag(ctx: Ctx, a: Of<'tag'>): Promise<void> {
  const params = { limit: a.limit, force: a.force, ...(a.async ? { async: true } : {}), ...a.range };
  const [path, body] = a.inQuery ? [`/${a.task}${qs(params)}`, undefined] : [`/${a.task}`, params];
  const schema = a.async ? jobSchema : tagSummarySchema;
  const res = await ctx.client.call('POST', path, body, { ok: [a.async ? 202 : 200], conflicts: TASK_BUSY, schema });
  if (!res || res.status === 409) return;
  if (a.async) return ctx.state.addJob(res.json, { force: a.force, limit: a.limit, range: a.range });
  ctx.state.count(a.task, res.json.classified, a.force);
  await checkTagSummary(ctx, a, res.json, `POST ${path}`);
}

/** One synchronous call's answer: at most `limit`, every selected tweet accounted for, a forced call takes all. */
async function checkTagSummary(ctx: Ctx, a: Of<'tag'>, s: TagSummary, call: string): Promise<void> {
  const problems: string[] = [];
  if (s.requested !== a.limit) problems.push(`requested ${s.requested}, asked ${a.limit}`);
  if (s.selected > a.limit || s.classified > a.limit) problems.push(`more than limit ${a.limit}`);
  if (s.classified + s.failed.length !== s.selected) problems.push('classified + failed ≠ selected');
  if (s.failed.length) problems.push(`failed: ${JSON.stringify(s.failed.slice(0, 3))}`);
  const size = await rangeSize(ctx, a.range);
  if (size !== undefined && s.remaining > size) problems.push(`remaining ${s.remaining} > ${size} tweets in range`);
  // Forced: every tweet of the range was tagged before the call (or never): it takes min(limit, range).
  if (a.force && size !== undefined && s.selected !== Math.min(a.limit, size)) {
    problems.push(`forced call selected ${s.selected}, expected min(${a.limit}, ${size} in range)`);
  }
  for (const p of problems) ctx.client.tally.violation(call, `tag answer: ${p}: ${JSON.stringify(s).slice(0, 300)}`);
}

export async function createJob(ctx: Ctx, a: Of<'job'> | Of<'ingestJob'>): Promise<void> {
  const body =
    a.kind === 'ingestJob'
      ? { task: 'ingest', force: a.force }
      : { task: a.task, limit: a.limit, partitions: a.partitions, force: a.force, ...a.range };
  const res = await ctx.client.call('POST', '/jobs', body, { ok: [202], conflicts: TASK_BUSY, schema: jobSchema });
  if (!res || res.status === 409) return;
  const job: Json = res.json;
  // queued, or already running: the worker may take it before the answer reads it back
  const fresh = ['queued', 'running'].includes(job.status) && job.progress.done === 0;
  if (res.headers.get('location') !== `/jobs/${job.id}` || !fresh || job.task !== body.task) {
    ctx.client.tally.violation('POST /jobs', `created job reads ${JSON.stringify(job).slice(0, 300)}`);
  }
  const range = a.kind === 'job' ? a.range : {};
  ctx.state.addJob(job, { force: a.force, limit: a.kind === 'job' ? a.limit : undefined, range });
}

export async function cancel(ctx: Ctx, a: Of<'cancel'>): Promise<void> {
  const job = ctx.state.pick(a.pick);
  if (!job) return;
  const res = await ctx.client.call('POST', `/jobs/${job.id}/cancel`, undefined, {
    ok: [200, 202],
    conflicts: ['job_finished'],
    schema: jobSchema,
  });
  if (!res || res.status === 409) return;
  job.interrupted = true;
  const ok = res.status === 200 ? res.json.status === 'cancelled' : res.json.cancel_requested === true;
  if (!ok) ctx.client.tally.violation(`POST /jobs/${job.id}/cancel`, `${res.status} with ${res.json.status}`);
}

export async function resume(ctx: Ctx, a: Of<'resume'>): Promise<void> {
  const job = ctx.state.pick(a.pick);
  if (!job) return;
  const res = await ctx.client.call('POST', `/jobs/${job.id}/resume`, undefined, {
    ok: [202],
    conflicts: ['job_finished', 'job_active', 'task_busy'],
    schema: jobSchema,
  });
  if (res?.status === 202) job.interrupted = true;
}

/** Progress of a job never goes backwards, whatever the client did to it. */
export function checkProgress(ctx: Ctx, job: JobRecord, read: Json): void {
  const { done, classified } = read.progress;
  if (done < job.lastDone || classified < job.lastClassified) {
    ctx.client.tally.violation(
      `GET /jobs/${job.id}`,
      `progress went backwards: done ${job.lastDone} → ${done}, classified ${job.lastClassified} → ${classified}`,
    );
  }
  job.lastDone = Math.max(done, job.lastDone);
  job.lastClassified = Math.max(classified, job.lastClassified);
}

export async function getJob(ctx: Ctx, a: Of<'getJob'>): Promise<void> {
  const job = ctx.state.pick(a.pick);
  if (!job) return;
  const res = await ctx.client.call('GET', `/jobs/${job.id}`, undefined, { ok: [200], schema: jobSchema });
  if (res) checkProgress(ctx, job, res.json);
}

export async function listJobs(ctx: Ctx, a: Of<'listJobs'>): Promise<void> {
  const res = await ctx.client.call('GET', `/jobs?limit=${a.limit}`, undefined, { ok: [200], schema: jobListSchema });
  if (res && res.json.items.length > a.limit) {
    ctx.client.tally.violation(`GET /jobs?limit=${a.limit}`, `${res.json.items.length} items`);
  }
}
