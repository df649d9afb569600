import { EMOTION_LABELS, STANCE_LABELS } from '../../lib/domain';
import { computeStats } from '../../lib/pipeline/stats';
import type { TweetSort } from '../../lib/domain';
import { decodeCursor, ElasticsearchTweetStore, type TweetFilter } from '../../lib/store';
import { deleteIndex, rawClient } from '../support/es';
import { testIndex } from '../support/env';
import { loadTagged } from '../support/load-tagged';
import { emotionOf, stanceOf, taggedDataset, taggedTweet, TAGGED_COUNT } from '../support/tagged-tweets';

const index = testIndex('analyst');
const store = new ElasticsearchTweetStore(rawClient(), index);
const ALL = taggedDataset();
const idsOf = (items: Array<{ id: string }>) => items.map((t) => t.id);
const expectIds = (pick: (i: number) => boolean) => ALL.filter(pick).map((i) => taggedTweet(i).id);

beforeAll(() => loadTagged(store));
afterAll(() => deleteIndex(index));

/** Every matching tweet through the store's own paging, in its order. */
async function all(filter: TweetFilter & { sort?: TweetSort }, limit = 7): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.search({ ...filter, limit, after: cursor ? decodeCursor(cursor) : undefined });
    ids.push(...idsOf(page.items));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

describe('GET /stats over a tagged dataset, against /tweets with the same filters', () => {
  const filters: TweetFilter[] = [
    {},
    { emotion: 'joy' },
    { stance: 'OPPOSE' },
    { hashtag: '#vote' },
    { author: 'ALICE' },
    { text: 'taxes' },
    { emotion: 'anger', minScore: 0.5 },
    { startMs: Date.UTC(2025, 0, 1), endMs: Date.UTC(2025, 0, 31, 23, 59, 59, 999) },
  ];

  it.each(filters)('%j: total, per-label counts and the matrix agree with /tweets totals', async (filter) => {
    const stats = await computeStats(store, filter, { top: 10 });
    const count = async (f: TweetFilter) => (await store.search({ ...filter, ...f, limit: 1 })).total;
    expect(stats.total).toBe(await count({}));
    expect(stats.tagged).toEqual({
      emotion: await count({ tagged: 'emotion' }),
      stance: await count({ tagged: 'stance' }),
      both: await count({ tagged: 'both' }),
    });
    for (const e of EMOTION_LABELS) if (!filter.emotion) expect(stats.emotion[e]).toBe(await count({ emotion: e }));
    // A label filter already fixes that label: counting another one under it would combine two label filters.
    for (const s of STANCE_LABELS) if (!filter.stance) expect(stats.stance[s]).toBe(await count({ stance: s }));
    const free = !filter.emotion && !filter.stance;
    for (const e of EMOTION_LABELS)
      for (const s of STANCE_LABELS) if (free) expect(stats.matrix[e][s]).toBe(await count({ emotion: e, stance: s }));
    expect(stats.timeline.buckets.reduce((n, b) => n + b.total, 0)).toBe(stats.total);
  });

  it('has the known counts, timeline, top lists, mean scores and both model revisions', async () => {
    const stats = await computeStats(store, {}, { top: 3, interval: 'month' });
    expect(stats.total).toBe(TAGGED_COUNT);
    expect(stats.tagged.emotion).toBe(ALL.filter((i) => emotionOf(i)).length);
    expect(stats.timeline.interval).toBe('month');
    expect(stats.timeline.buckets.map((b) => [b.start, b.total])).toEqual([
      ['2025-01-01T00:00:00.000Z', ALL.filter((i) => taggedTweet(i).created_at < '2025-02').length],
      ['2025-02-01T00:00:00.000Z', ALL.filter((i) => taggedTweet(i).created_at.startsWith('2025-02')).length],
      ['2025-03-01T00:00:00.000Z', ALL.filter((i) => taggedTweet(i).created_at.startsWith('2025-03')).length],
    ]);
    const vote = ALL.filter((i) => taggedTweet(i).hashtags.includes('#Vote')).length;
    expect(stats.hashtags.top).toContainEqual({ key: '#Vote', count: vote });
    expect(stats.hashtags.top).toHaveLength(3);
    expect(stats.authors).toContainEqual({ key: 'alice', count: 6 });
    const joy = ALL.map(emotionOf)
      .filter((e) => e?.label === 'joy')
      .map((e) => e!.score);
    expect(stats.mean_score.emotion.joy).toBeCloseTo(joy.reduce((a, b) => a + b, 0) / joy.length, 3);
    expect(stats.models.emotion.map((m) => m.revision).sort()).toEqual(['rev-a', 'rev-b']);
    expect(stats.models.emotion.reduce((n, m) => n + m.count, 0)).toBe(stats.tagged.emotion);
    expect(stats.models.stance).toEqual([
      { model: 'fixture/stance', revision: 'rev-s', prompt_version: 'stance-v2', count: stats.tagged.stance },
    ]);
  });

  it('picks the interval from the range: day for a month, week for the data’s ten weeks', async () => {
    expect(
      (await computeStats(store, { startMs: Date.UTC(2025, 0, 1), endMs: Date.UTC(2025, 0, 31) }, { top: 5 })).timeline
        .interval,
    ).toBe('day');
    expect((await computeStats(store, {}, { top: 5 })).timeline.interval).toBe('week');
  });

  it('answers concurrent first calls on a missing index (two stores, as two handlers would)', async () => {
    const name = testIndex('analyst-race');
    const [a, b] = [new ElasticsearchTweetStore(rawClient(), name), new ElasticsearchTweetStore(rawClient(), name)];
    try {
      const results = await Promise.all([
        computeStats(a, {}, { top: 3 }),
        b.search({ limit: 1 }),
        a.search({ limit: 1 }),
      ]);
      expect(results.map((r) => r.total)).toEqual([0, 0, 0]);
    } finally {
      await deleteIndex(name);
    }
  });

  it('answers zeros on an empty index', async () => {
    const empty = new ElasticsearchTweetStore(rawClient(), testIndex('analyst-empty'));
    try {
      const stats = await computeStats(empty, {}, { top: 5 });
      expect(stats).toMatchObject({
        total: 0,
        tagged: { emotion: 0, stance: 0, both: 0 },
        timeline: { buckets: [] },
        models: { emotion: [] },
      });
      expect(stats.emotion.joy).toBe(0);
    } finally {
      await deleteIndex(empty.index);
    }
  });
});

