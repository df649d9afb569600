import { randomUUID } from 'node:crypto';
import type { Job, JobParams, JobTask } from '../../domain';
import { NotFoundError, TaskBusyError } from '../../errors';
import type { JobDeps } from './deps';
import { acquireJobLease, releaseJobLease } from './lease';
import { requestCancel, resume } from './requests';
import { isFinished, markFailed, newJob, view } from './state';

/** What the HTTP handlers (and the CLI through them) do with jobs. Answers are jobs as they read now. */

type Deps = Pick<JobDeps, 'jobs' | 'leases' | 'invoker' | 'stallMs' | 'now'>;

const notFound = (id: string) => new NotFoundError(`No job with id ${id}. GET /jobs lists recent jobs.`);

/** Invokes the job's start step; a job whose worker could not be started fails at once (and frees its task). */
async function launch(job: Job, deps: Deps): Promise<void> {
  try {
    await deps.invoker.invoke({ job_id: job.id, step: 'start' });
  } catch (error) {
    await deps.jobs.mutate(
      job.id,
      markFailed({ code: 'worker_not_started', message: (error as Error).message }, deps.now()),
    );
    await releaseJobLease(deps.leases, job).catch(() => undefined);
    throw error;
  }
}

/**
 * Takes the job's task. A lease still held by a finished job (its worker wrote the end and had not yet released,
 * or died in between) is freed first: only a live job or another run answers 409.
 */
async function takeTask(job: Job, deps: Deps): Promise<void> {
  try {
    await acquireJobLease(deps.leases, job);
  } catch (error) {
    const holder =
      error instanceof TaskBusyError ? (error.details as { running: { holder: string } }).running.holder : '';
    const previous = holder.startsWith('job-') ? await deps.jobs.get(holder.slice(4)) : undefined;
    if (!previous || !isFinished(previous)) throw error;
    await releaseJobLease(deps.leases, previous);
    await acquireJobLease(deps.leases, job);
  }
}

/** Creates a queued job and starts its worker; 409 while another run of the same task holds the task. */
export async function createJob(task: JobTask, params: JobParams, deps: Deps): Promise<Job> {
  const job = newJob(randomUUID(), task, params, deps.now());
  await takeTask(job, deps);
  await deps.jobs.create(job);
  await launch(job, deps);
  return getJob(job.id, deps);
}

export async function getJob(id: string, deps: Deps): Promise<Job> {
  const job = await deps.jobs.get(id);
  if (!job) throw notFound(id);
  return view(job, deps.now(), deps.stallMs);
}

export async function listJobs(limit: number, deps: Deps): Promise<Job[]> {
  return (await deps.jobs.list(limit)).map((j) => view(j, deps.now(), deps.stallMs));
}

/** A live worker stops after its current batch; a job without one is cancelled at once and frees its task. */
export async function cancelJob(id: string, deps: Deps): Promise<Job> {
  const job = await deps.jobs.mutate(id, requestCancel(deps.now(), deps.stallMs));
  if (!job) throw notFound(id);
  if (job.status === 'cancelled') await releaseJobLease(deps.leases, job);
  return view(job, deps.now(), deps.stallMs);
}

/** Stalled, failed or cancelled → queued again, with its worker started; the index says where each partition is. */
export async function resumeJob(id: string, deps: Deps): Promise<Job> {
  const current = await getJob(id, deps);
  resume(deps.now(), deps.stallMs)(current); // 409 before touching the lease when it cannot resume
  await takeTask(current, deps); // its own lease (a dead run's) is re-entrant; a live run's is 409
  const job = await deps.jobs.mutate(id, resume(deps.now(), deps.stallMs));
  await launch(job!, deps);
  return getJob(id, deps);
}
