import {
  FINISHED_JOB_STATUSES,
  type IngestSummary,
  type Job,
  type JobProgress,
  type JobParams,
  type JobPart,
  type JobTagSummary,
  type JobTask,
  type TagProgress,
  type TagSummary,
} from '../../domain';
import { passOnShare, shareOf } from './shares';

/**
 * A job's life as pure functions of (job, now) → job | null (null: no change). The stores apply them atomically,
 * and every one refuses to touch a finished job, so a late write of a worker never resurrects a cancelled job.
 */

export const MAX_LISTED_FAILURES = 100;
export const isFinished = (job: Job) => FINISHED_JOB_STATUSES.includes(job.status);

export function newJob(id: string, task: JobTask, params: JobParams, now: Date): Job {
  const count = task === 'ingest' ? 1 : params.partitions;
  const partitions: JobPart[] = Array.from({ length: count }, (_, index) => ({
    index,
    status: 'queued',
    limit: shareOf(params.limit, index, count),
    done: 0,
    total: 0,
    classified: 0,
    failed: 0,
    remaining: null,
    invocations: 0,
  }));
  const at = now.toISOString();
  return {
    id,
    task,
    params: { ...params, partitions: count },
    status: 'queued',
    progress: { done: 0, total: 0, classified: 0, skipped: 0, failed: 0 },
    rate_per_s: null,
    eta_s: null,
    created_at: at,
    started_at: null,
    resumed_at: null,
    resumed_done: 0,
    updated_at: at,
    finished_at: null,
    cancel_requested: false,
    partitions,
    summary: null,
    error: null,
  };
}

/** How a stored job reads: `running` (or `queued`) whose heartbeat is older than `stallMs` is `stalled`. */
export function view(job: Job, now: Date, stallMs: number): Job {
  const silent = now.getTime() - Date.parse(job.updated_at) > stallMs;
  if ((job.status === 'running' || job.status === 'queued') && silent)
    return { ...job, status: 'stalled', eta_s: null };
  return job;
}

/** Tagging: the tweets left untagged for their language, over the partitions that counted them. */
function skippedOfParts(partitions: JobPart[]): Pick<JobProgress, 'skipped' | 'skipped_by_language'> | undefined {
  if (!partitions.some((p) => p.skipped_by_language)) return undefined;
  const byLanguage: Record<string, number> = {};
  for (const p of partitions)
    for (const [lang, n] of Object.entries(p.skipped_by_language ?? {})) byLanguage[lang] = (byLanguage[lang] ?? 0) + n;
  return { skipped: Object.values(byLanguage).reduce((n, c) => n + c, 0), skipped_by_language: byLanguage };
}

/** Totals over the partitions, rate since the current run started, and the heartbeat. */
function withProgress(job: Job, now: Date): Job {
  const sum = (k: 'done' | 'total' | 'classified' | 'failed') => job.partitions.reduce((n, p) => n + p[k], 0);
  const progress = {
    ...job.progress,
    done: sum('done'),
    total: sum('total'),
    classified: sum('classified'),
    failed: sum('failed'),
  };
  const skipped = skippedOfParts(job.partitions);
  if (skipped) Object.assign(progress, skipped);
  const seconds = job.resumed_at ? (now.getTime() - Date.parse(job.resumed_at)) / 1000 : 0;
  const rate = seconds > 0 ? (progress.done - job.resumed_done) / seconds : 0;
  const left = Math.max(0, progress.total - progress.done);
  return {
    ...job,
    progress,
    rate_per_s: seconds > 0 ? +rate.toFixed(3) : null,
    eta_s: rate > 0 ? Math.round(left / rate) : null,
    updated_at: now.toISOString(),
  };
}

export const markStarted =
  (now: Date) =>
  (job: Job): Job | null => {
    if (isFinished(job)) return null;
    const at = now.toISOString();
    return {
      ...job,
      status: 'running',
      started_at: job.started_at ?? at,
      resumed_at: job.resumed_at ?? at,
      updated_at: at,
    };
  };

/** A partition's worker starts a slice: the heartbeat moves, the partition reads `running`. */
export const markPartRunning =
  (index: number, now: Date) =>
  (job: Job): Job | null => {
    if (isFinished(job)) return null;
    const partitions = job.partitions.map((p) =>
      p.index === index ? { ...p, status: 'running' as const, invocations: p.invocations + 1 } : p,
    );
    return { ...markStarted(now)(job)!, partitions };
  };

