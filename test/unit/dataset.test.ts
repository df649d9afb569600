import fs from 'node:fs';
import { DatasetError, DependencyUnavailableError } from '../../lib/errors';
import { readTweetFile, type DatasetItem } from '../../lib/dataset';
import { FIXTURES, ROOT, SHARED_DATASET } from '../support/env';

async function readAll(file: string): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  for await (const item of readTweetFile(file)) items.push(item);
  return items;
}

describe('reading the tweet file', () => {
  let items: DatasetItem[];
  beforeAll(async () => {
    items = await readAll(FIXTURES.dataset);
  });
  const tweets = () => items.flatMap((i) => (i.kind === 'tweet' ? [i.tweet] : []));
  const skipped = () => items.flatMap((i) => (i.kind === 'skipped' ? [i.record] : []));

  it('keeps ids above 2^53 exactly, as strings', () => {
    expect(tweets()[0]!.id).toBe('1790123456789012345');
    expect(tweets()[1]!.id).toBe('1790123456789012346');
    expect(Number('1790123456789012345').toString()).not.toBe('1790123456789012345'); // why it matters
  });

  it('keeps only the fields the pipeline needs, normalised', () => {
    expect(tweets()[0]).toEqual({
      id: '1790123456789012345',
      content: 'I am furious about the new tax law. #Tax',
      created_at: '2025-03-01T00:00:00.000Z',
      author: { username: 'big', handle: '@big', verified: true },
      hashtags: ['#Tax'],
      metrics: { retweets: 10, likes: 20 },
    });
  });

  it('normalises dates and date-times with offsets to UTC', () => {
    const byId = Object.fromEntries(tweets().map((t) => [t.id, t.created_at]));
    expect(byId['3']).toBe('2025-03-03T21:30:00.000Z');
    expect(byId['14']).toBe('2025-02-11T08:00:00.000Z');
  });

  it('reports unusable records with position, id and reason, and goes on', () => {
    expect(skipped()).toEqual([
      { position: 5, reason: 'missing or invalid id' },
      { position: 6, id: '7', reason: 'missing or empty content' },
      { position: 7, id: '8', reason: 'missing or invalid created_at (2025-13-40)' },
      { position: 8, id: '9', reason: 'missing or invalid created_at' },
      { position: 9, reason: 'missing or invalid id' },
      { position: 10, reason: 'record is not an object' },
    ]);
    expect(tweets().map((t) => t.id)).toEqual(['1790123456789012345', '1790123456789012346', '3', '4', '5', '4', '13', '14']);
  });

  it('fails clearly on a file that is not JSON', async () => {
    await expect(readAll(`${ROOT}/test/fixtures/not_json.json`)).rejects.toThrow(DatasetError);
    await expect(readAll(`${ROOT}/test/fixtures/not_json.json`)).rejects.toThrow(/not a valid JSON array of tweets/);
  });

  it('fails clearly on JSON that is not an array', async () => {
    await expect(readAll(`${ROOT}/test/fixtures/not_array.json`)).rejects.toThrow(DatasetError);
  });

  it('answers "dataset unavailable" for a missing file', async () => {
    await expect(readAll('/nonexistent/tweets.json')).rejects.toThrow(DependencyUnavailableError);
  });

  it('reads the repo sample: 30 tweets, all valid, ids above 2^53', async () => {
    const sample = await readAll(FIXTURES.sample);
    expect(sample).toHaveLength(30);
    expect(sample.every((i) => i.kind === 'tweet')).toBe(true);
    expect(sample[0]).toMatchObject({ tweet: { id: '1790000000000000001' } });
  });

  (fs.existsSync(SHARED_DATASET) ? it : it.skip)("reads the exercise's real dataset: 100 valid tweets", async () => {
    const real = await readAll(SHARED_DATASET);
    expect(real.filter((i) => i.kind === 'tweet')).toHaveLength(100);
    expect(real[0]).toMatchObject({ tweet: { id: '1', created_at: '2025-02-19T00:00:00.000Z', hashtags: ['#TaxReform'] } });
  });
});
