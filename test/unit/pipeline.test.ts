import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ingestFile, tagFromIndex, type TagParams } from '../../lib/pipeline';
import { InMemorySourceStore, InMemoryTweetStore } from '../../lib/store';
import { keywordClassifier } from '../support/keyword-classifier';
import { ROOT } from '../support/env';
import { makeTweet, memoryReader, type MemoryFiles } from '../support/memory-dataset';

const tweet = (i: number, content?: string) => makeTweet(i, content);

const who = { holder: 'test', description: 'unit test' };
const all: TagParams = { limit: 1000, force: false };

async function setup(n: number) {
  const store = new InMemoryTweetStore();
  const files: MemoryFiles = {
    '/t.json': { tweets: Array.from({ length: n }, (_, i) => tweet(i)) },
  };
  const reader = memoryReader(files);
  const deps = { store, sources: new InMemorySourceStore(), leases: store, reader, who };
  await ingestFile('/t.json', { force: false }, deps);
  return { store, reader, files, deps };
}

const tag = (store: InMemoryTweetStore, params: Partial<TagParams> = {}, classifier = keywordClassifier()) =>
  tagFromIndex('emotion', { ...all, ...params }, { store, leases: store, who, loadClassifier: async () => classifier });

describe('ingest (in-memory store)', () => {
  it('indexes every tweet, and an unchanged file is not read again unless forced', async () => {
    const { store, reader, deps } = await setup(7);
    expect(store.docs.size).toBe(7);
    const again = await ingestFile('/t.json', { force: false }, deps);
    expect(again).toMatchObject({ unchanged: true, records: 7, indexed: 0 });
    expect(reader.reads).toBe(1);
    expect(await ingestFile('/t.json', { force: true }, deps)).toMatchObject({ unchanged: false, indexed: 7 });
    expect(reader.reads).toBe(2);
  });

  it('keeps stored tags when the file is ingested again with changed tweets', async () => {
    const { store, files, deps } = await setup(4);
    await tag(store);
    files['/t.json']!.tweets[0] = tweet(0, 'edited text');
    files['/t.json']!.mtimeMs = 2;
    await ingestFile('/t.json', { force: false }, deps);
    const doc = store.docs.get('1000')!;
    expect(doc.content).toBe('edited text');
    expect(doc.emotion?.label).toBe('neutral');
  });

  it('refuses a second ingest while one holds the lease (409 task_busy)', async () => {
    const { store, deps } = await setup(1);
    await store.acquire('ingest', { holder: 'other', description: 'POST /ingest (request x)' }, 60_000);
    await expect(ingestFile('/t.json', { force: true }, deps)).rejects.toMatchObject({
      status: 409,
      code: 'task_busy',
    });
  });
});

describe('tagging from the index (in-memory store)', () => {
  it('continues where the last call stopped until remaining is 0, oldest first, each tweet once', async () => {
    const { store } = await setup(10);
    const calls: string[][] = [];
    const classifier = keywordClassifier({ batchSize: 2, calls });
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) remaining.push((await tag(store, { limit: 4 }, classifier)).remaining);
    expect(remaining).toEqual([6, 2, 0, 0]);
    expect(calls.flat()).toHaveLength(10);
    expect(new Set(calls.flat()).size).toBe(10);
    expect(calls.flat().slice(0, 4).sort()).toEqual(['tweet 0', 'tweet 1', 'tweet 2', 'tweet 3']);
  });

  it('a new model revision sees every tweet as not tagged by it', async () => {
    const { store } = await setup(3);
    await tag(store);
    const s = await tag(store, {}, keywordClassifier({ revision: 'r2' }));
    expect(s).toMatchObject({ selected: 3, classified: 3, remaining: 0 });
  });

  it('forced calls re-tag stalest first, so repeated forced calls progress', async () => {
    const { store } = await setup(6);
    await tag(store);
    const first = new Map([...store.docs.values()].map((d) => [d.id, d.emotion!.classified_at]));
    await new Promise((r) => setTimeout(r, 5));
    const a = await tag(store, { limit: 3, force: true });
    await new Promise((r) => setTimeout(r, 5));
    const b = await tag(store, { limit: 3, force: true });
    expect([a.classified, b.classified]).toEqual([3, 3]);
    const retagged = [...store.docs.values()].filter((d) => d.emotion!.classified_at !== first.get(d.id));
    expect(retagged).toHaveLength(6);
  });

  it('reports a failing tweet, tags the others, and leaves the failed one for the next call', async () => {
    const { store, files, deps } = await setup(3);
    files['/t.json']!.tweets[1] = tweet(1, 'please FAIL');
    files['/t.json']!.mtimeMs = 3;
    await ingestFile('/t.json', { force: false }, deps);
    const s = await tag(store);
    expect(s.classified).toBe(2);
    expect(s.failed).toEqual([{ id: '1001', reason: 'this text always fails' }]);
    expect(s.remaining).toBe(1);
  });

  it('filters by date range, and counts remaining in that range only', async () => {
    const { store } = await setup(10);
    const s = await tag(store, { startMs: Date.UTC(2025, 0, 3), endMs: Date.UTC(2025, 0, 5) });
    expect(s).toMatchObject({ selected: 3, classified: 3, remaining: 0 });
    expect((await tag(store, { limit: 1 })).remaining).toBe(6);
  });

  it('two partitions cover every tweet exactly once', async () => {
    const { store } = await setup(40);
    const calls: string[][] = [];
    const classifier = keywordClassifier({ calls });
    const p0 = await tag(store, { partition: { index: 0, count: 2 } }, classifier);
    const p1 = await tag(store, { partition: { index: 1, count: 2 } }, classifier);
    expect(p0.classified + p1.classified).toBe(40);
    expect(p0.classified).toBeGreaterThan(0);
    expect(new Set(calls.flat()).size).toBe(40);
  });

  it('a second run of the same task while one holds the lease gets 409 naming it', async () => {
    const { store } = await setup(2);
    await store.acquire('tag-emotion', { holder: 'job-1', description: 'job 1' }, 60_000);
    await expect(tag(store)).rejects.toMatchObject({ status: 409, details: { running: { holder: 'job-1' } } });
    expect([...store.docs.values()].some((d) => d.emotion)).toBe(false);
  });

  it('stops between batches when asked, keeping what it wrote', async () => {
    const { store } = await setup(10);
    let batches = 0;
    const s = await tagFromIndex('emotion', all, {
      store,
      leases: store,
      who,
      loadClassifier: async () => keywordClassifier({ batchSize: 2 }),
      onProgress: () => batches++,
      shouldStop: () => batches >= 2,
    });
    expect(s.classified).toBe(4);
    expect(s.remaining).toBe(6);
    expect(store.leases.size).toBe(0);
  });
});

describe('work started ahead of its await', () => {
  // In its own process: jest's sandbox keeps unhandled rejections from the test's own listeners.
  it('a prefetched page that fails while a batch is classified fails the call at its await, never unhandled', async () => {
    const script = path.join(ROOT, 'test/support/prefetch-failure.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual({ rejected: 'search_phase_execution_exception', unhandled: [], leases: 0 });
  });
});
