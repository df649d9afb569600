import { ElasticsearchTweetStore, type TweetDocument } from '../../lib/search';
import { fileTweetSource } from '../../lib/dataset';
import { loadEmotionClassifier } from '../../lib/models/emotion';
import { loadStanceClassifier } from '../../lib/models/stance';
import { tagTweets, type Classifier, type TagParams } from '../../lib/pipeline';
import { toHttpError } from '../../lib/http/error-mapping';
import { DatasetError } from '../../lib/errors';
import { Client } from '@elastic/elasticsearch';
import { deleteIndex, rawClient } from '../support/es';
import { ES_URL, FIXTURES, ROOT, testIndex } from '../support/env';
import { TcpProxy } from '../support/tcp-proxy';

const emotionModel = () => loadEmotionClassifier({ dir: FIXTURES.emotionDir, dtype: 'fp32', batchSize: 2 });
const stanceModel = () => loadStanceClassifier({ path: FIXTURES.stancePath, modelId: 'tinyllama', parallel: 2, threads: 2, contextSize: 1024 });
const all: TagParams = { limit: 100, force: false };
const source = fileTweetSource(FIXTURES.dataset);
// The edge-case file has 8 usable records, one a duplicate id: 7 tweets, 7 skipped as invalid.
const VALID = 7;

describe('tagging pipeline: fixture models into a real Elasticsearch', () => {
  const index = testIndex('pipeline');
  const store = new ElasticsearchTweetStore(rawClient(), index);
  afterAll(() => deleteIndex(index));

  it('classifies every valid tweet, reports invalid records, and stores provenance', async () => {
    const s = await tagTweets('emotion', all, { source, store, loadClassifier: emotionModel });
    expect(s).toMatchObject({ requested: VALID, classified: VALID, skipped: { already_classified: 0, invalid: 7 }, failed: [] });
    expect(s.invalid_records.map((r) => r.reason)).toContain('duplicate id');
    expect(s.labels).toMatchObject({ anger: 1, joy: 1, fear: 1, disgust: 1 });
    expect(s.model).toEqual({ id: 'fixture/emotion-tiny', revision: expect.stringMatching(/^fixture-/), dtype: 'fp32' });
    const doc = (await rawClient().get<TweetDocument>({ index, id: '1790123456789012345' }))._source!;
    expect(doc.emotion).toMatchObject({ label: 'anger', model: 'fixture/emotion-tiny', dtype: 'fp32', classified_at: expect.any(String) });
  });

  it('skips what the same model revision already classified (one query per batch), unless forced', async () => {
    const again = await tagTweets('emotion', all, { source, store, loadClassifier: emotionModel });
    expect(again).toMatchObject({ requested: VALID, classified: 0, skipped: { already_classified: VALID } });
    const forced = await tagTweets('emotion', { ...all, force: true }, { source, store, loadClassifier: emotionModel });
    expect(forced).toMatchObject({ requested: VALID, classified: VALID, skipped: { already_classified: 0 } });
  });

  it('selects by inclusive date range and limit', async () => {
    const range = { ...all, force: true, startMs: Date.UTC(2025, 2, 1), endMs: Date.UTC(2025, 2, 4) - 1 };
    expect((await tagTweets('emotion', range, { source, store, loadClassifier: emotionModel })).requested).toBe(3);
    expect((await tagTweets('emotion', { ...all, force: true, limit: 2 }, { source, store, loadClassifier: emotionModel })).requested).toBe(2);
  });

  it('adds stance to the same documents, keeping emotion', async () => {
    const s = await tagTweets('stance', all, { source, store, loadClassifier: stanceModel });
    expect(s).toMatchObject({ requested: VALID, classified: VALID, failed: [] });
    const { count } = await rawClient().count({ index, query: { bool: { filter: [{ exists: { field: 'emotion.label' } }, { exists: { field: 'stance.label' } }] } } });
    expect(count).toBe(VALID);
    expect((await rawClient().count({ index })).count).toBe(VALID);
  });

  it('one failing tweet or a short answer from the model never hides the others', async () => {
    const flaky = async (): Promise<Classifier<'emotion'>> => {
      const real = await emotionModel();
      return {
        ...real,
        batchSize: 10,
        classify: async (texts) => {
          const out = await real.classify(texts);
          return out.map((r, i) => (texts[i]!.includes('terrified') ? { error: 'model exploded' } : r)).slice(0, -1);
        },
      };
    };
    const s = await tagTweets('emotion', { ...all, force: true }, { source, store, loadClassifier: flaky });
    expect(s.classified).toBe(VALID - 2);
    expect(s.failed).toEqual([
      { id: '3', reason: 'model exploded' },
      { id: '14', reason: 'the model returned no result' },
    ]);
  });

  it('writes nothing when the file is not valid JSON', async () => {
    const fresh = new ElasticsearchTweetStore(rawClient(), testIndex('badfile'));
    const bad = fileTweetSource(`${ROOT}/test/fixtures/not_json.json`);
    await expect(tagTweets('emotion', all, { source: bad, store: fresh, loadClassifier: emotionModel })).rejects.toThrow(DatasetError);
    expect((await fresh.stats()).exists).toBe(false);
  });
});

describe('Elasticsearch going down mid-run', () => {
  const index = testIndex('outage');
  const target = new URL(ES_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  afterAll(async () => {
    await proxy.cut().catch(() => undefined);
    await deleteIndex(index);
  });

  it('fails with a 503, keeps what was written, and a re-run completes with exact counts', async () => {
    await proxy.start();
    const store = new ElasticsearchTweetStore(new Client({ node: proxy.url, maxRetries: 1, requestTimeout: 5000 }), index);
    let batches = 0;
    const cutAfterFirstBatch = async (): Promise<Classifier<'emotion'>> => {
      const real = await emotionModel(); // batch size 2
      return {
        ...real,
        classify: async (texts) => {
          if (++batches === 2) await proxy.cut(); // the first batch is already written
          return real.classify(texts);
        },
      };
    };
    const error = await tagTweets('emotion', all, { source, store, loadClassifier: cutAfterFirstBatch }).catch((e) => e);
    expect(toHttpError(error)).toMatchObject({ status: 503, code: 'elasticsearch_unavailable' });

    await proxy.restore();
    const rerun = await tagTweets('emotion', all, { source, store, loadClassifier: emotionModel });
    expect(rerun).toMatchObject({ requested: VALID, classified: VALID - 2, skipped: { already_classified: 2 }, failed: [] });
    expect((await rawClient().count({ index })).count).toBe(VALID);
  });
});
