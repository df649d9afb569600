import { createHash } from 'node:crypto';
import type { Client, estypes } from '@elastic/elasticsearch';
import type { Source } from '../domain';
import { indexOnce, SINGLE_NODE, type IndexLayout } from './indices';
import { withRetry } from './retry';
import type { SourceStore } from './types';

/** One small document per source; searched by name only. */
export const SOURCES_MAPPING: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    source: { type: 'keyword' },
    size: { type: 'long' },
    mtime: { type: 'date' },
    sha256: { type: 'keyword' },
    format: { type: 'keyword' },
    compressed: { type: 'boolean' },
    records: { type: 'long' },
    indexed: { type: 'long' },
    invalid: { type: 'long' },
    failed: { type: 'long' },
    status: { type: 'keyword' },
    error: { type: 'text', index: false },
    first_ingest_at: { type: 'date' },
    last_ingest_at: { type: 'date' },
  },
};

/** Names can be long and hold any character: the document id is a hash of the name. */
const idOf = (source: string) => createHash('sha256').update(source).digest('hex');

/** More sources than one answer holds would need paging; a deployment with that many files wants a manifest. */
const MAX_LISTED = 10_000;

export class ElasticsearchSourceStore implements SourceStore {
  private readonly ready: () => Promise<void>;

  /** `layout`: the replicas of the cluster (one shard: a few documents). */
  constructor(
    private readonly client: Client,
    readonly index: string,
    layout: IndexLayout = SINGLE_NODE,
  ) {
    this.ready = indexOnce(client, index, SOURCES_MAPPING, layout);
  }

  async get(source: string): Promise<Source | undefined> {
    await this.ready();
    const response = await withRetry('source', () =>
      this.client.get<Source>({ index: this.index, id: idOf(source) }, { ignore: [404] }),
    );
    return response.found ? response._source : undefined;
  }

  async put(record: Source): Promise<void> {
    await this.ready();
    // Refreshed at once: GET /sources right after an ingest lists what it did.
    await withRetry('source put', () =>
      this.client.index({ index: this.index, id: idOf(record.source), document: record, refresh: true }),
    );
  }

  async remove(source: string): Promise<void> {
    await this.ready();
    await withRetry('source remove', () =>
      this.client.delete({ index: this.index, id: idOf(source), refresh: true }, { ignore: [404] }),
    );
  }

  async list(): Promise<Source[]> {
    await this.ready();
    const response = await withRetry('sources', () =>
      this.client.search<Source>({ index: this.index, size: MAX_LISTED, sort: [{ source: 'asc' }] }),
    );
    return response.hits.hits.map((h) => h._source!);
  }
}

/** The same contract in memory, for unit tests. */
export class InMemorySourceStore implements SourceStore {
  readonly records = new Map<string, Source>();

  async get(source: string) {
    const record = this.records.get(source);
    return record && structuredClone(record);
  }

  async put(record: Source) {
    this.records.set(record.source, structuredClone(record));
  }

  async remove(source: string) {
    this.records.delete(source);
  }

  async list() {
    return [...this.records.values()]
      .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
      .map((r) => structuredClone(r));
  }
}
