import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileTweetSource, type TweetSource } from '../../lib/dataset';
import { DatasetError } from '../../lib/errors';
import { selectTweets } from '../../lib/pipeline';
import { FIXTURES } from '../support/env';

/** Counts the records a source hands out, to see whether a read stopped early. */
function counting(source: TweetSource) {
  const counter = { items: 0 };
  const wrapped: TweetSource = {
    ...source,
    read: async function* () {
      for await (const item of source.read()) {
        counter.items++;
        yield item;
      }
    },
  };
  return { source: wrapped, counter };
}

describe('selecting tweets from a file', () => {
  it('reads a file to its end the first time, and stops early while it is unchanged', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'select-')), 'tweets.json');
    fs.copyFileSync(FIXTURES.sample, file);
    const first = counting(fileTweetSource(file));
    expect((await selectTweets(first.source, { limit: 2 })).tweets).toHaveLength(2);
    expect(first.counter.items).toBe(30);

    const second = counting(fileTweetSource(file));
    expect((await selectTweets(second.source, { limit: 2 })).tweets).toHaveLength(2);
    expect(second.counter.items).toBe(3);
  });

  it('validates a changed file in full again: a broken end still fails before any write', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'select-')), 'tweets.json');
    fs.copyFileSync(FIXTURES.sample, file);
    await selectTweets(fileTweetSource(file), { limit: 2 });
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\]\s*$/, ', {"id": ]'));
    await expect(selectTweets(fileTweetSource(file), { limit: 2 })).rejects.toThrow(DatasetError);
  });

  it('keeps the first of two records with the same id and counts the second as invalid', async () => {
    const s = await selectTweets(fileTweetSource(FIXTURES.dataset), { limit: 100 });
    expect(s.tweets.filter((t) => t.id === '4')).toHaveLength(1);
    expect(s.invalid).toContainEqual({ position: 11, id: '4', reason: 'duplicate id' });
    expect(s.invalidCount).toBe(7);
  });
});
