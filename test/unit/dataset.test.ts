import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError, DependencyUnavailableError } from '../../lib/errors';
import { readTweetBatches, statTweetFile, type ReadSummary, type SkippedRecord, type Tweet } from '../../lib/dataset';
import { FIXTURES, ROOT, SHARED_DATASET } from '../support/env';

interface ReadAll {
  tweets: Tweet[];
  invalid: SkippedRecord[];
  batches: number;
  summary: ReadSummary;
}

async function readAll(file: string, options?: { batchSize?: number; chunkSize?: number }): Promise<ReadAll> {
  const reader = readTweetBatches(file, options);
  const out = { tweets: [] as Tweet[], invalid: [] as SkippedRecord[], batches: 0 };
  for (let step = await reader.next(); ; step = await reader.next()) {
    if (step.done) return { ...out, summary: step.value };
    out.tweets.push(...step.value.lines.decode());
    out.invalid.push(...step.value.invalid);
    out.batches++;
  }
}

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataset-test-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a temp file and returns its path. */
function tmp(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const rec = (id: string, extra = '') =>
  `{"id": ${id}, "user": {"username": "u", "handle": "@u", "verified": false}, "meta": {"created_at": "2025-02-19", ` +
  `"hashtags": ["#TaxReform"]}, "payload": {"tweet": {"content": "tweet ${id.replace(/"/g, '')}"}}${extra}}`;

describe("reading the exercise's edge-case fixture", () => {
  let read: ReadAll;
  beforeAll(async () => {
    read = await readAll(FIXTURES.dataset, { batchSize: 4 });
  });

  it('keeps ids above 2^53 exactly, as strings', () => {
    expect(read.tweets[0]!.id).toBe('1790123456789012345');
    expect(read.tweets[1]!.id).toBe('1790123456789012346');
  });

  it('keeps only the fields the pipeline needs, normalised', () => {
    expect(read.tweets[0]).toEqual({
      id: '1790123456789012345',
      content: 'I am furious about the new tax law. #Tax',
      created_at: '2025-03-01T00:00:00.000Z',
      author: { username: 'big', handle: '@big', verified: true },
      hashtags: ['#Tax'],
      metrics: { retweets: 10, likes: 20 },
      lang: 'en',
      lang_score: expect.any(Number),
    });
    const byId = Object.fromEntries(read.tweets.map((t) => [t.id, t.created_at]));
    expect(byId['3']).toBe('2025-03-03T21:30:00.000Z');
    expect(byId['14']).toBe('2025-02-11T08:00:00.000Z');
  });

  it('reports unusable records with position, id and reason, and goes on', () => {
    expect(read.invalid).toEqual([
      { position: 5, reason: 'missing or invalid id' },
      { position: 6, id: '7', reason: 'missing or empty content' },
      { position: 7, id: '8', reason: 'missing or invalid created_at (2025-13-40)' },
      { position: 8, id: '9', reason: 'missing or invalid created_at' },
      { position: 9, reason: 'missing or invalid id' },
      { position: 10, reason: 'record is not an object' },
    ]);
    expect(read.tweets.map((t) => t.id)).toEqual([
      '1790123456789012345',
      '1790123456789012346',
      '3',
      '4',
      '5',
      '4',
      '13',
      '14',
    ]);
  });

  it('sends batches of the asked size and a summary with the sha256 of the stored bytes', () => {
    expect(read.batches).toBe(4); // 14 records by 4
    expect(read.summary).toEqual({
      format: 'json-array',
      compressed: false,
      records: 14,
      invalid: 6,
      bytes: fs.statSync(FIXTURES.dataset).size,
      sha256: createHash('sha256').update(fs.readFileSync(FIXTURES.dataset)).digest('hex'),
    });
  });

  it('gives the same result whatever the chunk size (records split across chunk boundaries)', async () => {
    for (const chunkSize of [1, 7, 64, 1000]) {
      const small = await readAll(FIXTURES.dataset, { chunkSize, batchSize: 3 });
      expect({ tweets: small.tweets, invalid: small.invalid }).toEqual({ tweets: read.tweets, invalid: read.invalid });
    }
  });
});

describe('formats, detected from the content', () => {
  const records = [
    rec('1790123456789012345'),
    rec('"1790123456789012346"', ', "metrics": {"retweets": "12", "likes": 7}'),
    rec('3', ', "metrics": {"retweets": 1.5, "likes": -2}'),
  ];
  const array = `[\n${records.join(',\n')}\n]\n`;
  const lines = `${records.join('\n')}\n`;
  const BOM = '\ufeff';
  const cases: [string, string | Buffer, 'json-array' | 'json-lines', boolean][] = [
    ['array', array, 'json-array', false],
    ['lines', lines, 'json-lines', false],
    ['array.gz', gzipSync(array), 'json-array', true],
    ['lines.gz', gzipSync(lines), 'json-lines', true],
    ['bom-array', BOM + array, 'json-array', false],
    ['bom-lines.gz', gzipSync(BOM + lines), 'json-lines', true],
  ];

  it.each(cases)('reads %s', async (name, content, format, compressed) => {
    const file = tmp(`${name}.data`, content); // the name says nothing about the format
    const read = await readAll(file, { chunkSize: 16 });
    expect(read.tweets.map((t) => [t.id, t.metrics])).toEqual([
      ['1790123456789012345', { retweets: 0, likes: 0 }],
      ['1790123456789012346', { retweets: 12, likes: 7 }],
      ['3', { retweets: 0, likes: 0 }],
    ]);
    expect(read.invalid).toEqual([]);
    expect(read.summary).toMatchObject({ format, compressed, records: 3, invalid: 0, bytes: fs.statSync(file).size });
    expect(read.summary.sha256).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  });

  it('keeps id 1790123456789012345 exact as a JSON number and as a string; checks numeric ids', async () => {
    const file = tmp(
      'ids.jsonl',
      [rec('1790123456789012345'), rec('"1790123456789012345"'), rec('1.5'), rec('-7'), rec('"0123"'), rec('0')].join(
        '\n',
      ),
    );
    const read = await readAll(file);
    expect(read.tweets.map((t) => t.id)).toEqual(['1790123456789012345', '1790123456789012345', '0']);
    expect(read.invalid).toEqual([
      { position: 2, reason: 'missing or invalid id' },
      { position: 3, reason: 'missing or invalid id' },
      { position: 4, id: '0123', reason: 'invalid id (leading zero)' },
    ]);
  });
});

describe('records that cannot be used are reported, the rest go on', () => {
  it('JSON Lines: bad JSON line, non-object, missing content, bad date; blank lines are not records', async () => {
    const file = tmp(
      'mixed.jsonl',
      [
        rec('1'),
        '{"id": 77, "payload": }',
        '',
        '[1, 2]',
        '{"id": 8, "meta": {"created_at": "2025-01-01"}}',
        rec('9').replace('2025-02-19', '2025-02-30'),
        '  ',
        rec('10'),
      ].join('\n'),
    );
    const read = await readAll(file);
    expect(read.tweets.map((t) => t.id)).toEqual(['1', '10']);
    expect(read.invalid).toEqual([
      { position: 1, id: '77', reason: expect.stringMatching(/^invalid JSON/) },
      { position: 2, reason: 'record is not an object' },
      { position: 3, id: '8', reason: 'missing or empty content' },
      { position: 4, id: '9', reason: 'missing or invalid created_at (2025-02-30)' },
    ]);
    expect(read.summary).toMatchObject({ records: 6, invalid: 4 });
  });

  it('array: a record whose JSON does not parse is one invalid record', async () => {
    const read = await readAll(tmp('bad-record.json', `[${rec('1')}, {"id": 5, "x": tru}, ${rec('2')}]`));
    expect(read.tweets.map((t) => t.id)).toEqual(['1', '2']);
    expect(read.invalid).toEqual([{ position: 1, id: '5', reason: expect.stringMatching(/^invalid JSON/) }]);
  });

  it('a truncated file reports the partial record as truncated (array, JSON Lines, gzip)', async () => {
    const partial = rec('9').slice(0, 40);
    for (const content of [`[${rec('1')}, ${partial}`, `${rec('1')}\n${partial}`]) {
      const read = await readAll(tmp('truncated.data', content));
      expect(read.tweets.map((t) => t.id)).toEqual(['1']);
      expect(read.invalid).toEqual([{ position: 1, id: '9', reason: 'truncated at end of file' }]);
    }
    const gz = gzipSync(`[${rec('1')}, ${rec('2')}, ${rec('3')}]`);
    const read = await readAll(tmp('truncated.gz', gz.subarray(0, gz.length - 12)));
    expect(read.summary.compressed).toBe(true);
    expect(read.tweets.length + read.invalid.length).toBeGreaterThan(0);
  });
});

describe('files the reader refuses', () => {
  it('not JSON → DatasetError saying what it found (plain or gzip)', async () => {
    for (const content of ['id,content\n1,hello\n', gzipSync('id,content\n1,hello\n')]) {
      const file = tmp('table.csv', content);
      await expect(readAll(file)).rejects.toThrow(DatasetError);
      await expect(readAll(file)).rejects.toThrow(/neither a JSON array nor JSON Lines: it starts with "id,content/);
    }
    await expect(readAll(tmp('empty.json', ''))).rejects.toThrow(DatasetError);
    await expect(readAll(tmp('corrupt.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9])))).rejects.toThrow(
      /gzip/,
    );
  });

  it('a missing or unreadable path → DependencyUnavailableError (503), from statTweetFile too', async () => {
    await expect(readAll('/nonexistent/tweets.json')).rejects.toThrow(DependencyUnavailableError);
    await expect(readAll(dir)).rejects.toThrow(DependencyUnavailableError);
    await expect(statTweetFile('/nonexistent/tweets.json')).rejects.toMatchObject({
      status: 503,
      code: 'dataset_unavailable',
    });
    const stamp = await statTweetFile(FIXTURES.dataset);
    expect(stamp).toEqual({
      path: FIXTURES.dataset,
      size: fs.statSync(FIXTURES.dataset).size,
      mtimeMs: fs.statSync(FIXTURES.dataset).mtimeMs,
    });
  });
});

describe('real files', () => {
  it('reads the repo sample: 30 tweets, all valid, ids above 2^53', async () => {
    const read = await readAll(FIXTURES.sample);
    expect(read.tweets).toHaveLength(30);
    expect(read.invalid).toEqual([]);
    expect(read.tweets[0]!.id).toBe('1790000000000000001');
  });

  (fs.existsSync(SHARED_DATASET) ? it : it.skip)("reads the exercise's real dataset: 100 valid tweets", async () => {
    const read = await readAll(SHARED_DATASET);
    expect(read.tweets).toHaveLength(100);
    expect(read.tweets[0]).toMatchObject({ id: '1', created_at: '2025-02-19T00:00:00.000Z', hashtags: ['#TaxReform'] });
  });

  it('still reads the old not_json fixture (a truncated array) as one truncated record', async () => {
    const read = await readAll(`${ROOT}/test/fixtures/not_json.json`);
    expect(read.invalid).toEqual([{ position: 0, id: '1790123456789012345', reason: 'truncated at end of file' }]);
  });
});