/** Progress of a slice: `base` is the partition as the slice found it; counts only ever grow. */
export const recordProgress =
  (index: number, base: JobPart, p: TagProgress, now: Date) =>
  (job: Job): Job | null => {
    if (isFinished(job)) return null;
    const partitions = job.partitions.map((part) =>
      part.index !== index
        ? part
        : {
            ...part,
            done: Math.max(part.done, base.done + p.done),
            total: Math.max(part.total, base.done + p.total),
            classified: Math.max(part.classified, base.classified + p.classified),
            failed: Math.max(part.failed, base.failed + p.failed),
          },
    );
    return withProgress({ ...job, partitions }, now);
  };

function addSlice(summary: Job['summary'], s: TagSummary, remaining: number): JobTagSummary {
  const prev = (summary as JobTagSummary | null) ?? {
    classified: 0,
    failed_count: 0,
    failed: [],
    labels: {},
    model: {},
    remaining: 0,
  };
  const labels = { ...prev.labels };
  for (const [label, n] of Object.entries(s.labels)) labels[label] = (labels[label] ?? 0) + n;
  const failed = [...prev.failed, ...s.failed].slice(0, MAX_LISTED_FAILURES);
  const model = Object.keys(s.model).length ? s.model : prev.model;
  return {
    classified: prev.classified + s.classified,
    failed_count: prev.failed_count + s.failed.length,
    failed,
    labels,
    model,
    remaining,
  };
}

/**
 * The end of a partition's slice: its counts; whether it is done (no tweet left, its share reached, or a slice that
 * ran to its end with the share it started with); a share it did not use passed on; the job's end when nothing runs.
 * `stopped`: the slice was cut short (its time was up, or a cancel).
 */
export const recordSlice =
  (index: number, base: JobPart, s: TagSummary, stopped: boolean, now: Date) =>
  (job: Job): Job | null => {
    if (isFinished(job)) return null;
    const processed = s.classified + s.failed.length;
    const sliced = job.partitions.map((part): JobPart => {
      if (part.index !== index) return part;
      const done = Math.max(part.done, base.done + processed);
      const partDone = s.remaining === 0 || done >= part.limit || (!stopped && part.limit === base.limit);
      const status = partDone ? 'done' : job.cancel_requested ? 'queued' : 'running';
      return {
        ...part,
        status,
        done,
        total: partDone ? done : Math.max(part.total, done),
        classified: base.classified + s.classified,
        failed: base.failed + s.failed.length,
        remaining: s.remaining,
        ...(s.task === 'emotion' ? { skipped_by_language: s.skipped.by_language } : {}),
      };
    });
    const partitions = passOnShare(sliced, index);
    const remaining = partitions.reduce((n, p) => n + (p.remaining ?? 0), 0);
    const next = withProgress({ ...job, partitions, summary: addSlice(job.summary, s, remaining) }, now);
    return settle(next, now);
  };

/** Succeeded when every partition is done; cancelled when a cancel was asked and no partition runs any more. */
function settle(job: Job, now: Date): Job {
  const at = now.toISOString();
  if (job.partitions.every((p) => p.status === 'done'))
    return { ...job, status: 'succeeded', finished_at: at, eta_s: null };
  if (job.cancel_requested && job.partitions.every((p) => p.status !== 'running')) {
    return { ...job, status: 'cancelled', finished_at: at, eta_s: null };
  }
  return job;
}

export const recordIngestProgress =
  (p: { records: number; indexed: number; bytesRead: number; bytesTotal: number }, now: Date) =>
  (job: Job): Job | null => {
    if (isFinished(job)) return null;
    const estimate = p.bytesRead > 0 ? Math.round((p.records * p.bytesTotal) / p.bytesRead) : p.records;
    const partitions = job.partitions.map((part) => ({
      ...part,
      done: p.records,
      total: Math.max(estimate, p.records),
      classified: p.indexed,
    }));
    return withProgress({ ...job, partitions }, now);
  };

export const finishIngest =
  (s: IngestSummary, now: Date) =>
  (job: Job): Job | null => {
    if (isFinished(job)) return null;
    const partitions = job.partitions.map((part): JobPart => ({
      ...part,
      status: 'done',
      done: s.records,
      total: s.records,
      classified: s.indexed,
      failed: s.failed.length,
      remaining: 0,
    }));
    const next = withProgress({ ...job, partitions, summary: s }, now);
    return { ...settle(next, now), progress: { ...next.progress, skipped: s.invalid.count } };
  };

export const markFailed =
  (error: { code: string; message: string }, now: Date) =>
  (job: Job): Job | null => {
    if (isFinished(job)) return null;
    const at = now.toISOString();
    return { ...job, status: 'failed', error, finished_at: at, updated_at: at, eta_s: null };
  };

/** The heartbeat alone, while a worker works on something longer than a batch (loading a model, ingesting). */
export const touch =
  (now: Date) =>
  (job: Job): Job | null =>
    isFinished(job) ? null : { ...job, updated_at: now.toISOString() };
