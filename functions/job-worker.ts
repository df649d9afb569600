import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../lib/logger';
import { jobDeps, runWorker } from '../lib/pipeline/jobs';
import { withScope } from '../lib/process-guard';

const workerEvent = z.union([
  z.object({ job_id: z.string(), step: z.literal('start') }),
  z.object({ job_id: z.string(), step: z.literal('part'), partition: z.number().int().min(0) }),
]);

/**
 * The job worker: no HTTP route, invoked asynchronously (Lambda Invoke, InvocationType Event) by POST /jobs, by
 * resume, and by itself for the next slice. Errors end the job as failed inside runWorker; nothing is thrown back,
 * so Lambda's own retries of async invocations never run a slice twice.
 */
export async function handler(event: unknown, context?: Context): Promise<void> {
  const parsed = workerEvent.safeParse(event);
  if (!parsed.success) {
    logger.error('job worker: not a worker event', { event: JSON.stringify(event).slice(0, 200) });
    return;
  }
  const deps = jobDeps();
  const scope = { fn: context?.functionName, request_id: context?.awsRequestId, job_id: parsed.data.job_id };
  const log = deps.log.child(scope);
  // Only when even recording the failure failed (Elasticsearch down): the job then reads `stalled`.
  await withScope(scope, () => runWorker(parsed.data, { ...deps, log })).catch((error: Error) =>
    log.error('job worker', { error: error.message }),
  );
}
