import { z } from 'zod';
import { TweetLines } from '../../lib/tweet-lines';
import { tweetDocumentSchema, type EmotionResult, type Tweet, type TweetDocument } from '../../lib/domain';
import { ElasticsearchLeaseStore, ElasticsearchTweetStore, TWEETS_MAPPING, decodeCursor } from '../../lib/store';
import { deleteIndex, rawClient } from '../support/es';
import { testIndex } from '../support/env';

const tweet = (id: string, day: number, content = `tweet ${id}`): Tweet => ({
  id,
  content,
  created_at: new Date(Date.UTC(2025, 0, day)).toISOString(),
  author: { username: 'u', handle: '@u', verified: false },
  hashtags: ['#Vote'],
  metrics: { retweets: 1, likes: 2 },
});

const emotion = (
  label: 'joy' | 'anger',
  revision = 'r1',
  classified_at = '2025-06-01T00:00:00.000Z',
): EmotionResult => ({
  label,
  score: 0.9,
  scores: {
    anger: label === 'anger' ? 0.9 : 0.01,
    disgust: 0.01,
    fear: 0.01,
    joy: label === 'joy' ? 0.9 : 0.01,
    neutral: 0.05,
    sadness: 0.01,
    surprise: 0.01,
  },
  model: 'm',
  revision,
  dtype: 'fp32',
  classified_at,
  inference_ms: 1,
});

const stance = {
  label: 'SUPPORT' as const,
  score: 0.7,
  scores: { SUPPORT: 0.7, OPPOSE: 0.2, NEUTRAL: 0.1 },
  model: 's',
  revision: 'r1',
  prompt_version: 'p1',
  method: 'label-likelihood',
  classified_at: '2025-06-01T00:00:00.000Z',
  inference_ms: 2,
};

const marker = { model: 'm', revision: 'r1' };

