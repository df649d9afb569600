import type { Stats, Task, TweetDocument, TweetPage } from '../domain';
import { BadRequestError } from '../errors';
import type { TweetLines } from '../tweet-lines';
import { encodeCursor } from './cursor';
import { bucketOf } from './mapping';
import { compareForSort, matchesFilter, memoryStats, sortKey } from './memory-filter';
import { NEVER_TAGGED_MS } from './queries';
import type {
  ClassificationMarker,
  IndexStats,
  Lease,
  LeaseHolder,
  LeaseStore,
  ResultUpdate,
  StatsQuery,
  TweetFilter,
  TweetQuery,
  TweetStore,
  UntaggedPage,
  UntaggedQuery,
  WriteResult,
} from './types';

type Doc = TweetDocument & { bucket: number };
const ms = (d: { created_at: string }) => Date.parse(d.created_at);
const inRange = (d: Doc, startMs?: number, endMs?: number) =>
  (startMs === undefined || ms(d) >= startMs) && (endMs === undefined || ms(d) <= endMs);
const matches = (result: object | undefined, marker: ClassificationMarker) =>
  !!result && Object.entries(marker).every(([k, v]) => (result as Record<string, unknown>)[k] === v);
/** Lexicographic order of sort values, like search_after. */
const compareKeys = (a: unknown[], b: unknown[]): number => {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i] as string | number, b[i] as string | number];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};
const byAge = (a: Doc, b: Doc) => ms(a) - ms(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The TweetStore and LeaseStore contracts in memory, for the pipeline's unit tests: same semantics as the
 * Elasticsearch adapter (partial updates, untagged selection, leases), none of its I/O.
 */
export class InMemoryTweetStore implements TweetStore, LeaseStore {
  readonly docs = new Map<string, Doc>();
  readonly leases = new Map<string, Lease>();
  /** Set to make every call fail like a store that is down. */
  down = false;
  writes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private check() {
    if (this.down) throw new Error('store is down');
  }

  async ensureIndex() {
    this.check();
  }

  async putTweets(lines: TweetLines): Promise<WriteResult> {
    this.check();
    this.writes++;
    const tweets = lines.decode();
    for (const t of tweets)
      this.docs.set(t.id, { ...this.docs.get(t.id), ...structuredClone(t), bucket: bucketOf(t.id) });
    return { written: tweets.length, failed: [] };
  }

  async putResults<T extends Task>(task: T, updates: Array<ResultUpdate<T>>): Promise<WriteResult> {
    this.check();
    this.writes++;
    const result: WriteResult = { written: 0, failed: [] };
    for (const u of updates) {
      const doc = this.docs.get(u.id);
      if (!doc) {
        result.failed.push({ id: u.id, reason: 'document_missing_exception' });
        continue;
      }
      (doc as Record<string, unknown>)[task] = structuredClone(u.result);
      result.written++;
    }
    return result;
  }

  private untagged(q: Omit<UntaggedQuery, 'limit' | 'after'>): Doc[] {
    const done = (d: Doc) => {
      const r = d[q.task];
      return q.forceBefore ? !!r && r.classified_at >= q.forceBefore : matches(r, q.marker);
    };
    const inLangs = (d: Doc) => !q.langs || d.lang === undefined || q.langs.includes(d.lang);
    return this.inSlice(q).filter((d) => inLangs(d) && !done(d));
  }

  private inSlice(q: Pick<UntaggedQuery, 'startMs' | 'endMs' | 'partition'>): Doc[] {
    const inPartition = (d: Doc) => !q.partition || d.bucket % q.partition.count === q.partition.index;
    return [...this.docs.values()].filter((d) => inRange(d, q.startMs, q.endMs) && inPartition(d));
  }

  async countOtherLanguages(q: Omit<UntaggedQuery, 'limit' | 'after'> & { langs: string[] }) {
    this.check();
    const counts: Record<string, number> = {};
    for (const d of this.inSlice(q))
      if (d.lang !== undefined && !q.langs.includes(d.lang)) counts[d.lang] = (counts[d.lang] ?? 0) + 1;
    return counts;
  }

  async findUntagged(q: UntaggedQuery): Promise<UntaggedPage> {
    this.check();
    // The sort values Elasticsearch returns: classified_at as epoch ms, never tagged as NEVER_TAGGED_MS.
    const stale = (d: Doc) => {
      const at = d[q.task]?.classified_at;
      return at === undefined ? NEVER_TAGGED_MS : Date.parse(at);
    };
    const sorted = this.untagged(q).sort((a, b) => (q.forceBefore ? stale(a) - stale(b) : 0) || byAge(a, b));
    const key = (d: Doc) => (q.forceBefore ? [stale(d), ms(d), d.id] : [ms(d), d.id]);
    const page = sorted.filter((d) => !q.after || compareKeys(key(d), q.after) > 0).slice(0, q.limit);
    return {
      tweets: page.map((d) => ({ id: d.id, content: d.content, lang: d.lang })),
      next: page.length === q.limit ? key(page.at(-1)!) : undefined,
    };
  }

  async countUntagged(q: Omit<UntaggedQuery, 'limit' | 'after'>): Promise<number> {
    this.check();
    return this.untagged(q).length;
  }

  async search(q: TweetQuery): Promise<TweetPage> {
    this.check();
    const sort = q.sort ?? 'newest';
    if (q.after && q.after.sort !== sort)
      throw new BadRequestError(`A ${q.after.sort} cursor cannot page sort=${sort}`);
    const order = compareForSort(sort);
    const hits = [...this.docs.values()].filter((d) => matchesFilter(d, q)).sort(order);
    const after = q.after?.values;
    const start = after
      ? hits.findIndex((d) => compareKeys(sortKey(d, sort), after) * (sort === 'oldest' ? 1 : -1) > 0)
      : 0;
    const from = start < 0 ? hits.length : start;
    const page = hits.slice(from, from + q.limit);
    const last = page.at(-1);
    const more = from + q.limit < hits.length;
    return {
      items: page.map(({ bucket: _bucket, ...d }) => structuredClone(d)),
      total: hits.length,
      next_cursor: more && last ? encodeCursor(sortKey(last, sort), sort) : null,
    };
  }

  async aggregate(q: StatsQuery): Promise<Stats> {
    this.check();
    return memoryStats(
      [...this.docs.values()].filter((d) => matchesFilter(d, q)),
      q,
    );
  }

  async dateExtent(filter: TweetFilter) {
    this.check();
    const times = [...this.docs.values()].filter((d) => matchesFilter(d, filter)).map((d) => ms(d));
    return times.length ? { minMs: Math.min(...times), maxMs: Math.max(...times) } : undefined;
  }

  async refresh() {
    this.check();
  }

  async stats(): Promise<IndexStats> {
    this.check();
    return { exists: true, count: this.docs.size };
  }

  async setBulkLoading() {
    this.check();
  }

  async acquire(name: string, who: LeaseHolder, ttlMs: number) {
    this.check();
    const current = this.leases.get(name);
    const live = current && Date.parse(current.expires_at) > this.now();
    if (live && current.holder !== who.holder) return { acquired: false as const, heldBy: current };
    const now = this.now();
    const lease = {
      name,
      ...who,
      acquired_at: new Date(now).toISOString(),
      expires_at: new Date(now + ttlMs).toISOString(),
    };
    this.leases.set(name, lease);
    return { acquired: true as const, lease };
  }

  async renew(name: string, holder: string, ttlMs: number) {
    this.check();
    const current = this.leases.get(name);
    if (current?.holder !== holder) return false;
    current.expires_at = new Date(this.now() + ttlMs).toISOString();
    return true;
  }

  async release(name: string, holder: string) {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }
}
