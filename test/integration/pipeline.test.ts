import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Client } from '@elastic/elasticsearch';
import { readTweetBatches, statTweetFile } from '../../lib/dataset';
import type { TweetDocument } from '../../lib/domain';
import { toHttpError } from '../../lib/http/error-mapping';
import { loadEmotionClassifier } from '../../lib/models/emotion';
import { loadStanceClassifier } from '../../lib/models/stance';
import { ingestFile, tagFromIndex, type DatasetReader, type TagParams } from '../../lib/pipeline';
import { ElasticsearchLeaseStore, ElasticsearchSourceStore, ElasticsearchTweetStore } from '../../lib/store';
import { deleteIndex, rawClient } from '../support/es';
import { ES_URL, FIXTURES, testIndex } from '../support/env';
import { TcpProxy } from '../support/tcp-proxy';

const emotionModel = () => loadEmotionClassifier({ dir: FIXTURES.emotionDir, dtype: 'fp32', batchSize: 2 });
const stanceModel = () =>
  loadStanceClassifier({ path: FIXTURES.stancePath, modelId: 'tinyllama', parallel: 2, threads: 2, contextSize: 1024 });
const reader: DatasetReader = { stat: statTweetFile, read: (p) => readTweetBatches(p) };
const all: TagParams = { limit: 100, force: false };
// The edge-case file: 14 records, 8 usable (one id twice), so 7 tweets in the index and 6 invalid records.
const VALID = 7;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function setup(name: string, client: Client = rawClient()) {
  const index = testIndex(name);
  const store = new ElasticsearchTweetStore(client, index, { backoffMs: 10 });
  const leases = new ElasticsearchLeaseStore(client, `${index}-leases`);
  const sources = new ElasticsearchSourceStore(client, `${index}-sources`);
  const who = (holder: string) => ({ holder, description: `test ${holder}` });
  const ingest = (file = FIXTURES.dataset, force = false) =>
    ingestFile(file, { force }, { store, sources, leases, reader, who: who('ingest') });
  const tag = (task: 'emotion' | 'stance', params: Partial<TagParams> = {}, holder = 'tagger') =>
    tagFromIndex(
      task,
      { ...all, ...params },
      {
        store,
        leases,
        who: who(holder),
        loadClassifier: (task === 'emotion' ? emotionModel : stanceModel) as never,
      },
    );
  const cleanup = () => Promise.all([deleteIndex(index), deleteIndex(`${index}-leases`)]);
  return { index, store, leases, sources, ingest, tag, cleanup };
}

/** The edge-case file rewritten as JSON Lines (optionally gzip-compressed), the same records in the same order. */
function asJsonLines(gzip: boolean): string {
  const records = JSON.parse(
    fs.readFileSync(FIXTURES.dataset, 'utf8').replace(/"id": (\d{16,})/g, '"id": "$1"'),
  ) as unknown[];
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const file = path.join(tmp, `edge.${gzip ? 'jsonl.gz.bin' : 'jsonl.txt'}`); // names that say nothing: content decides
  fs.writeFileSync(file, gzip ? zlib.gzipSync(text) : text);
  return file;
}

