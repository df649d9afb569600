import type { Job, JobParams, JobTask } from '../domain';
import { NotFoundError } from '../errors';
import { cancelJob, createJob, getJob, jobDeps, listJobs, resumeJob } from '../pipeline/jobs';
import { httpHandler } from './handler';
import type { HttpEvent, HttpResult } from './middleware';
import { jobCreateInput, jobListQuery, MAX_JOB_LIMIT } from './schemas';

const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());

/** Validated input (POST /jobs, or /emotion|/stance with async=true) → the job's stored parameters. */
export function jobParams(
  input: { limit?: number; start_date?: number; end_date?: number; force: boolean; partitions?: number },
  defaultLimit: number,
): JobParams {
  return {
    limit: input.limit ?? defaultLimit,
    start_date: iso(input.start_date),
    end_date: iso(input.end_date),
    force: input.force,
    // More partitions than tweets to classify would only start idle workers.
    partitions: Math.min(input.partitions ?? 1, input.limit ?? Infinity),
  };
}

/** 202 Accepted with where to watch it. */
export const accepted = (job: Job): HttpResult => ({
  statusCode: 202,
  headers: { location: `/jobs/${job.id}` },
  body: job,
});

export async function startJob(task: JobTask, params: JobParams): Promise<HttpResult> {
  return accepted(await createJob(task, params, jobDeps()));
}

/** Job ids are UUIDs: anything else is no job (404), never a query. */
function jobId(event: HttpEvent): string {
  const id = event.pathParameters?.id ?? '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new NotFoundError(`No job with id ${id.slice(0, 64)}. GET /jobs lists recent jobs.`);
  }
  return id.toLowerCase();
}

export const createJobHandler = httpHandler({
  input: jobCreateInput,
  source: 'body',
  run: async (q) => startJob(q.task, jobParams(q, q.task === 'ingest' ? 0 : MAX_JOB_LIMIT)),
});

export const listJobsHandler = httpHandler({
  input: jobListQuery,
  run: async (q) => ({ body: { items: await listJobs(q.limit, jobDeps()) } }),
});

export const getJobHandler = httpHandler({
  run: async (_q, _ctx, event) => ({ body: await getJob(jobId(event), jobDeps()) }),
});

export const cancelJobHandler = httpHandler({
  run: async (_q, _ctx, event) => {
    const job = await cancelJob(jobId(event), jobDeps());
    return { statusCode: job.status === 'cancelled' ? 200 : 202, body: job };
  },
});

export const resumeJobHandler = httpHandler({
  run: async (_q, _ctx, event) => accepted(await resumeJob(jobId(event), jobDeps())),
});
