/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../support/browser';
import { deleteIndex } from '../support/es';
import { API_PORT, FIXTURE_MODELS_ENV, testIndex } from '../support/env';
import { expectedLanguages, multilingualRecords, writeSource } from '../support/multilingual';
import { startOffline, type OfflineServer } from '../support/offline';

// Sources and uploads through the real HTTP server, a dataset folder of its own; then the dashboard uploads a file.
const index = testIndex('sources-http');
const PORT = API_PORT + 80; // +40 is dashboard-states'
const MAX_BYTES = 20_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sources-http-'));
const uploads = path.join(dir, 'uploads');
const records = multilingualRecords();
let server: OfflineServer;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
async function call(method: string, url: string, body?: BodyInit, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${url}`, { method, body, headers });
  return { status: res.status, json: (await res.json()) as Json };
}
const postJson = (url: string, body: unknown) =>
  call('POST', url, JSON.stringify(body), { 'content-type': 'application/json' });
const sourcesNow = async () => (await call('GET', '/sources')).json.items as Json[];
const uploaded = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : []);
/** Records with fresh ids, so each upload adds tweets. */
const batch = (prefix: string, n: number) => records.slice(0, n).map((r, i) => ({ ...r, id: `${prefix}-${i}` }));

beforeAll(async () => {
  writeSource(path.join(dir, 'a.json'), records.slice(0, 30), 'array');
  writeSource(path.join(dir, 'b.jsonl'), records.slice(30, 60), 'lines');
  writeSource(path.join(dir, 'c.json.gz'), records.slice(60), 'gzip');
  const env = {
    ES_INDEX: index,
    DATASET_PATH: dir,
    ...FIXTURE_MODELS_ENV,
    UPLOAD_MAX_BYTES: String(MAX_BYTES),
    LOG_LEVEL: 'warn',
  };
  server = await startOffline(env, PORT);
});
afterAll(async () => {
  await server?.stop();
  await deleteIndex(index);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sources over HTTP', () => {
  it('POST /ingest reads the folder; GET /sources lists each file with its figures', async () => {
    const run = await postJson('/ingest', {});
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ unchanged: false, indexed: records.length, records: records.length });
    const listed = await sourcesNow();
    expect(listed.map((s) => [s.source, s.status, s.records, s.indexed])).toEqual([
      ['a.json', 'complete', 30, 30],
      ['b.jsonl', 'complete', 30, 30],
      ['c.json.gz', 'complete', records.length - 60, records.length - 60],
    ]);
    const again = await postJson('/ingest', {});
    expect(again.json.sources.map((s: Json) => s.unchanged)).toEqual([true, true, true]);
    expect(await sourcesNow()).toEqual(listed);
  });

  it('a path outside the dataset folder gets 400 (and one inside re-reads just it)', async () => {
    for (const bad of ['../etc/passwd', '/etc/passwd', 'uploads/../../x.json']) {
      const r = await postJson('/ingest', { path: bad });
      expect(r.status).toBe(400);
      expect(r.json.error.details[0].field).toBe('path');
    }
    expect((await postJson('/ingest', { path: 'nope.json' })).status).toBe(404);
    const one = await call('POST', '/ingest?path=b.jsonl&force=true');
    expect(one.json).toMatchObject({ file: 'b.jsonl', indexed: 30, sources: [{ source: 'b.jsonl' }] });
  });

  it('/tweets and /stats filter by source and language, and /stats splits by language', async () => {
    const bySource = await call('GET', '/tweets?source=a.json&limit=1');
    expect(bySource.json.total).toBe(30);
    const spanish = await call('GET', '/tweets?lang=es&limit=100');
    expect(spanish.json.items.every((t: Json) => t.lang === 'es' && t.lang_score > 0)).toBe(true);
    const stats = (await call('GET', '/stats')).json;
    expect(Object.fromEntries(stats.languages.map((l: Json) => [l.key, l.count]))).toEqual(expectedLanguages());
    expect((await call('GET', '/tweets?lang=english')).status).toBe(400);
  });

  it('/emotion tags English only; the answer counts the skipped by language, remaining goes to 0', async () => {
    const r = await postJson('/emotion', { limit: 1000 });
    expect(r.status).toBe(200);
    const { en, ...others } = expectedLanguages();
    expect(r.json).toMatchObject({ classified: en, remaining: 0, skipped: { by_language: others } });
    const stats = (await call('GET', '/stats')).json;
    expect(stats.emotion_languages.untagged_other_language).toBe(records.length - en!);
  });

  it('uploads of each kind are saved under a generated name and ingested', async () => {
    const lines = (rs: unknown[]) => rs.map((x) => JSON.stringify(x)).join('\n');
    const kinds: Array<[string, BodyInit, Record<string, string>]> = [
      ['array', JSON.stringify(batch('up-a', 5)), { 'content-type': 'application/json' }],
      ['ndjson', lines(batch('up-n', 6)), { 'content-type': 'application/x-ndjson' }],
      // serverless-offline hands over only application/octet-stream bodies as bytes (API Gateway: every binary one).
      [
        'content-encoding gzip',
        zlib.gzipSync(lines(batch('up-g', 7))),
        { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' },
      ],
      ['gzip bytes', zlib.gzipSync(JSON.stringify(batch('up-z', 8))), { 'content-type': 'application/octet-stream' }],
    ];
    for (const [i, [kind, body, headers]] of kinds.entries()) {
      const r = await call('POST', '/ingest', body, headers);
      expect([kind, r.status]).toEqual([kind, 200]);
      expect([kind, r.json.indexed]).toEqual([kind, 5 + i]);
      expect(r.json.file).toMatch(/^uploads\/upload-\d{8}T\d{6}Z-[0-9a-f]{8}\.jsonl?(\.gz)?$/);
    }
    expect(uploaded()).toHaveLength(4);
    // application/gzip arrives decoded as text under serverless-offline: a clear 415, nothing kept.
    const garbled = await call('POST', '/ingest', zlib.gzipSync('[]'), { 'content-type': 'application/gzip' });
    expect([garbled.status, garbled.json.error.code]).toEqual([415, 'upload_garbled']);
    const notTweets = await call('POST', '/ingest', '[1, 2', { 'content-type': 'application/json' });
    expect(notTweets.status).toBe(200); // a JSON array of non-records: every record invalid, reported
    expect(uploaded()).toHaveLength(5);
    const listed = await sourcesNow();
    const records_ = listed.filter((s) => s.source.startsWith('uploads/')).map((s) => s.records as number);
    expect(records_.sort((a, b) => a - b)).toEqual([2, 5, 6, 7, 8]);
    expect((await call('GET', '/tweets?limit=1')).json.total).toBe(records.length + 5 + 6 + 7 + 8);
  });

  it('an upload over UPLOAD_MAX_BYTES gets 413 naming the cap, and nothing is written', async () => {
    const before = uploaded();
    const big = JSON.stringify(batch('big', 74).concat(batch('big2', 74)));
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    const r = await call('POST', '/ingest', big, { 'content-type': 'application/json' });
    expect(r.status).toBe(413);
    expect(r.json.error.message).toContain(`UPLOAD_MAX_BYTES=${MAX_BYTES}`);
    expect(uploaded()).toEqual(before);
    expect((await sourcesNow()).length).toBe(3 + 5);
  });
});

describe('the dashboard uploads a file', () => {
  let browser: Browser;
  afterAll(async () => browser?.close());

  it('shows the ingest’s answer, the language split and the new counts', async () => {
    const file = path.join(os.tmpdir(), `dashboard-upload-${process.pid}.jsonl`);
    writeSource(file, batch('dash', 10), 'lines');
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`${server.url}/`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const total = () => page.$eval('#summary div b', (b) => Number(b.textContent));
    const before = await total();
    expect(await page.$eval('#no-emotion-language', (p) => p.textContent)).toMatch(/^\d+ tweets have no emotion/);
    const input = await page.$('#upload-file');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    const renders = await page.$eval('body', (b) => Number(b.dataset.renders));
    await page.click('#btn-upload');
    await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, { timeout: 60_000 }, renders);
    expect(await page.$eval('#upload-result', (o) => o.textContent)).toMatch(/→ uploads\/upload-.*: 10 indexed/);
    expect(await total()).toBe(before + 10);
    const langs = await page.$$eval('#languages li', (lis) => lis.map((li) => li.dataset.key));
    expect(langs).toEqual(expect.arrayContaining(['es', 'en', 'ca', 'pt', 'fr']));
    fs.rmSync(file, { force: true });
  });
});
