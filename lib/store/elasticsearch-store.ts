import { type Client, type estypes } from '@elastic/elasticsearch';
import type { Stats, Task, Tweet, TweetDocument, TweetPage } from '../domain';
import { BadRequestError } from '../errors';
import { bulkUpdate, type BulkOptions } from './bulk';
import { indexOnce } from './indices';
import { encodeCursor, type CursorValues } from './cursor';
import { bucketOf, TWEETS_MAPPING } from './mapping';
import { otherLanguagesQuery, tweetFilters, tweetSort, untaggedQuery, untaggedSort } from './queries';
import { parseStats, statsRequest } from './stats-query';
import type {
  IndexStats,
  ResultUpdate,
  StatsQuery,
  TweetFilter,
  TweetQuery,
  TweetStore,
  UntaggedPage,
  UntaggedQuery,
  WriteResult,
} from './types';

const total = (t: number | estypes.SearchTotalHits | undefined) => (typeof t === 'number' ? t : (t?.value ?? 0));

export class ElasticsearchTweetStore implements TweetStore {
  private readonly indexReady: () => Promise<void>;
  private readonly bulk: BulkOptions;

  constructor(
    private readonly client: Client,
    readonly index: string,
    options: Partial<BulkOptions> = {},
  ) {
    this.bulk = {
      attempts: options.attempts ?? 4,
      backoffMs: options.backoffMs ?? 200,
      requestTimeoutMs: options.requestTimeoutMs,
    };
    this.indexReady = indexOnce(client, index, TWEETS_MAPPING);
  }

  /** Idempotent: creates the index once per store; an index created concurrently is fine. */
  ensureIndex(): Promise<void> {
    return this.indexReady();
  }

  async putTweets(tweets: Tweet[]): Promise<WriteResult> {
    if (tweets.length === 0) return { written: 0, failed: [] };
    await this.ensureIndex();
    const updates = tweets.map((t) => ({
      id: t.id,
      body: { doc: { ...t, bucket: bucketOf(t.id) }, doc_as_upsert: true },
    }));
    return bulkUpdate(this.client, this.index, updates, this.bulk);
  }

  async putResults<T extends Task>(task: T, updates: Array<ResultUpdate<T>>): Promise<WriteResult> {
    if (updates.length === 0) return { written: 0, failed: [] };
    await this.ensureIndex();
    // No upsert: a result for a tweet that is not in the index (deleted meanwhile) fails instead of creating half a document.
    const bodies = updates.map((u) => ({ id: u.id, body: { doc: { [task]: u.result } } }));
    return bulkUpdate(this.client, this.index, bodies, this.bulk);
  }

  async findUntagged(q: UntaggedQuery): Promise<UntaggedPage> {
    await this.ensureIndex();
    const response = await this.client.search<Pick<Tweet, 'id' | 'content' | 'lang'>>({
      index: this.index,
      size: q.limit,
      _source: ['id', 'content', 'lang'],
      track_total_hits: false,
      query: untaggedQuery(q),
      sort: untaggedSort(q),
      ...(q.after ? { search_after: q.after as estypes.SortResults } : {}),
    });
    const hits = response.hits.hits;
    return {
      tweets: hits.map((h) => ({ id: h._source!.id, content: h._source!.content, lang: h._source!.lang })),
      next: hits.length === q.limit ? (hits.at(-1)?.sort as unknown[] | undefined) : undefined,
    };
  }

  async countUntagged(q: Omit<UntaggedQuery, 'limit' | 'after'>): Promise<number> {
    await this.ensureIndex();
    return (await this.client.count({ index: this.index, query: untaggedQuery(q) })).count;
  }

  async countOtherLanguages(q: Omit<UntaggedQuery, 'limit' | 'after'> & { langs: string[] }) {
    await this.ensureIndex();
    const response = await this.client.search({
      index: this.index,
      size: 0,
      query: otherLanguagesQuery(q),
      aggs: { langs: { terms: { field: 'lang', size: 200 } } },
    });
    const buckets = (response.aggregations?.langs as { buckets: Array<{ key: string; doc_count: number }> }).buckets;
    return Object.fromEntries(buckets.map((b) => [b.key, b.doc_count]));
  }

  async search(query: TweetQuery): Promise<TweetPage> {
    await this.ensureIndex();
    const sort = query.sort ?? 'newest';
    if (query.after && query.after.sort !== sort)
      throw new BadRequestError(`A ${query.after.sort} cursor cannot page sort=${sort}`);
    const response = await this.client.search<TweetDocument & { bucket?: number }>({
      index: this.index,
      size: query.limit + 1, // one extra hit tells whether another page exists
      track_total_hits: true,
      _source: { excludes: ['bucket'] },
      query: { bool: { filter: tweetFilters(query) } },
      sort: tweetSort(sort),
      ...(query.after ? { search_after: query.after.values } : {}),
    });
    const hasMore = response.hits.hits.length > query.limit;
    const hits = response.hits.hits.slice(0, query.limit);
    const last = hits.at(-1);
    return {
      items: hits.map((h) => h._source!),
      total: total(response.hits.total),
      next_cursor: hasMore && last?.sort ? encodeCursor(last.sort as CursorValues, sort) : null,
    };
  }

  async aggregate(query: StatsQuery): Promise<Stats> {
    await this.ensureIndex();
    return parseStats(query, await this.client.search({ index: this.index, ...statsRequest(query) }));
  }

  async dateExtent(filter: TweetFilter): Promise<{ minMs: number; maxMs: number } | undefined> {
    await this.ensureIndex();
    const response = await this.client.search({
      index: this.index,
      size: 0,
      query: { bool: { filter: tweetFilters(filter) } },
      aggs: { min: { min: { field: 'created_at' } }, max: { max: { field: 'created_at' } } },
    });
    const a = response.aggregations as Record<'min' | 'max', { value: number | null }> | undefined;
    return a?.min.value == null || a.max.value == null ? undefined : { minMs: a.min.value, maxMs: a.max.value };
  }

  async refresh(): Promise<void> {
    await this.client.indices.refresh({ index: this.index });
  }

  async stats(): Promise<IndexStats> {
    if (!(await this.client.indices.exists({ index: this.index }))) return { exists: false, count: 0 };
    const { count } = await this.client.count({ index: this.index });
    return { exists: true, count };
  }

  async setBulkLoading(on: boolean): Promise<void> {
    await this.ensureIndex();
    // Refreshing every second costs about half the indexing rate of a large ingest; one refresh at the end suffices.
    await this.client.indices.putSettings({
      index: this.index,
      settings: { refresh_interval: (on ? '-1' : null) as unknown as string },
    }); // null = the default
    if (!on) await this.refresh();
  }
}
