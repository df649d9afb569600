import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { datasetLayout, discoverSources, resolveInside } from '../../lib/dataset';
import { STANCE_LABELS } from '../../lib/domain';
import type { Classifier } from '../../lib/models/types';
import { ingestSources, tagFromIndex } from '../../lib/pipeline';
import { computeStats } from '../../lib/pipeline/stats';
import { datasetReader } from '../../lib/pipeline/tasks';
import {
  ElasticsearchLeaseStore,
  ElasticsearchSourceStore,
  ElasticsearchTweetStore,
  TWEETS_MAPPING,
} from '../../lib/store';
import { deleteIndex, rawClient } from '../support/es';
import { testIndex } from '../support/env';
import { keywordClassifier } from '../support/keyword-classifier';
import { expectedLanguages, multilingualRecords, writeSource } from '../support/multilingual';

// Sources, language and the mapping upgrade on a real Elasticsearch with the real reader (parser thread + eld).
const index = testIndex('sources');
const client = rawClient();
const store = new ElasticsearchTweetStore(client, index);
const sources = new ElasticsearchSourceStore(client, `${index}-sources`);
const leases = new ElasticsearchLeaseStore(client, `${index}-leases`);
const who = { holder: 'sources-test', description: 'sources test' };
const read: string[] = [];
const reader = {
  stat: datasetReader.stat,
  read: (p: string, source?: string) => (read.push(path.basename(p)), datasetReader.read(p, source)),
};
const deps = { store, sources, leases, reader, who };
const records = multilingualRecords();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sources-test-'));

async function ingestFolder(force = false) {
  read.length = 0;
  const layout = await datasetLayout(dir);
  const files = await discoverSources(layout);
  return ingestSources({ label: dir, folder: layout.folder, files }, { force }, deps);
}

/** Stance stand-in: the pipeline under test here, not a model. */
const stanceStub: Classifier<'stance'> = {
  task: 'stance',
  marker: { model: 'test/stance', revision: 'r1', prompt_version: 'p1' },
  info: { id: 'test/stance', revision: 'r1' },
  batchSize: 8,
  classify: async (texts) =>
    texts.map(() => ({
      label: 'NEUTRAL' as const,
      score: 0.5,
      scores: Object.fromEntries(STANCE_LABELS.map((l) => [l, l === 'NEUTRAL' ? 0.5 : 0.25])) as never,
      model: 'test/stance',
      revision: 'r1',
      prompt_version: 'p1',
      method: 'stub',
    })),
};

beforeAll(() => {
  writeSource(path.join(dir, 'a.json'), records.slice(0, 25), 'array');
  writeSource(path.join(dir, 'b.jsonl'), records.slice(25, 50), 'lines');
  writeSource(path.join(dir, 'c.jsonl.gz'), records.slice(50), 'gzip');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a source');
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await deleteIndex(index);
});

