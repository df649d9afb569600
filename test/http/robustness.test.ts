import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../../scripts/bench/generate-tweets';
import { deleteIndex } from '../support/es';
import { API_PORT, ES_URL, FIXTURE_MODELS_ENV, testIndex } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * The failures that used to end the server, through the real stack (serverless-offline, real Elasticsearch behind a
 * TCP proxy the test can freeze, fixture models): a forced run over a partly tagged index larger than one page,
 * and Elasticsearch frozen (it accepts connections and never answers, like a SIGSTOPped node) under every route
 * kind and a running job.
 */

const PORT = API_PORT + 60;
const REQUEST_TIMEOUT_MS = 1500;
/** The bound this test holds a frozen Elasticsearch to: the client's timeout, its one retry, and slack for a busy machine. */
const FROZEN_BOUND_MS = 2 * REQUEST_TIMEOUT_MS + 4000;
const TWEETS = 700; // more than the first page of a tagging run (256)
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const es = new URL(ES_URL);
const proxy = new TcpProxy({ host: es.hostname, port: Number(es.port || 9200) });
const index = testIndex('robust');
let server: OfflineServer;
let dir: string;

async function call(method: string, p: string, body?: unknown) {
  const t0 = Date.now();
  const res = await fetch(`${server.url}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Json, ms: Date.now() - t0 };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'robust-'));
  await generate(path.join(dir, 'tweets.json'), TWEETS, false);
  await proxy.start();
  server = await startOffline(
    {
      ES_URL: proxy.url,
      ES_INDEX: index,
      ES_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      // Bulk writes get the same timeout (their own is 60 s, longer than any freeze here), and small stance batches
      // make the job's worker touch Elasticsearch (lease renewal, writes) every few hundred ms: it cannot sit out
      // the freeze inside one long batch.
      ES_BULK_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      STANCE_BATCH_SIZE: '16',
      DATASET_PATH: path.join(dir, 'tweets.json'),
      ...FIXTURE_MODELS_ENV,
      JOB_SLICE_MS: '1000',
      LOG_LEVEL: 'warn',
    },
    PORT,
  );
});
afterAll(async () => {
  await server?.stop();
  await proxy.close();
  await deleteIndex(index);
  fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  // Whatever a test did, the server is still up and never logged an unhandled error.
  await proxy.restore();
  expect((await call('GET', '/health')).status).toBe(200);
  const log = fs.readFileSync(server.logFile, 'utf8');
  expect(log).not.toMatch(/unhandled rejection|Uncaught/i);
});

describe('a forced run over a partly tagged index larger than one page', () => {
  it('pages past tweets never tagged, with exact counts, and the server stays up', async () => {
    expect((await call('POST', '/ingest')).json).toMatchObject({ indexed: TWEETS });
    expect((await call('POST', '/emotion', { limit: 100 })).json).toMatchObject({ classified: 100 });
    // Never tagged first (600), then the stalest: the first page ends on an untagged tweet, the second must follow it.
    const forced = await call('POST', '/emotion', { limit: 400, force: true });
    expect(forced.status).toBe(200);
    expect(forced.json).toMatchObject({ selected: 400, classified: 400, failed: [] });
    expect((await call('GET', '/tweets?tagged=none&limit=1')).json.total).toBe(TWEETS - 500);
    // Again: the last 200 never tagged, then the 200 stalest tags (the first call's 100, then 100 of the forced one).
    const again = await call('POST', '/emotion', { limit: 400, force: true });
    expect(again.json).toMatchObject({ selected: 400, classified: 400 });
    expect((await call('GET', '/tweets?tagged=none&limit=1')).json.total).toBe(0);
  });

  it('does the same as a job, which succeeds', async () => {
    const created = await call('POST', '/jobs', { task: 'emotion', limit: 500, force: true });
    expect(created.status).toBe(202);
    let job: Json = created.json;
    for (let i = 0; i < 600 && !['succeeded', 'failed', 'cancelled'].includes(job.status); i++) {
      await sleep(100);
      job = (await call('GET', `/jobs/${created.json.id}`)).json;
    }
    expect(job).toMatchObject({ status: 'succeeded', progress: { classified: 500, failed: 0 }, error: null });
  });
});

describe('Elasticsearch frozen', () => {
  it(`every route kind answers a named 503 within ${FROZEN_BOUND_MS} ms, and normally once it is back`, async () => {
    proxy.freeze();
    const answers = await Promise.all([
      call('GET', '/tweets?limit=1'),
      call('GET', '/stats'),
      call('GET', '/tweets?format=csv'),
      call('POST', '/emotion', { limit: 5 }),
      call('POST', '/ingest', { force: true }),
      call('POST', '/jobs', { task: 'stance', limit: 5 }),
      call('GET', '/jobs'),
    ]);
    for (const a of answers) {
      expect(a).toMatchObject({
        status: 503,
        json: { error: { code: 'elasticsearch_unavailable', details: { hint: expect.stringContaining('ES_URL') } } },
      });
      expect(a.ms).toBeLessThan(FROZEN_BOUND_MS);
    }
    await proxy.restore();
    expect((await call('GET', '/tweets?limit=1')).status).toBe(200);
    expect((await call('GET', '/stats')).status).toBe(200);
    expect((await call('POST', '/emotion', { limit: 5 })).status).toBe(200);
  });

  it('a job whose worker meets a frozen node is marked failed, naming it, and resumes to the end', async () => {
    const created = await call('POST', '/jobs', { task: 'stance', limit: 300, force: true });
    expect(created.status).toBe(202);
    let job: Json = created.json;
    while (job.progress.done === 0 && job.status !== 'succeeded') {
      await sleep(100);
      job = (await call('GET', `/jobs/${created.json.id}`)).json;
    }
    expect(job.status).toBe('running'); // frozen mid-job, not after it
    proxy.freeze();
    await sleep(3 * REQUEST_TIMEOUT_MS);
    await proxy.restore();
    for (let i = 0; i < 300 && ['queued', 'running'].includes(job.status); i++) {
      await sleep(100);
      job = (await call('GET', `/jobs/${created.json.id}`)).json;
    }
    expect(job).toMatchObject({ status: 'failed', error: { code: 'elasticsearch_unavailable' } });
    expect((await call('POST', `/jobs/${job.id}/resume`)).status).toBe(202);
    for (let i = 0; i < 600 && job.status !== 'succeeded'; i++) {
      await sleep(100);
      job = (await call('GET', `/jobs/${created.json.id}`)).json;
    }
    expect(job.status).toBe('succeeded');
    // The batch in flight when the node froze may have been counted but not written; it is never written twice.
    expect(job.progress.classified).toBeGreaterThan(200);
    expect(job.progress.classified).toBeLessThanOrEqual(300);
  });
});