describe('ingest: file → index (real Elasticsearch, real reader)', () => {
  const t = setup('ingest');
  afterAll(t.cleanup);

  it('loads a JSON array: valid tweets in, invalid records counted and listed with positions', async () => {
    const s = await t.ingest();
    expect(s).toMatchObject({
      unchanged: false,
      format: 'json-array',
      compressed: false,
      records: 14,
      indexed: 8,
      failed: [],
    });
    expect(s.invalid.count).toBe(6);
    expect(s.invalid.first.map((r) => r.position)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(s.invalid.first[1]).toEqual({ position: 6, id: '7', reason: 'missing or empty content' });
    expect((await rawClient().count({ index: t.index })).count).toBe(VALID);
    const big = await rawClient().get<TweetDocument>({ index: t.index, id: '1790123456789012345' });
    expect(big._source!.id).toBe('1790123456789012345');
  });

  it('answers unchanged at once for the same file, and re-reads it when forced', async () => {
    expect(await t.ingest()).toMatchObject({ unchanged: true, records: 14, indexed: 0 });
    expect(await t.ingest(FIXTURES.dataset, true)).toMatchObject({ unchanged: false, indexed: 8 });
  });

  it.each([
    ['JSON Lines', false],
    ['gzip-compressed JSON Lines', true],
  ])('loads %s, detected from the content', async (_name, gzip) => {
    const u = setup(`ingest-jsonl-${gzip}`);
    try {
      const s = await u.ingest(asJsonLines(gzip));
      expect(s).toMatchObject({
        format: 'json-lines',
        compressed: gzip,
        records: 14,
        indexed: 8,
        invalid: { count: 6 },
      });
      expect((await rawClient().count({ index: u.index })).count).toBe(VALID);
    } finally {
      await u.cleanup();
    }
  });

  it('loads a gzip-compressed JSON array', async () => {
    const u = setup('ingest-gz');
    const file = path.join(tmp, 'edge-array.gz');
    fs.writeFileSync(file, zlib.gzipSync(fs.readFileSync(FIXTURES.dataset)));
    try {
      expect(await u.ingest(file)).toMatchObject({ format: 'json-array', compressed: true, records: 14, indexed: 8 });
    } finally {
      await u.cleanup();
    }
  });
});

describe('tagging from the index (real Elasticsearch, fixture models)', () => {
  const t = setup('tag');
  beforeAll(() => t.ingest());
  afterAll(t.cleanup);

  it('limit progresses across calls until remaining is 0, and stores provenance', async () => {
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await t.tag('emotion', { limit: 3 }));
    expect(runs.map((r) => [r.classified, r.remaining])).toEqual([
      [3, 4],
      [3, 1],
      [1, 0],
      [0, 0],
    ]);
    const doc = (await rawClient().get<TweetDocument>({ index: t.index, id: '1790123456789012345' }))._source!;
    expect(doc.emotion).toMatchObject({
      model: 'fixture/emotion-tiny',
      dtype: 'fp32',
      revision: expect.stringMatching(/^fixture-/),
    });
  });

  it('tags survive a re-ingest of the file', async () => {
    await t.ingest(FIXTURES.dataset, true);
    await t.store.refresh();
    expect((await rawClient().count({ index: t.index, query: { exists: { field: 'emotion.label' } } })).count).toBe(
      VALID,
    );
  });

  it('forced runs re-tag the stalest first, so repeated forced calls progress', async () => {
    const before = new Date().toISOString();
    const a = await t.tag('emotion', { limit: 4, force: true });
    const b = await t.tag('emotion', { limit: 4, force: true });
    expect([a.classified, b.classified]).toEqual([4, 4]);
    await t.store.refresh();
    const fresh = await rawClient().count({
      index: t.index,
      query: { range: { 'emotion.classified_at': { gte: before } } },
    });
    expect(fresh.count).toBe(VALID);
  });

  it('emotion and stance running at the same time each write only their own field', async () => {
    const u = setup('both');
    try {
      await u.ingest();
      const [e, s] = await Promise.all([u.tag('emotion', {}, 'e'), u.tag('stance', {}, 's')]);
      expect([e.classified, s.classified]).toEqual([VALID, VALID]);
      await u.store.refresh();
      const both = {
        bool: { filter: [{ exists: { field: 'emotion.label' } }, { exists: { field: 'stance.label' } }] },
      };
      expect((await rawClient().count({ index: u.index, query: both })).count).toBe(VALID);
    } finally {
      await u.cleanup();
    }
  });

  it('two overlapping calls of the same task: one runs, the other gets 409 naming it; each tweet is classified once', async () => {
    const u = setup('overlap');
    try {
      await u.ingest();
      const results = await Promise.allSettled([u.tag('emotion', {}, 'first'), u.tag('emotion', {}, 'second')]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toMatchObject({
        status: 409,
        code: 'task_busy',
        details: { running: { description: expect.stringMatching(/^test (first|second)$/) } },
      });
      expect((ok[0] as PromiseFulfilledResult<{ classified: number }>).value.classified).toBe(VALID);
    } finally {
      await u.cleanup();
    }
  });
});

describe('Elasticsearch going down mid-ingest', () => {
  const target = new URL(ES_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  afterAll(() => proxy.close());

  it('fails with a 503, and the re-run completes with exact counts', async () => {
    await proxy.start();
    const t = setup('outage', new Client({ node: proxy.url, maxRetries: 1, requestTimeout: 5000 }));
    let batches = 0;
    const cutting: DatasetReader = {
      stat: statTweetFile,
      async *read(file) {
        const inner = readTweetBatches(file, { batchSize: 3 });
        for (let next = await inner.next(); ; next = await inner.next()) {
          if (next.done) return next.value;
          if (++batches === 2) await proxy.cut(); // the first batch is on its way
          yield next.value;
        }
      },
    };
    try {
      const run = () =>
        ingestFile(
          FIXTURES.dataset,
          { force: false },
          {
            store: t.store,
            sources: t.sources,
            leases: t.leases,
            reader: cutting,
            who: { holder: 'i', description: 'i' },
          },
        );
      expect(toHttpError(await run().catch((e) => e))).toMatchObject({
        status: 503,
        code: 'elasticsearch_unavailable',
      });
      await proxy.restore();
      expect(await run()).toMatchObject({ unchanged: false, records: 14, indexed: 8, invalid: { count: 6 } });
      expect((await rawClient().count({ index: t.index })).count).toBe(VALID);
    } finally {
      await proxy.restore().catch(() => undefined);
      await t.cleanup();
    }
  });
});
