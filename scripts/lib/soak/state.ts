/** What the random client remembers between steps: its jobs, what the API said it classified, range sizes. */
import type { JobTask } from '../../../lib/domain';
import type { Json } from './client';
import type { Range, TagTask } from './plan';

export interface JobRecord {
  id: string;
  task: JobTask;
  force: boolean;
  partitions: number;
  /** The limit the client asked for (undefined: every tweet of the range). */
  limit?: number;
  range: Range;
  /** Cancelled or resumed by the client: its counts are no longer "one clean run". */
  interrupted: boolean;
  lastDone: number;
  lastClassified: number;
  final?: Json;
}

export interface Classified {
  /** Results the API said it wrote (sync answers and job progress). */
  all: number;
  /** Of which by non-forced calls: each tweet can be selected by those at most once, ever (tags are never removed). */
  unforced: number;
}

export class SoakState {
  readonly jobs: JobRecord[] = [];
  readonly classified: Record<TagTask, Classified> = {
    emotion: { all: 0, unforced: 0 },
    stance: { all: 0, unforced: 0 },
  };
  /** Tweets per date range (the file does not change during a run, so one count per range). */
  readonly rangeSizes = new Map<string, number>();

  pick(n: number): JobRecord | undefined {
    return this.jobs.length ? this.jobs[n % this.jobs.length] : undefined;
  }

  addJob(job: Json, asked: { force: boolean; limit?: number; range: Range }): void {
    this.jobs.push({
      id: job.id,
      task: job.task,
      force: asked.force,
      partitions: job.params.partitions,
      limit: asked.limit,
      range: asked.range,
      interrupted: false,
      lastDone: 0,
      lastClassified: 0,
    });
  }

  count(task: TagTask, classified: number, force: boolean): void {
    this.classified[task].all += classified;
    if (!force) this.classified[task].unforced += classified;
  }
}

/** A query string of the defined values (booleans and numbers as text). */
export function qs(params: object): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
