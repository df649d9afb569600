import { ElasticsearchTweetStore, decodeCursor, type TweetDocument } from '../../lib/search';
import type { Tweet } from '../../lib/dataset';
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

const emotion = (label: 'joy' | 'anger', revision = 'r1') => ({
  label,
  score: 0.9,
  scores: { anger: label === 'anger' ? 0.9 : 0.01, disgust: 0.01, fear: 0.01, joy: label === 'joy' ? 0.9 : 0.01, neutral: 0.05, sadness: 0.01, surprise: 0.01 },
  model: 'm',
  revision,
  dtype: 'fp32',
  classified_at: '2025-06-01T00:00:00.000Z',
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

describe('Elasticsearch tweet store (real Elasticsearch)', () => {
  const index = testIndex('store');
  const store = new ElasticsearchTweetStore(rawClient(), index, { backoffMs: 10 });
  afterAll(() => deleteIndex(index));

  it('creates the index once with the strict mapping, even when asked concurrently', async () => {
    const fresh = new ElasticsearchTweetStore(rawClient(), index);
    const other = new ElasticsearchTweetStore(rawClient(), index);
    await Promise.all([fresh.ensureIndex(), other.ensureIndex(), fresh.ensureIndex()]);
    const mapping = await rawClient().indices.getMapping({ index });
    expect(mapping[index]!.mappings.dynamic).toBe('strict');
    expect(mapping[index]!.mappings.properties!.id).toEqual({ type: 'keyword' });
    expect(await fresh.stats()).toEqual({ exists: true, count: 0 });
  });

  it('round-trips an id above 2^53 exactly, as _id and as a keyword', async () => {
    const id = '1790123456789012345';
    expect((await store.upsert([tweet(id, 1)])).written).toEqual([id]);
    const doc = await rawClient().get<TweetDocument>({ index, id });
    expect(doc._id).toBe(id);
    expect(doc._source!.id).toBe(id);
  });

  it('merges emotion and stance into one document, in either order', async () => {
    await store.upsert([{ ...tweet('a', 2), emotion: emotion('joy') }]);
    await store.upsert([{ ...tweet('a', 2), stance }]);
    await store.upsert([{ ...tweet('b', 3), stance }]);
    await store.upsert([{ ...tweet('b', 3), emotion: emotion('anger') }]);
    for (const id of ['a', 'b']) {
      const doc = (await rawClient().get<TweetDocument>({ index, id }))._source!;
      expect(doc.emotion?.label).toBeDefined();
      expect(doc.stance?.label).toBe('SUPPORT');
    }
  });

  it('finds the already-classified tweets of a batch in one query, by model marker', async () => {
    await store.refresh();
    expect([...(await store.findClassified(['a', 'b', 'zzz'], 'emotion', { model: 'm', revision: 'r1' }))].sort()).toEqual(['a', 'b']);
    expect(await store.findClassified(['a', 'b'], 'emotion', { model: 'm', revision: 'r2' })).toEqual(new Set());
    expect(await store.findClassified(['a', '1790123456789012345'], 'stance', { model: 's', revision: 'r1', prompt_version: 'p1' })).toEqual(new Set(['a']));
  });

  it('reports a rejected document per item and still writes the others', async () => {
    const bad = { ...tweet('bad', 4), unexpected_field: 1 } as unknown as TweetDocument;
    const result = await store.upsert([tweet('good', 4), bad]);
    expect(result.written).toEqual(['good']);
    expect(result.failed).toEqual([{ id: 'bad', reason: expect.stringContaining('strict_dynamic_mapping_exception') }]);
  });

  it('filters by date range (inclusive) and by labels', async () => {
    await store.refresh();
    const jan2 = Date.UTC(2025, 0, 2);
    const page = await store.search({ limit: 10, startMs: jan2, endMs: Date.UTC(2025, 0, 3) });
    expect(page.items.map((d) => d.id)).toEqual(['b', 'a']); // newest first
    expect((await store.search({ limit: 10, emotion: 'joy' })).items.map((d) => d.id)).toEqual(['a']);
    expect((await store.search({ limit: 10, stance: 'SUPPORT' })).total).toBe(2);
  });
});

describe('paging past 10,000 documents (real Elasticsearch)', () => {
  const index = testIndex('paging');
  const store = new ElasticsearchTweetStore(rawClient(), index);
  const N = 10_050;
  afterAll(() => deleteIndex(index));

  it('visits every document exactly once with search_after cursors', async () => {
    await store.ensureIndex();
    // Many share a created_at, so only the id tiebreak keeps the order total.
    const docs = Array.from({ length: N }, (_, i) => tweet(String(100000 + i), 1 + (i % 7)));
    for (let i = 0; i < N; i += 2000) {
      const r = await store.upsert(docs.slice(i, i + 2000));
      expect(r.failed).toEqual([]);
    }
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
