import { errors, type Client } from '@elastic/elasticsearch';
import type { Job } from '../domain';
import { indexOnce } from './indices';
import { JOBS_MAPPING } from './mapping';
import type { JobChange, JobStore } from './types';

const isStatus = (error: unknown, status: number) =>
  error instanceof errors.ResponseError && error.statusCode === status;
/** Concurrent writers of one job are its partitions and a cancel: a few retries always suffice. */
const MAX_ATTEMPTS = 20;

/**
 * Jobs as documents of their own index (`<ES_INDEX>-jobs`), so a restarted API still lists them. Changes are
 * compare-and-set on the document's sequence number: a late progress write can never undo a cancel.
 */
export class ElasticsearchJobStore implements JobStore {
  private readonly ensureIndex: () => Promise<void>;

  constructor(
    private readonly client: Client,
    readonly index: string,
  ) {
    this.ensureIndex = indexOnce(client, index, JOBS_MAPPING);
  }

  async create(job: Job): Promise<void> {
    await this.ensureIndex();
    await this.client.index({ index: this.index, id: job.id, document: job, op_type: 'create', refresh: true });
  }

  private async read(id: string) {
    await this.ensureIndex();
    return this.client.get<Job>({ index: this.index, id }).catch((e) => {
      if (isStatus(e, 404)) return undefined;
      throw e;
    });
  }

  async get(id: string): Promise<Job | undefined> {
    return (await this.read(id))?._source;
  }

  async list(limit: number): Promise<Job[]> {
    await this.ensureIndex();
    const r = await this.client.search<Job>({
      index: this.index,
      size: limit,
      sort: [{ created_at: 'desc' }, { id: 'desc' }],
    });
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
        await this.client.index({ index: this.index, id, document: next, ...cas, refresh: true });
        return next;
      } catch (error) {
        if (!isStatus(error, 409)) throw error; // someone wrote in between: read again and re-apply
      }
    }
    throw new Error(`job ${id}: too many concurrent changes`);
  }
}