describe('GET /tweets analyst filters and sorts', () => {
  it('q is full-text on the content (every word)', async () => {
    expect((await all({ text: 'taxes' })).sort()).toEqual(expectIds((i) => i % 5 === 0).sort());
    expect((await all({ text: 'healthcare taxes' })).sort()).toEqual(
      expectIds((i) => i % 5 === 0 && i % 4 === 1).sort(),
    );
  });

  it('hashtag and author match case-insensitively', async () => {
    expect((await all({ hashtag: '#VOTE' })).sort()).toEqual(
      expectIds((i) => taggedTweet(i).hashtags.includes('#Vote')).sort(),
    );
    expect((await all({ author: 'Bob' })).sort()).toEqual(expectIds((i) => i % 4 === 1).sort());
  });

  it('min_score bounds the score of the label filtered on', async () => {
    const anger = (min: number) => expectIds((i) => emotionOf(i)?.label === 'anger' && emotionOf(i)!.score >= min);
    expect((await all({ emotion: 'anger', minScore: 0.6 })).sort()).toEqual(anger(0.6).sort());
    expect(anger(0.6).length).toBeLessThan(anger(0).length);
    const both = expectIds((i) => stanceOf(i)?.label === 'SUPPORT' && stanceOf(i)!.score >= 0.6);
    expect((await all({ stance: 'SUPPORT', minScore: 0.6 })).sort()).toEqual(both.sort());
  });

  it.each([
    ['newest', (a: number, b: number) => b - a],
    ['oldest', (a: number, b: number) => a - b],
    ['likes', (a: number, b: number) => taggedTweet(b).metrics.likes - taggedTweet(a).metrics.likes || b - a],
    ['retweets', (a: number, b: number) => taggedTweet(b).metrics.retweets - taggedTweet(a).metrics.retweets || b - a],
  ] as const)('sort=%s pages by cursor in exactly that order', async (sort, order) => {
    expect(await all({ sort })).toEqual([...ALL].sort(order).map((i) => taggedTweet(i).id));
  });

  it('refuses a cursor of another sort', async () => {
    const page = await store.search({ limit: 2, sort: 'likes' });
    await expect(
      store.search({ limit: 2, sort: 'newest', after: decodeCursor(page.next_cursor!) }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
