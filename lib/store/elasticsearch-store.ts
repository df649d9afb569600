import { type Client, type estypes } from '@elastic/elasticsearch';
import type { Stats, Task, Tweet, TweetDocument, TweetPage } from '../domain';
import { BadRequestError } from '../errors';
import type { TweetLines } from '../tweet-lines';
import { bulkUpdate, jsonDocItems, updateItems, type BulkPolicy } from './bulk';
import { once, SINGLE_NODE, type IndexLayout } from './indices';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { ensureTweetsIndex } from './tweets-index';
import { encodeCursor, type CursorValues } from './cursor';
import { bucketOf, TWEETS_MAPPING } from './mapping';
import { otherLanguagesQuery, searchRequest, tweetFilters, untaggedQuery, untaggedSort } from './queries';
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

const writeResult = ({ written, failed }: WriteResult): WriteResult => ({ written, failed });
const total = (t: number | estypes.SearchTotalHits | undefined) => (typeof t === 'number' ? t : (t?.value ?? 0));

export interface TweetStoreOptions extends Partial<RetryPolicy> {
  /** Shards and replicas of the index, when this store creates it. */
  layout?: IndexLayout;
  /**
   * The client bulk writes go through: one whose request timeout is longer than the reads'. (A per-request timeout
   * that differs from its client's makes the transport abort every request in flight when it fires.)
   */
  bulkClient?: Client;
}

/**
 * Tweets in Elasticsearch, read and written through `index` (an alias: see ensureTweetsIndex). Requests that are
 * safe to repeat are retried while the cluster heals (a node died); what still fails throws.
 */
export class ElasticsearchTweetStore implements TweetStore {
  private readonly indexReady: () => Promise<void>;
  private readonly retry: RetryPolicy;
  private readonly bulk: BulkPolicy;
  private readonly bulkClient: Client;
  /** Set when a load re-ingests known tweets; each bulk load (setBulkLoading) starts with creates again. */
  private upsertOnly = false;

  constructor(
    private readonly client: Client,
    readonly index: string,
    options: TweetStoreOptions = {},
  ) {
    const { layout = SINGLE_NODE, bulkClient = client, ...retry } = options;
    this.retry = { ...DEFAULT_RETRY, ...retry };
    this.bulk = this.retry;
    this.bulkClient = bulkClient;
    this.indexReady = once(async () => void (await ensureTweetsIndex(client, index, TWEETS_MAPPING, layout)));
  }

  private again<T>(what: string, request: () => Promise<T>): Promise<T> {
    return withRetry(what, request, this.retry);
  }

  /** Idempotent: creates the index (and its alias) once per store, puts new fields; concurrent creation is fine. */
  ensureIndex(): Promise<void> {
    return this.indexReady();
  }

  /**
   * Creates first, upserts what exists: `create` costs the node about a third less than an upsert, and a load into
   * a new index is all creates. Ids that exist (409) are upserted right after, so stored tags survive. After a
   * batch that was mostly re-ingested tweets, the rest of the load upserts directly (no request twice).
   */
  async putTweets(tweets: TweetLines): Promise<WriteResult> {
    if (tweets.length === 0) return { written: 0, failed: [] };
    await this.ensureIndex();
    const { ids } = tweets;
    const docs = [...tweets.documents()];
    const bucket = (i: number) => `"bucket":${bucketOf(ids[i]!)}`;
    const upserts = jsonDocItems('upsert', ids, docs, bucket);
    const write = (items: typeof upserts, positions?: number[]) =>
      bulkUpdate(this.bulkClient, this.index, items, this.bulk, positions);
    if (this.upsertOnly) return writeResult(await write(upserts));
    const created = await write(jsonDocItems('create', ids, docs, bucket));
    if (created.conflicts.length === 0) return writeResult(created);
    if (created.conflicts.length > ids.length / 10) this.upsertOnly = true;
    const upserted = await write(upserts, created.conflicts);
    return { written: created.written + upserted.written, failed: [...created.failed, ...upserted.failed] };
  }

  async putResults<T extends Task>(task: T, updates: Array<ResultUpdate<T>>): Promise<WriteResult> {
    if (updates.length === 0) return { written: 0, failed: [] };
    await this.ensureIndex();
    // No upsert: a result for a tweet that is not in the index (deleted meanwhile) fails instead of creating half a document.
    const bodies = updates.map((u) => ({ id: u.id, body: { doc: { [task]: u.result } } }));
    return writeResult(await bulkUpdate(this.bulkClient, this.index, updateItems(bodies), this.bulk));
  }

  async findUntagged(q: UntaggedQuery): Promise<UntaggedPage> {
    await this.ensureIndex();
    // Never a partial page (a shard lost with its node): search_after would step over the missing tweets.
    const response = await this.again('find untagged', () =>
      this.client.search<Pick<Tweet, 'id' | 'content' | 'lang'>>({
        index: this.index,
        size: q.limit,
        _source: ['id', 'content', 'lang'],
        track_total_hits: false,
        allow_partial_search_results: false,
        query: untaggedQuery(q),
        sort: untaggedSort(q),
        ...(q.after ? { search_after: q.after as estypes.SortResults } : {}),
      }),
    );
    const hits = response.hits.hits;
    return {
      tweets: hits.map((h) => ({ id: h._source!.id, content: h._source!.content, lang: h._source!.lang })),
      next: hits.length === q.limit ? (hits.at(-1)?.sort as unknown[] | undefined) : undefined,
    };
  }

  async countUntagged(q: Omit<UntaggedQuery, 'limit' | 'after'>): Promise<number> {
    await this.ensureIndex();
    const counted = await this.again('count untagged', () =>
      this.client.count({ index: this.index, query: untaggedQuery(q) }),
    );
    if (counted._shards.failed > 0)
      throw new Error(`count over ${this.index}: ${counted._shards.failed} shards failed`);
    return counted.count;
  }

  async countOtherLanguages(q: Omit<UntaggedQuery, 'limit' | 'after'> & { langs: string[] }) {
    await this.ensureIndex();
    const response = await this.again('count other languages', () =>
      this.client.search({
        index: this.index,
        size: 0,
        query: otherLanguagesQuery(q),
        aggs: { langs: { terms: { field: 'lang', size: 200 } } },
      }),
    );
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
      ...searchRequest(query),
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
    await this.again('refresh', () => this.client.indices.refresh({ index: this.index }));
  }

  async stats(): Promise<IndexStats> {
    if (!(await this.client.indices.exists({ index: this.index }))) return { exists: false, count: 0 };
    const { count } = await this.client.count({ index: this.index });
    return { exists: true, count };
  }

  async setBulkLoading(on: boolean): Promise<void> {
    await this.ensureIndex();
    this.upsertOnly = false;
    // Refreshing every second costs about half the indexing rate of a large ingest; one refresh at the end suffices.
    const refresh_interval = (on ? '-1' : null) as unknown as string; // null = the default
    await this.again('bulk loading', () =>
      this.client.indices.putSettings({ index: this.index, settings: { refresh_interval } }),
    );
    if (!on) await this.refresh();
  }
}
