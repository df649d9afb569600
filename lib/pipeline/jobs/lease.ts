import type { Job, JobTask } from '../../domain';
import { TaskBusyError } from '../../errors';
import type { LeaseHolder, LeaseStore } from '../../store';
import { LEASE_TTL_MS, type HeldLease } from '../leases';
import { tagLeaseName } from '../tag';

/**
 * A job holds its task's lease (`ingest`, `tag-emotion`, `tag-stance`) under its own id from creation to its end,
 * across worker invocations and partitions: so a second job, or a synchronous call, of the same task answers 409.
 */
export const jobLeaseName = (task: JobTask) => (task === 'ingest' ? 'ingest' : tagLeaseName(task));
export const jobHolder = (job: Pick<Job, 'id' | 'task'>): LeaseHolder => ({
  holder: `job-${job.id}`,
  description: `job ${job.id} (${job.task})`,
});

/** Takes (or, being its holder, takes again) the job's lease; 409 naming the holder when someone else has it. */
export async function acquireJobLease(leases: LeaseStore, job: Pick<Job, 'id' | 'task'>): Promise<void> {
  const who = jobHolder(job);
  const got = await leases.acquire(jobLeaseName(job.task), who, LEASE_TTL_MS);
  // Two partitions renewing at once: the loser sees its own job as the holder, which is fine.
  if (!got.acquired && got.heldBy.holder !== who.holder) throw new TaskBusyError(jobLeaseName(job.task), got.heldBy);
}

/** The job's lease for one worker invocation: renewed by re-taking it (works from any process), released by the job's end. */
export async function holdJobLease(leases: LeaseStore, job: Pick<Job, 'id' | 'task'>): Promise<HeldLease> {
  await acquireJobLease(leases, job);
  let renewedAt = Date.now();
  return {
    renew: async () => {
      if (Date.now() - renewedAt < LEASE_TTL_MS / 6) return;
      await acquireJobLease(leases, job);
      renewedAt = Date.now();
    },
    release: () => releaseJobLease(leases, job),
  };
}

export const releaseJobLease = (leases: LeaseStore, job: Pick<Job, 'id' | 'task'>) =>
  leases.release(jobLeaseName(job.task), jobHolder(job).holder);