/** Field paths of a zod object schema and of a mapping, to compare the two. */
function schemaPaths(schema: z.ZodType, prefix = ''): string[] {
  const inner = schema instanceof z.ZodOptional || schema instanceof z.ZodNullable ? schema.unwrap() : schema;
  if (!(inner instanceof z.ZodObject)) return [prefix];
  return Object.entries(inner.shape).flatMap(([k, v]) => schemaPaths(v as z.ZodType, prefix ? `${prefix}.${k}` : k));
}
function mappingPaths(props: Record<string, { properties?: Record<string, unknown> }>, prefix = ''): string[] {
  return Object.entries(props).flatMap(([k, v]) =>
    v.properties ? mappingPaths(v.properties as never, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('the mapping and the domain schema', () => {
  it('list the same fields (plus the store-only partition bucket)', () => {
    const fromSchema = schemaPaths(tweetDocumentSchema).sort();
    const fromMapping = mappingPaths(TWEETS_MAPPING.properties as never)
      .filter((p) => p !== 'bucket')
      .sort();
    expect(fromMapping).toEqual(fromSchema);
  });
});

describe('Elasticsearch tweet store (real Elasticsearch)', () => {
  const index = testIndex('store');
  const fresh = () => new ElasticsearchTweetStore(rawClient(), index, { backoffMs: 10 });
  let store = fresh();
  afterAll(() => deleteIndex(index));
  beforeEach(async () => {
    await deleteIndex(index);
    store = fresh(); // a store creates its index once: a new one for a deleted index
  });
  const get = async (id: string) => (await rawClient().get<TweetDocument>({ index, id }))._source!;

  it('creates the index once with the strict mapping, even when asked concurrently', async () => {
    const other = new ElasticsearchTweetStore(rawClient(), index);
    await Promise.all([store.ensureIndex(), other.ensureIndex(), store.ensureIndex()]);
    const mapping = await rawClient().indices.getMapping({ index });
    expect(Object.keys(mapping)).toEqual([`${index}-000001`]); // written and read through the alias
    expect(mapping[`${index}-000001`]!.mappings.dynamic).toBe('strict');
    expect(await store.stats()).toEqual({ exists: true, count: 0 });
  });

  it('round-trips an id above 2^53 exactly, as _id and as a keyword', async () => {
    const id = '1790123456789012345';
    expect(await store.putTweets(TweetLines.fromTweets([tweet(id, 1)]))).toEqual({ written: 1, failed: [] });
    const doc = await rawClient().get<TweetDocument>({ index, id });
    expect(doc._id).toBe(id);
    expect(doc._source!.id).toBe(id);
  });

  it('re-ingesting tweet fields keeps the stored results; each task writes only its own field', async () => {
    await store.putTweets(TweetLines.fromTweets([tweet('a', 2), tweet('b', 3)]));
    await store.putResults('emotion', [{ id: 'a', result: emotion('joy') }]);
    await store.putResults('stance', [{ id: 'a', result: stance }]);
    await store.putTweets(TweetLines.fromTweets([tweet('a', 2, 'edited')]));
    const a = await get('a');
    expect(a).toMatchObject({ content: 'edited', emotion: { label: 'joy' }, stance: { label: 'SUPPORT' } });
    expect((await get('b')).emotion).toBeUndefined();
  });

  it('a result for a tweet that is not in the index fails for that tweet only', async () => {
    await store.putTweets(TweetLines.fromTweets([tweet('a', 2)]));
    const r = await store.putResults('emotion', [
      { id: 'a', result: emotion('joy') },
      { id: 'ghost', result: emotion('joy') },
    ]);
    expect(r.written).toBe(1);
    expect(r.failed).toEqual([{ id: 'ghost', reason: expect.stringContaining('document_missing_exception') }]);
    await store.refresh();
    expect(await store.stats()).toEqual({ exists: true, count: 1 });
  });

  it('finds untagged tweets by model marker and range, oldest first, paging with search_after', async () => {
    await store.putTweets(TweetLines.fromTweets([1, 2, 3, 4, 5].map((d) => tweet(`t${d}`, d))));
    await store.putResults('emotion', [
      { id: 't2', result: emotion('joy') },
      { id: 't4', result: emotion('joy', 'r0') },
    ]);
    await store.refresh();
    const first = await store.findUntagged({ task: 'emotion', marker, limit: 2 });
    expect(first.tweets.map((t) => t.id)).toEqual(['t1', 't3']);
    const second = await store.findUntagged({ task: 'emotion', marker, limit: 2, after: first.next });
    expect(second.tweets.map((t) => t.id)).toEqual(['t4', 't5']);
    expect(await store.countUntagged({ task: 'emotion', marker })).toBe(4);
    expect(
      await store.countUntagged({
        task: 'emotion',
        marker,
        startMs: Date.UTC(2025, 0, 3),
        endMs: Date.UTC(2025, 0, 4),
      }),
    ).toBe(2);
    expect(await store.countUntagged({ task: 'stance', marker })).toBe(5);
  });

  it('forced selection takes tweets not tagged since the call began, stalest tag first', async () => {
    await store.putTweets(TweetLines.fromTweets([1, 2, 3].map((d) => tweet(`t${d}`, d))));
    await store.putResults('emotion', [
      { id: 't1', result: emotion('joy', 'r1', '2025-06-02T00:00:00.000Z') },
      { id: 't2', result: emotion('joy', 'r1', '2025-06-01T00:00:00.000Z') },
      { id: 't3', result: emotion('joy', 'r1', '2030-01-01T00:00:00.000Z') },
    ]);
    await store.refresh();
    const page = await store.findUntagged({
      task: 'emotion',
      marker,
      limit: 10,
      forceBefore: '2026-01-01T00:00:00.000Z',
    });
    expect(page.tweets.map((t) => t.id)).toEqual(['t2', 't1']);
  });

  it('partitions by id hash are disjoint and cover every tweet', async () => {
    await store.putTweets(TweetLines.fromTweets(Array.from({ length: 60 }, (_, i) => tweet(`p${i}`, 1 + (i % 20)))));
    await store.refresh();
    const slice = async (index: number) =>
      (await store.findUntagged({ task: 'emotion', marker, limit: 100, partition: { index, count: 3 } })).tweets.map(
        (t) => t.id,
      );
    const parts = await Promise.all([0, 1, 2].map(slice));
    expect(parts.every((p) => p.length > 0)).toBe(true);
    expect(new Set(parts.flat()).size).toBe(60);
    expect(parts.flat()).toHaveLength(60);
  });

  it('filters /tweets by date range (inclusive), labels, and tagged state', async () => {
    await store.putTweets(TweetLines.fromTweets([tweet('a', 2), tweet('b', 3), tweet('c', 4)]));
    await store.putResults('emotion', [
      { id: 'a', result: emotion('joy') },
      { id: 'b', result: emotion('anger') },
    ]);
    await store.putResults('stance', [{ id: 'b', result: stance }]);
    await store.refresh();
    const ids = async (q: Parameters<typeof store.search>[0]) => (await store.search(q)).items.map((d) => d.id);
    expect(await ids({ limit: 10, startMs: Date.UTC(2025, 0, 2), endMs: Date.UTC(2025, 0, 3) })).toEqual(['b', 'a']);
    expect(await ids({ limit: 10, emotion: 'joy' })).toEqual(['a']);
    expect(await ids({ limit: 10, tagged: 'emotion' })).toEqual(['b', 'a']);
    expect(await ids({ limit: 10, tagged: 'stance' })).toEqual(['b']);
    expect(await ids({ limit: 10, tagged: 'both' })).toEqual(['b']);
    expect(await ids({ limit: 10, tagged: 'none' })).toEqual(['c']);
    expect((await store.search({ limit: 10 })).items[0]).not.toHaveProperty('bucket');
  });

  it('pauses refreshes while bulk loading and restores them after', async () => {
    await store.setBulkLoading(true);
    const settings = async () =>
      Object.values(await rawClient().indices.getSettings({ index }))[0]!.settings!.index!.refresh_interval;
    expect(await settings()).toBe('-1');
    await store.setBulkLoading(false);
    expect(await settings()).toBeUndefined();
  });
});

describe('leases (real Elasticsearch)', () => {
  const index = testIndex('leases');
  let now = Date.UTC(2025, 0, 1);
  const leases = new ElasticsearchLeaseStore(rawClient(), index, () => now);
  afterAll(() => deleteIndex(index));
  const a = { holder: 'a', description: 'run a' };
  const b = { holder: 'b', description: 'run b' };

  it('one of two concurrent acquirers wins; the other is told who holds it', async () => {
    const results = await Promise.all([leases.acquire('x', a, 1000), leases.acquire('x', b, 1000)]);
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    const loser = results.find((r) => !r.acquired) as { heldBy: { holder: string } };
    const winner = results.find((r) => r.acquired) as { lease: { holder: string } };
    expect(loser.heldBy.holder).toBe(winner.lease.holder);
    await leases.release('x', winner.lease.holder);
  });

  it('renews while held, expires when not renewed, and a lost lease cannot be renewed', async () => {
    expect((await leases.acquire('y', a, 1000)).acquired).toBe(true);
    now += 900;
    expect(await leases.renew('y', 'a', 1000)).toBe(true);
    now += 900;
    expect((await leases.acquire('y', b, 1000)).acquired).toBe(false); // renewed: still a's
    now += 200;
    expect((await leases.acquire('y', b, 1000)).acquired).toBe(true); // expired: b takes over
    expect(await leases.renew('y', 'a', 1000)).toBe(false);
    await leases.release('y', 'a'); // not a's any more: nothing happens
    expect((await leases.acquire('y', a, 1000)).acquired).toBe(false);
    expect((await leases.acquire('y', b, 1000)).acquired).toBe(true); // b again (a new process of the same job): its own
    await leases.release('y', 'b');
    expect((await leases.acquire('y', a, 1000)).acquired).toBe(true);
  });
});

describe('paging past 10,000 documents (real Elasticsearch)', () => {
  const index = testIndex('paging');
  const store = new ElasticsearchTweetStore(rawClient(), index);
  const N = 10_050;
  afterAll(() => deleteIndex(index));

  it('visits every document exactly once with search_after cursors', async () => {
    // Many share a created_at, so only the id tiebreak keeps the order total.
    const docs = Array.from({ length: N }, (_, i) => tweet(String(100000 + i), 1 + (i % 7)));
    for (let i = 0; i < N; i += 2000)
      expect((await store.putTweets(TweetLines.fromTweets(docs.slice(i, i + 2000)))).failed).toEqual([]);
    await store.refresh();
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await store.search({ limit: 1000, after: cursor ? decodeCursor(cursor) : undefined });
      expect(page.total).toBe(N);
      for (const d of page.items) seen.add(d.id);
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(11);
    expect(seen.size).toBe(N);
  });
});
