import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { Stats, Task, Tweet, TweetDocument, TweetPage } from '../domain';
import { BadRequestError } from '../errors';
import { bulkUpdate, type BulkOptions } from './bulk';
import { encodeCursor, type CursorValues } from './cursor';
import { bucketOf, TWEETS_MAPPING, TWEETS_SETTINGS } from './mapping';
import { tweetFilters, tweetSort, untaggedQuery, untaggedSort } from './queries';
import { parseStats, statsRequest } from './stats-query';
import type {
  FileFingerprint,
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
  private indexReady?: Promise<void>;
  private readonly bulk: BulkOptions;

  constructor(
    private readonly client: Client,
    readonly index: string,
    options: Partial<BulkOptions> = {},
  ) {
    this.bulk = { attempts: options.attempts ?? 4, backoffMs: options.backoffMs ?? 200 };
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
    if (!(await this.client.indices.exists({ index: this.index }))) {
      try {
        await this.client.indices.create({ index: this.index, mappings: TWEETS_MAPPING, settings: TWEETS_SETTINGS });
      } catch (error) {
        if (!(error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception'))
          throw error;
      }
    }
    // An index another process (or store) created a moment ago may not be searchable yet: a search would fail
    // with 503 (no_shard_available_action_exception), even once the health is yellow. Once per store, wait
    // until its shard has started and the cluster state carrying it is applied.
    await this.client.cluster.health({
      index: this.index,
      wait_for_status: 'yellow',
      wait_for_no_initializing_shards: true,
      wait_for_events: 'languid',
      timeout: '30s',
    });
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
    const response = await this.client.search<Pick<Tweet, 'id' | 'content'>>({
      index: this.index,
      size: q.limit,
      _source: ['id', 'content'],
      track_total_hits: false,
      query: untaggedQuery(q),
      sort: untaggedSort(q),
      ...(q.after ? { search_after: q.after as estypes.SortResults } : {}),
    });
    const hits = response.hits.hits;
    return {
      tweets: hits.map((h) => ({ id: h._source!.id, content: h._source!.content })),
      next: hits.length === q.limit ? (hits.at(-1)?.sort as unknown[] | undefined) : undefined,
    };
  }

  async countUntagged(q: Omit<UntaggedQuery, 'limit' | 'after'>): Promise<number> {
    await this.ensureIndex();
    return (await this.client.count({ index: this.index, query: untaggedQuery(q) })).count;
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

  /** Fingerprints live in the index's own `_meta`, so deleting the index forgets them too. */
  async getFingerprint(path: string): Promise<FileFingerprint | undefined> {
    await this.ensureIndex();
    return (await this.files())[path];
  }

  async putFingerprint(fingerprint: FileFingerprint): Promise<void> {
    await this.ensureIndex();
    const files = { ...(await this.files()), [fingerprint.path]: fingerprint };
    await this.client.indices.putMapping({ index: this.index, _meta: { files } });
  }

  private async files(): Promise<Record<string, FileFingerprint>> {
    const response = await this.client.indices.getMapping({ index: this.index });
    const meta = Object.values(response)[0]?.mappings._meta as { files?: Record<string, FileFingerprint> } | undefined;
    return meta?.files ?? {};
  }
}
