import { EXPORT_COLUMNS } from '../../lib/pipeline/rows';
import { ElasticsearchTweetStore } from '../../lib/store';
import { deleteIndex, rawClient } from '../support/es';
import { API_PORT, FIXTURES, testIndex } from '../support/env';
import { loadTagged } from '../support/load-tagged';
import { startOffline, type OfflineServer } from '../support/offline';
import { taggedDataset, taggedTweet, TAGGED_COUNT } from '../support/tagged-tweets';

// GET /stats and the analyst side of GET /tweets through serverless-offline, on the tagged dataset.
const index = testIndex('http-analyst');
const PORT = Number(process.env.TEST_ANALYST_PORT ?? API_PORT + 10);
const MAX_ROWS = 20; // below the dataset's 24 tweets, so the whole set is over the export cap
let server: OfflineServer;

beforeAll(async () => {
  await loadTagged(new ElasticsearchTweetStore(rawClient(), index));
  const env = { ES_INDEX: index, DATASET_PATH: FIXTURES.sample, EXPORT_MAX_ROWS: String(MAX_ROWS), LOG_LEVEL: 'warn' };
  server = await startOffline(
    { ...env, EMOTION_MODEL_DIR: FIXTURES.emotionDir, STANCE_MODEL_PATH: FIXTURES.stancePath },
    PORT,
  );
});
afterAll(async () => {
  await server?.stop();
  await deleteIndex(index);
});

async function get(path: string) {
  const res = await fetch(`${server.url}${path}`);
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined;
  return { status: res.status, text, json, headers: res.headers };
}

describe('GET /stats over HTTP', () => {
  it.each([
    '',
    'emotion=joy',
    'stance=oppose&min_score=0.5',
    'hashtag=vote&author=@Alice',
    'q=budget&start_date=2025-01-01&end_date=2025-02-15',
  ])('?%s: total agrees with /tweets', async (query) => {
    const [stats, tweets] = await Promise.all([get(`/stats?${query}`), get(`/tweets?limit=1&${query}`)]);
    expect(stats.status).toBe(200);
    expect(stats.json.total).toBe(tweets.json.total);
  });

  it('answers every section', async () => {
    const res = await get('/stats?interval=month&top=2');
    expect(res.json).toMatchObject({
      total: TAGGED_COUNT,
      timeline: { interval: 'month' },
      models: { emotion: expect.any(Array) },
    });
    expect(res.json.timeline.buckets).toHaveLength(3);
    expect(res.json.hashtags.top).toHaveLength(2);
    expect(res.json.matrix.joy).toEqual({
      SUPPORT: expect.any(Number),
      OPPOSE: expect.any(Number),
      NEUTRAL: expect.any(Number),
    });
  });
});

describe('GET /tweets exports', () => {
  it('format=csv: a download with a header and one row per matching tweet', async () => {
    const res = await get('/tweets?format=csv&author=alice&sort=oldest');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tweets.csv"');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    const alice = taggedDataset().filter((i) => i % 4 === 0);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(alice.map((i) => taggedTweet(i).id));
    expect(lines[1]!.split(',')).toHaveLength(EXPORT_COLUMNS.length);
  });

  it('format=ndjson: one flat JSON object per tweet', async () => {
    const res = await get('/tweets?format=ndjson&emotion=joy');
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const rows = res.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBe((await get('/tweets?emotion=joy')).json.total);
    expect(
      rows.every((r) => r.emotion_label === 'joy' && typeof r.emotion_joy === 'number' && 'stance_OPPOSE' in r),
    ).toBe(true);
  });

  it('over EXPORT_MAX_ROWS: 400 saying to narrow the filters or use npm run export', async () => {
    const res = await get('/tweets?format=csv');
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(
      new RegExp(
        `^${TAGGED_COUNT} tweets match; one export holds at most ${MAX_ROWS}\\. Narrow the filters .*npm run export`,
      ),
    );
  });
});

describe('GET /tweets and /stats refuse bad input with 400', () => {
  it.each([
    ['/tweets?page=2', 'page'],
    ['/tweets?sort=popular', 'sort'],
    ['/tweets?format=xlsx', 'format'],
    ['/tweets?min_score=-0.5', 'min_score'],
    ['/tweets?emotion=joy&min_score=2', 'min_score'],
    ['/tweets?q=%20%20', 'q'],
    ['/stats?interval=year', 'interval'],
    ['/stats?limit=5', 'limit'],
    ['/stats?top=0', 'top'],
  ])('%s → 400 on %s', async (path, field) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
  });

  it('a cursor continues in its own sort, whatever sort is sent beside it', async () => {
    const first = await get('/tweets?sort=likes&limit=5');
    const cursor = first.json.next_cursor as string;
    const same = await get(`/tweets?sort=likes&limit=5&cursor=${cursor}`);
    expect(same.status).toBe(200);
    const other = await get(`/tweets?sort=newest&limit=5&cursor=${cursor}`);
    expect(other.status).toBe(200);
    expect(other.json).toEqual(same.json);
    const likes = [...first.json.items, ...same.json.items].map((t: { likes: number }) => t.likes);
    expect(likes).toEqual([...likes].sort((a, b) => b - a));
  });

  it('an export with a cursor starts after it: the pages after the first, as one file', async () => {
    // A filter under EXPORT_MAX_ROWS: the cap counts every matching tweet, cursor or not.
    const first = await get('/tweets?author=alice&sort=likes&limit=2');
    const rest = await get(`/tweets?author=alice&sort=likes&format=ndjson&cursor=${first.json.next_cursor}`);
    expect(rest.status).toBe(200);
    const ids = rest.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    const all = await get(`/tweets?author=alice&sort=likes&limit=1000`);
    expect(ids).toEqual(all.json.items.slice(2).map((t: { id: string }) => t.id));
    expect(ids.length).toBeGreaterThan(0);
    expect(rest.headers.get('x-export-rows')).toBe(String(ids.length));
  });
});
