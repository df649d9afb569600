import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { encodeCursor, type CursorValues } from './cursor';
import { TWEETS_MAPPING, TWEETS_SETTINGS } from './mapping';
import type { ClassificationMarker, IndexStats, Task, TweetDocument, TweetPage, TweetQuery, TweetStore, UpsertResult } from './types';

const RETRYABLE_ITEM_STATUS = new Set([429, 503]);

export interface ElasticsearchStoreOptions {
  /** Attempts for bulk items answered 429/503 (the first try included). */
  bulkAttempts?: number;
  /** First back-off delay; doubles each attempt. */
  backoffMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ElasticsearchTweetStore implements TweetStore {
  private indexReady?: Promise<void>;
  private readonly bulkAttempts: number;
  private readonly backoffMs: number;

  constructor(
    private readonly client: Client,
    readonly index: string,
    options: ElasticsearchStoreOptions = {},
  ) {
    this.bulkAttempts = options.bulkAttempts ?? 4;
    this.backoffMs = options.backoffMs ?? 200;
  }

  /** Idempotent: creates the index once per process; an index created concurrently is fine. */
  ensureIndex(): Promise<void> {
    this.indexReady ??= this.createIndexIfMissing().catch((error) => {
      this.indexReady = undefined; // let the next call try again (e.g. Elasticsearch came back)
      throw error;
    });
    return this.indexReady;
  }

  private async createIndexIfMissing(): Promise<void> {
    if (await this.client.indices.exists({ index: this.index })) return;
    try {
      await this.client.indices.create({ index: this.index, mappings: TWEETS_MAPPING, settings: TWEETS_SETTINGS });
    } catch (error) {
      if (error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception') return;
      throw error;
    }
  }

  async upsert(docs: TweetDocument[]): Promise<UpsertResult> {
    const result: UpsertResult = { written: [], failed: [] };
    if (docs.length === 0) return result;
    await this.ensureIndex();
    let pending = docs;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const operations = pending.flatMap((doc) => [{ update: { _index: this.index, _id: doc.id } }, { doc, doc_as_upsert: true }]);
      const response = await this.client.bulk({ operations });
      const retry: TweetDocument[] = [];
      response.items.forEach((item, i) => {
        const op = item.update!;
        const doc = pending[i]!;
        if (!op.error) {
          result.written.push(doc.id);
        } else if (RETRYABLE_ITEM_STATUS.has(op.status) && attempt < this.bulkAttempts) {
          retry.push(doc);
        } else {
          result.failed.push({ id: doc.id, reason: `${op.error.type}: ${op.error.reason ?? 'no reason given'}` });
        }
      });
      pending = retry;
      if (pending.length) await sleep(this.backoffMs * 2 ** (attempt - 1));
    }
    return result;
  }

  async findClassified(ids: string[], task: Task, marker: ClassificationMarker): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    await this.ensureIndex();
    const response = await this.client.search<never>({
      index: this.index,
      size: ids.length,
      _source: false,
      query: {
        bool: {
          filter: [
            { ids: { values: ids } },
            ...Object.entries(marker).map(([field, value]) => ({ term: { [`${task}.${field}`]: value } })),
          ],
        },
      },
    });
    return new Set(response.hits.hits.map((h) => h._id!));
  }

  async search(query: TweetQuery): Promise<TweetPage> {
    await this.ensureIndex();
    const filter: estypes.QueryDslQueryContainer[] = [];
    if (query.startMs !== undefined || query.endMs !== undefined) {
      filter.push({ range: { created_at: { gte: query.startMs, lte: query.endMs, format: 'epoch_millis' } } });
    }
    if (query.emotion) filter.push({ term: { 'emotion.label': query.emotion } });
    if (query.stance) filter.push({ term: { 'stance.label': query.stance } });

    const response = await this.client.search<TweetDocument>({
      index: this.index,
      size: query.limit + 1, // one extra hit tells whether another page exists
      track_total_hits: true,
      query: { bool: { filter } },
      // A total order: created_at alone ties, the id breaks ties, so search_after never skips or repeats.
      sort: [{ created_at: 'desc' }, { id: 'desc' }],
      ...(query.after ? { search_after: query.after } : {}),
    });
    const hasMore = response.hits.hits.length > query.limit;
    const hits = response.hits.hits.slice(0, query.limit);
    const total = typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
    const last = hits.at(-1);
    return {
      items: hits.map((h) => h._source!),
      total,
      next_cursor: hasMore && last?.sort ? encodeCursor(last.sort as CursorValues) : null,
    };
  }

  async refresh(): Promise<void> {
    await this.client.indices.refresh({ index: this.index });
  }

  async stats(): Promise<IndexStats> {
    if (!(await this.client.indices.exists({ index: this.index }))) return { exists: false, count: 0 };
    const { count } = await this.client.count({ index: this.index });
    return { exists: true, count };
  }
}
