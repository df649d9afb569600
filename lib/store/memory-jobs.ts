import type { Job } from '../domain';
import type { JobChange, JobStore } from './types';

/** The JobStore contract in memory, for unit tests of the job logic. */
export class InMemoryJobStore implements JobStore {
  readonly jobs = new Map<string, Job>();

  async create(job: Job): Promise<void> {
    if (this.jobs.has(job.id)) throw new Error(`job ${job.id} exists`);
    this.jobs.set(job.id, structuredClone(job));
  }

  async get(id: string): Promise<Job | undefined> {
    const job = this.jobs.get(id);
    return job && structuredClone(job);
  }

  async list(limit: number): Promise<Job[]> {
    return [...this.jobs.values()]
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id))
      .slice(0, limit)
      .map((j) => structuredClone(j));
  }

  async mutate(id: string, change: JobChange): Promise<Job | undefined> {
    const current = this.jobs.get(id);
    if (!current) return undefined;
    const next = change(structuredClone(current));
    if (!next) return structuredClone(current);
    this.jobs.set(id, structuredClone(next));
    return structuredClone(next);
  }
}
