import { ConflictError } from '../../errors';
import type { Job, JobPart } from '../../domain';
import { isFinished, view } from './state';

/** What a user asks of a job, as pure functions of (job, now) like the rest of its life (state.ts): cancel, resume. */

const finishedConflict = (job: Job, action: string) =>
  new ConflictError('job_finished', `Job ${job.id} already ${job.status}; nothing to ${action}.`, {
    id: job.id,
    status: job.status,
  });

/**
 * Cancel: a job with a live worker gets `cancel_requested` and stops after its current batch; one without
 * (queued, or stalled: its worker died) is cancelled at once. A finished job answers 409.
 */
export const requestCancel =
  (now: Date, stallMs: number) =>
  (job: Job): Job => {
    if (isFinished(job)) throw finishedConflict(job, 'cancel');
    const at = now.toISOString();
    const idle = view(job, now, stallMs).status === 'stalled' || job.status === 'queued';
    if (idle)
      return { ...job, cancel_requested: true, status: 'cancelled', finished_at: at, updated_at: at, eta_s: null };
    return { ...job, cancel_requested: true };
  };

/**
 * POST /resume: a stalled, failed or cancelled job goes back to `queued`; its unfinished partitions start again
 * where the index says they are (only tweets not yet tagged are selected). A live or succeeded job answers 409.
 */
export const resume =
  (now: Date, stallMs: number) =>
  (job: Job): Job => {
    const status = view(job, now, stallMs).status;
    if (status === 'succeeded') throw finishedConflict(job, 'resume');
    if (status === 'queued' || status === 'running') {
      throw new ConflictError(
        'job_active',
        `Job ${job.id} is ${status}; only a stalled, failed or cancelled job resumes.`,
        {
          id: job.id,
          status,
        },
      );
    }
    const partitions = job.partitions.map((p): JobPart => (p.status === 'done' ? p : { ...p, status: 'queued' }));
    const at = now.toISOString();
    return {
      ...job,
      status: 'queued',
      partitions,
      cancel_requested: false,
      error: null,
      finished_at: null,
      resumed_at: null,
      resumed_done: job.progress.done,
      updated_at: at,
      eta_s: null,
    };
  };