describe('sources: a folder of tweet files (real Elasticsearch)', () => {
  it('reads the three files (array, JSON Lines, gzip) and records each one', async () => {
    const run = await ingestFolder();
    expect(read.sort()).toEqual(['a.json', 'b.jsonl', 'c.jsonl.gz']);
    expect(run).toMatchObject({ unchanged: false, records: records.length, indexed: records.length });
    const listed = await sources.list();
    expect(listed.map((s) => [s.source, s.status, s.records, s.format, s.compressed])).toEqual([
      ['a.json', 'complete', 25, 'json-array', false],
      ['b.jsonl', 'complete', 25, 'json-lines', false],
      ['c.jsonl.gz', 'complete', records.length - 50, 'json-lines', true],
    ]);
    expect(listed.every((s) => /^[0-9a-f]{64}$/.test(s.sha256!) && s.first_ingest_at === s.last_ingest_at)).toBe(true);
  });

  it('records each tweet’s source, so /tweets and /stats filter by it', async () => {
    await store.refresh();
    expect((await store.search({ limit: 1, source: 'b.jsonl' })).total).toBe(25);
    expect((await computeStats(store, { source: 'c.jsonl.gz' }, { top: 5 })).total).toBe(records.length - 50);
  });

  it('counts the languages of the multilingual set right', async () => {
    const stats = await computeStats(store, {}, { top: 5 });
    const split = Object.fromEntries(stats.languages.map((l) => [l.key, l.count]));
    expect(split).toEqual(expectedLanguages(records));
    expect((await store.search({ limit: 1, lang: 'ca' })).total).toBe(expectedLanguages(records).ca);
  });

  it('/emotion skips the non-English tweets, counts them by language, and remaining goes to 0', async () => {
    const summary = await tagFromIndex(
      'emotion',
      { limit: 1000, force: false },
      { ...deps, emotionLangs: ['en'], loadClassifier: async () => keywordClassifier() },
    );
    const { en, ...others } = expectedLanguages(records);
    expect(summary.classified).toBe(en);
    expect(summary.remaining).toBe(0);
    expect(summary.skipped).toEqual({ count: records.length - en!, by_language: others });
    const stats = await computeStats(store, {}, { top: 5, emotionLangs: ['en'] });
    expect(stats.emotion_languages).toEqual({ trusted: ['en'], untagged_other_language: records.length - en! });
  });

  it('stance tags every language and records the tweet’s language beside the label', async () => {
    const summary = await tagFromIndex(
      'stance',
      { limit: 1000, force: false },
      { ...deps, emotionLangs: ['en'], loadClassifier: async () => stanceStub },
    );
    expect(summary).toMatchObject({ classified: records.length, remaining: 0, skipped: { count: 0 } });
    const page = await store.search({ limit: 1000, lang: 'pt' });
    expect(page.items.map((t) => t.stance?.lang)).toEqual(page.items.map(() => 'pt'));
  });

  it('re-reads only the changed and the added file; the same id in two files is one document, tags kept', async () => {
    expect((await ingestFolder()).unchanged).toBe(true);
    expect(read).toEqual([]);
    const before = await sources.get('a.json');
    const english = records.find((r) => r.lang_expected === 'en' && records.indexOf(r) < 25)!;
    const moved = { ...english, payload: { tweet: { content: `${english.payload.tweet.content} (edited)` } } };
    writeSource(path.join(dir, 'b.jsonl'), [...records.slice(25, 50), moved], 'lines');
    writeSource(path.join(dir, 'd.json'), [records[0]], 'array');
    const run = await ingestFolder();
    expect(read.sort()).toEqual(['b.jsonl', 'd.json']);
    expect(run.sources.map((s) => [s.source, s.unchanged])).toEqual([
      ['a.json', true],
      ['b.jsonl', false],
      ['c.jsonl.gz', true],
      ['d.json', false],
    ]);
    expect(await sources.get('a.json')).toEqual(before);
    expect((await sources.get('b.jsonl'))!.records).toBe(26);
    await store.refresh();
    const doc = (await store.search({ limit: 1, text: 'edited' })).items[0]!;
    expect(doc).toMatchObject({ id: english.id, source: 'b.jsonl', lang: 'en', emotion: { model: 'test/keywords' } });
    expect((await store.stats()).count).toBe(records.length);
  });

  it('refuses a path outside the dataset folder from its text alone', async () => {
    const layout = await datasetLayout(dir);
    for (const bad of ['../x.json', '/etc/passwd', `${dir}/../x.json`, 'a/../../x.json'])
      await expect(resolveInside(layout, bad)).rejects.toMatchObject({ status: 400, code: 'bad_request' });
    fs.symlinkSync('/etc/hostname', path.join(dir, 'escape.json'));
    await expect(resolveInside(layout, 'escape.json')).rejects.toMatchObject({ status: 400 });
    await expect(resolveInside(layout, 'missing.json')).rejects.toMatchObject({ status: 404 });
    expect(await resolveInside(layout, 'a.json')).toBe(path.join(dir, 'a.json'));
  });
});

describe('mapping upgrade', () => {
  const old = testIndex('sources-old');
  afterAll(() => deleteIndex(old));

  it('an index from before source and lang gets them in place, and keeps its tags', async () => {
    const { source: _s, lang: _l, lang_score: _ls, ...before } = TWEETS_MAPPING.properties!;
    const stance = before.stance as { properties: Record<string, unknown> };
    const { lang: _sl, ...oldStance } = stance.properties;
    await client.indices.create({
      index: old,
      mappings: { dynamic: 'strict', properties: { ...before, stance: { properties: oldStance } } as never },
    });
    const emotion = { label: 'joy', score: 0.9, model: 'm', revision: 'r', classified_at: '2025-01-01T00:00:00Z' };
    const id = records[0]!.id;
    await client.index({ index: old, id, document: { id, content: 'old', emotion }, refresh: true });

    const upgraded = new ElasticsearchTweetStore(client, old);
    await upgraded.ensureIndex();
    const mapping = (await client.indices.getMapping({ index: old }))[old]!.mappings.properties!;
    expect(mapping).toMatchObject({ source: { type: 'keyword' }, lang: { type: 'keyword' } });
    const file = path.join(dir, 'a.json');
    await ingestSources(
      { label: file, folder: dir, files: [file] },
      { force: true },
      { ...deps, store: upgraded, sources: new ElasticsearchSourceStore(client, `${old}-sources`) },
    );
    const doc = (await client.get({ index: old, id }))._source as Record<string, unknown>;
    expect(doc).toMatchObject({ source: 'a.json', lang: records[0]!.lang_expected, emotion });
  });
});
