import type { Job, JobPart, TagProgress, Task } from '../../domain';
import { AppError } from '../../errors';
import { SerialQueue } from '../../promises';
import { elasticsearchRefusal, elasticsearchUnavailable, esProblem } from '../../store/errors';
import { tagFromIndex } from '../tag';
import type { JobDeps } from './deps';
import type { WorkerEvent } from './invoker';
import { holdJobLease, jobHolder, releaseJobLease } from './lease';
import { reopenedParts } from './shares';
import {
  isFinished,
  markFailed,
  markPartRunning,
  markStarted,
  recordIngestProgress,
  recordProgress,
  recordSlice,
  finishIngest,
  touch,
} from './state';

/**
 * One worker invocation. `start` ingests (the ingest job, or the catch-up before tagging) and fans out one
 * invocation per partition; `part` tags for at most `sliceMs`, records progress after every batch, then invokes
 * itself for the rest. Failures end the job as `failed` with the error; the job's lease goes with its end.
 */
export async function runWorker(event: WorkerEvent, deps: JobDeps): Promise<void> {
  const job = await deps.jobs.get(event.job_id);
  if (!job || isFinished(job)) return; // cancelled (or gone) before this invocation ran
  const stopBeating = heartbeat(job.id, deps);
  try {
    if (event.step === 'start') await start(job, deps);
    else await slice(job, event.partition, deps);
  } catch (error) {
    deps.log.error('job failed', { job_id: job.id, error: (error as Error).message });
    await recordFailure(job, jobError(job, error), deps);
  } finally {
    stopBeating();
  }
}

/** Like the HTTP answers: a known error says what happened; anything else is named, its details stay in the log. */
function jobError(job: Job, error: unknown): { code: string; message: string } {
  const problem = esProblem(error);
  const known = error instanceof AppError ? error : problem ? elasticsearchUnavailable(problem) : undefined;
  if (known) return { code: known.code, message: known.message };
  return (
    elasticsearchRefusal(error) ?? {
      code: 'worker_error',
      message: `The worker failed unexpectedly; the server log has the details (job ${job.id}).`,
    }
  );
}

/** Delays between attempts to record a failure: Elasticsearch may be what failed, and come back soon. */
const FAILURE_RECORD_RETRIES_MS = [1000, 3000, 9000];

/** Marks the job failed at once (retrying while Elasticsearch is away), then lets its lease go. */
async function recordFailure(job: Job, problem: { code: string; message: string }, deps: JobDeps): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.jobs.mutate(job.id, markFailed(problem, deps.now()));
      break;
    } catch (error) {
      const delay = FAILURE_RECORD_RETRIES_MS[attempt];
      if (delay === undefined) throw error; // the job reads `stalled` later; resume works then
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  await releaseJobLease(deps.leases, job).catch(() => undefined);
}

/** Writes the heartbeat a few times per stall period, so a live worker never reads `stalled` between batches. */
function heartbeat(jobId: string, deps: JobDeps): () => void {
  const timer = setInterval(() => {
    deps.jobs
      .mutate(jobId, touch(deps.now()))
      .catch((e: Error) => deps.log.warn('job heartbeat', { error: e.message }));
  }, deps.stallMs / 4);
  timer.unref();
  return () => clearInterval(timer);
}

async function start(job: Job, deps: JobDeps): Promise<void> {
  if (job.task === 'ingest') return ingestJob(job, deps);
  await holdJobLease(deps.leases, job);
  await deps.ensureIngested(jobHolder(job));
  const started = await deps.jobs.mutate(job.id, markStarted(deps.now()));
  if (!started || isFinished(started)) return;
  const open = started.partitions.filter((p) => p.status !== 'done');
  await Promise.all(open.map((p) => deps.invoker.invoke({ job_id: job.id, step: 'part', partition: p.index })));
}

async function ingestJob(job: Job, deps: JobDeps): Promise<void> {
  await deps.jobs.mutate(job.id, markPartRunning(0, deps.now()));
  const writes = new SerialQueue();
  try {
    const summary = await deps.ingest({ force: job.params.force }, jobHolder(job), (p) => {
      writes.push(() => deps.jobs.mutate(job.id, recordIngestProgress(p, deps.now())));
    });
    await writes.settled();
    await deps.jobs.mutate(job.id, finishIngest(summary, deps.now()));
  } finally {
    await releaseJobLease(deps.leases, job).catch(() => undefined); // an unchanged file never took it again
  }
}

/**
 * Progress written after every batch, in order; the answer of each write tells whether the job was cancelled. A
 * failed write stops the slice at the next batch boundary, and the job fails with that error.
 */
function sliceControl(deps: JobDeps, jobId: string, base: JobPart) {
  const deadline = Date.now() + deps.sliceMs;
  const writes = new SerialQueue();
  const state = { cancelled: false, stopped: false, batches: 0 };
  return {
    state,
    onProgress: (p: TagProgress) => {
      state.batches++;
      writes.push(async () => {
        const j = await deps.jobs.mutate(jobId, recordProgress(base.index, base, p, deps.now()));
        state.cancelled ||= !j || isFinished(j) || j.cancel_requested;
      });
    },
    shouldStop: async () => {
      await writes.settled();
      // At least one batch per invocation, even when loading the model took the whole slice: every slice progresses.
      state.stopped = state.cancelled || (state.batches > 0 && Date.now() >= deadline);
      return state.stopped;
    },
    flushed: () => writes.settled(),
  };
}

const msOf = (iso: string | null) => (iso === null ? undefined : Date.parse(iso));

async function slice(job: Job, index: number, deps: JobDeps): Promise<void> {
  const lease = await holdJobLease(deps.leases, job);
  const running = await deps.jobs.mutate(job.id, markPartRunning(index, deps.now()));
  const base = running?.partitions[index];
  if (!running || isFinished(running) || !base || base.status === 'done') return;
  const control = sliceControl(deps, job.id, base);
  control.state.cancelled = running.cancel_requested; // asked between two invocations: not one more batch
  const { params } = job;
  const summary = await tagFromIndex(
    job.task as Task,
    {
      limit: Math.max(0, base.limit - base.done),
      startMs: msOf(params.start_date),
      endMs: msOf(params.end_date),
      force: params.force,
      forceBefore: job.created_at, // its own earlier slices are newer: never tagged twice
      partition: params.partitions > 1 ? { index, count: params.partitions } : undefined,
    },
    {
      store: deps.store,
      leases: deps.leases,
      who: jobHolder(job),
      lease,
      loadClassifier: () => deps.loadClassifier(job.task as Task),
      emotionLangs: deps.emotionLangs,
      onProgress: control.onProgress,
      shouldStop: control.shouldStop,
    },
  );
  await control.flushed();
  let reopened: number[] = [];
  const after = await deps.jobs.mutate(job.id, (current) => {
    const next = recordSlice(index, base, summary, control.state.stopped, deps.now())(current);
    reopened = next ? reopenedParts(current, next) : []; // the last try is the one stored
    return next;
  });
  if (!after || isFinished(after)) return lease.release();
  if (after.cancel_requested) return;
  const own = after.partitions.find((p) => p.index === index)?.status === 'done' ? [] : [index];
  await Promise.all(
    [...own, ...reopened].map((partition) => deps.invoker.invoke({ job_id: job.id, step: 'part', partition })),
  );
}
