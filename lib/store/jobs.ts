import { errors, type Client } from '@elastic/elasticsearch';
import type { Job } from '../domain';
import { indexOnce, SINGLE_NODE, type IndexLayout } from './indices';
import { JOBS_MAPPING } from './mapping';
import { withRetry } from './retry';
import type { JobChange, JobStore } from './types';

const isStatus = (error: unknown, status: number) =>
  error instanceof errors.ResponseError && error.statusCode === status;
/** Our own write, read back: every change stamps updated_at, so an equal document is the one we wrote. */
const sameJob = (a: Job | undefined, b: Job) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);
/** Concurrent writers of one job are its partitions, their heartbeats and a cancel; with the pauses, ample. */
const MAX_ATTEMPTS = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Jobs as documents of their own index (`<ES_INDEX>-jobs`), so a restarted API still lists them. Changes are
 * compare-and-set on the document's sequence number: a late progress write can never undo a cancel.
 */
export class ElasticsearchJobStore implements JobStore {
  private readonly ensureIndex: () => Promise<void>;

  constructor(
    private readonly client: Client,
    readonly index: string,
    layout: IndexLayout = SINGLE_NODE,
  ) {
    this.ensureIndex = indexOnce(client, index, JOBS_MAPPING, layout);
  }

  async create(job: Job): Promise<void> {
    await this.ensureIndex();
    const write = () =>
      this.client.index({ index: this.index, id: job.id, document: job, op_type: 'create', refresh: true });
    await withRetry('job create', write).catch(async (error: unknown) => {
      // 409 after a lost answer: the first create landed (the id is a fresh UUID, no one else writes it)
      if (!isStatus(error, 409) || !sameJob((await this.read(job.id))?._source, job)) throw error;
    });
  }

  private async read(id: string) {
    await this.ensureIndex();
    return withRetry('job read', () =>
      this.client.get<Job>({ index: this.index, id }).catch((e) => {
        if (isStatus(e, 404)) return undefined;
        throw e;
      }),
    );
  }

  async get(id: string): Promise<Job | undefined> {
    return (await this.read(id))?._source;
  }

  async list(limit: number): Promise<Job[]> {
    await this.ensureIndex();
    const r = await withRetry('job list', () =>
      this.client.search<Job>({ index: this.index, size: limit, sort: [{ created_at: 'desc' }, { id: 'desc' }] }),
    );
    return r.hits.hits.map((h) => h._source!);
  }

  async mutate(id: string, change: JobChange): Promise<Job | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read(id);
      if (!current) return undefined;
      const next = change(current._source!);
      if (!next) return current._source;
      try {
        const cas = { if_seq_no: current._seq_no!, if_primary_term: current._primary_term! };
        await withRetry('job change', () =>
          this.client.index({ index: this.index, id, document: next, ...cas, refresh: true }),
        );
        return next;
      } catch (error) {
        if (!isStatus(error, 409)) throw error;
        // The node died after writing and before answering, and the repeat met our own write: applying the
        // change again would count a slice twice. Else someone wrote in between: read again and re-apply.
        if (sameJob((await this.read(id))?._source, next)) return next;
        // Partitions, heartbeats and a cancel write the same document: a random pause spreads them out, so a slow
        // cluster (every write taking long) does not make them collide again and again.
        await sleep(Math.random() * Math.min(1000, 20 * 2 ** attempt));
      }
    }
    throw new Error(`job ${id}: too many concurrent changes`);
  }
}
