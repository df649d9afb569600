import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../../scripts/bench/generate-tweets';
import { bucketOf } from '../../lib/store/mapping';
import { deleteIndex, rawClient } from '../support/es';
import { API_PORT, FIXTURES, ROOT, testIndex } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';

/**
 * Jobs through the real stack: serverless-offline, the real Lambda Invoke API (InvocationType Event) on its lambda
 * port, the job worker re-invoking itself, real Elasticsearch, fixture models. Nothing is mocked.
 */

const PORT = API_PORT + 20; // api.test.ts has API_PORT; runInBand, but a port still in TIME_WAIT is not worth a flake
const models = { EMOTION_MODEL_DIR: FIXTURES.emotionDir, STANCE_MODEL_PATH: FIXTURES.stancePath, LOG_LEVEL: 'warn' };
// Small slices: a 30-tweet job takes several worker invocations. Stalled after 6 s without a heartbeat.
const jobEnv = { JOB_SLICE_MS: '800', JOB_STALL_MS: '6000', EMOTION_BATCH_SIZE: '4' };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: OfflineServer;
const url = () => server.url;

async function call(
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; json: Json; headers: Headers }> {
  const res = await fetch(`${url()}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: JSON.parse(await res.text()), headers: res.headers };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the job until `until` holds, keeping every answer (to check the order of statuses and progress). */
async function follow(id: string, until: (job: Json) => boolean, seen: Json[] = []): Promise<Json[]> {
  for (;;) {
    const res = await call('GET', `/jobs/${id}`);
    expect(res.status).toBe(200);
    seen.push(res.json);
    if (until(res.json)) return seen;
    await sleep(100);
  }
}
const finished = (j: Json) => ['succeeded', 'failed', 'cancelled'].includes(j.status);

/** Stored documents of the index with their version: ingest writes version 1, each classification one more. */
async function stored(index: string): Promise<Array<{ id: string; version: number; source: Json }>> {
  await rawClient().indices.refresh({ index });
  const r = await rawClient().search<Json>({ index, size: 1000, version: true, query: { match_all: {} } });
  return r.hits.hits.map((h) => ({ id: h._id!, version: h._version!, source: h._source! }));
}

const expectNeverBackwards = (seen: Json[]) => {
  for (let i = 1; i < seen.length; i++) {
    expect(seen[i]!.progress.done).toBeGreaterThanOrEqual(seen[i - 1]!.progress.done);
    expect(seen[i]!.progress.classified).toBeGreaterThanOrEqual(seen[i - 1]!.progress.classified);
  }
};

describe('jobs on the 30 sample tweets', () => {
  const index = testIndex('jobs');
  const env = { ...models, ...jobEnv, ES_INDEX: index, DATASET_PATH: FIXTURES.sample };

  beforeAll(async () => {
    server = await startOffline(env, PORT);
  });
  afterAll(async () => {
    await server?.stop();
    await deleteIndex(index);
    await deleteIndex(`${index}-jobs`);
    await deleteIndex(`${index}-leases`);
  });

  it('bad job parameters get 400 with one detail per field; unknown job ids get 404', async () => {
    const badTask = await call('POST', '/jobs', { task: 'sentiment', limit: 5 });
    expect(badTask.status).toBe(400);
    expect(badTask.json.error.details).toEqual([{ field: 'task', message: 'must be one of emotion, stance, ingest' }]);
    const bad = await call('POST', '/jobs', { task: 'emotion', limit: 0, partitions: 17, start_date: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: Json) => d.field).sort()).toEqual(['limit', 'partitions', 'start_date']);
    expect((await call('POST', '/jobs', { task: 'ingest', limit: 5 })).json.error.details).toEqual([
      { field: 'limit', message: 'is not a known parameter' },
    ]);
    expect((await call('POST', '/jobs?task=stance', {})).json.error.details).toEqual([
      { field: 'task', message: 'belongs in the JSON body, not the query string' },
    ]);
    expect((await call('POST', '/jobs', { task: 'stance', colour: 'red' })).status).toBe(400);
    expect((await call('POST', '/stance', { async: 'maybe' })).status).toBe(400);
    for (const id of ['no-such-job', '00000000-0000-4000-8000-000000000000']) {
      for (const [method, p] of [
        ['GET', `/jobs/${id}`],
        ['POST', `/jobs/${id}/cancel`],
        ['POST', `/jobs/${id}/resume`],
      ] as const) {
        const res = await call(method, p);
        expect(res.status).toBe(404);
        expect(res.json.error.code).toBe('not_found');
      }
    }
  });

  it('the OpenAPI document describes the job routes from the same schemas', async () => {
    const { json } = await call('GET', '/openapi.json');
    expect(Object.keys(json.paths['/jobs'])).toEqual(['post', 'get']);
    expect(Object.keys(json.paths['/jobs/{id}'])).toEqual(['get']);
    expect(Object.keys(json.paths['/jobs/{id}/cancel'])).toEqual(['post']);
    // A JSON body of one of two shapes, told apart by task: a tagging job, or an ingest job that takes force only.
    const body = json.paths['/jobs'].post.requestBody.content['application/json'].schema;
    expect(json.paths['/jobs'].post.parameters).toBeUndefined();
    expect(body.oneOf.map((s: Json) => Object.keys(s.properties))).toEqual([
      ['task', 'limit', 'start_date', 'end_date', 'force', 'partitions'],
      ['task', 'force'],
    ]);
    const job = json.paths['/jobs/{id}'].get.responses['200'].content['application/json'].schema;
    expect(job.properties.status.enum).toEqual(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'stalled']);
    expect(json.paths['/stance'].post.parameters.map((p: Json) => p.name)).toContain('async');
  });

  it('a stance job of 30 tweets goes queued → running → succeeded, progress never backwards, each tweet once', async () => {
    const created = await call('POST', '/jobs', { task: 'stance', limit: 30 });
    expect(created.status).toBe(202);
    expect(created.headers.get('location')).toBe(`/jobs/${created.json.id}`);
    expect(created.json).toMatchObject({ task: 'stance', status: 'queued', params: { limit: 30, partitions: 1 } });
    const seen = await follow(created.json.id, finished, [created.json]);
    const statuses = seen.map((j) => j.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses).toEqual(['queued', 'running', 'succeeded']);
    expectNeverBackwards(seen);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({
      progress: { done: 30, total: 30, classified: 30, failed: 0 },
      summary: { classified: 30, remaining: 0, model: { id: 'fixture/stance-tiny' } },
      error: null,
    });
    expect(last.partitions[0].invocations).toBeGreaterThan(1); // it did re-invoke itself
    const docs = await stored(index);
    expect(docs).toHaveLength(30);
    expect(docs.every((d) => d.source.stance && d.version === 2)).toBe(true); // ingested once, classified once
    const listed = await call('GET', '/jobs');
    expect(listed.json.items[0]).toMatchObject({ id: created.json.id, status: 'succeeded' });
  });

  it('cancel or resume of a finished job is 409; async=true on /emotion answers 202 like POST /jobs', async () => {
    const [done] = (await call('GET', '/jobs?limit=1')).json.items;
    expect((await call('POST', `/jobs/${done.id}/cancel`)).json.error.code).toBe('job_finished');
    expect((await call('POST', `/jobs/${done.id}/resume`)).status).toBe(409);
    const res = await call('POST', '/emotion?async=true', { limit: 30 });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/jobs/${res.json.id}`);
    const last = (await follow(res.json.id, finished)).at(-1)!;
    expect(last).toMatchObject({ task: 'emotion', status: 'succeeded', progress: { classified: 30 } });
  });

  it('2 partitions cover every tweet exactly once, each its own slice of the id hash', async () => {
    const created = await call('POST', '/jobs', { task: 'emotion', partitions: 2, force: true });
    expect(created.status).toBe(202);
    const last = (await follow(created.json.id, finished)).at(-1)!;
    expect(last.status).toBe('succeeded');
    const docs = await stored(index);
    const inPart = (i: number) => docs.filter((d) => bucketOf(d.id) % 2 === i).length;
    expect(last.partitions.map((p: Json) => p.classified)).toEqual([inPart(0), inPart(1)]);
    expect(inPart(0)).toBeGreaterThan(0);
    expect(inPart(1)).toBeGreaterThan(0);
    expect(last.progress.classified).toBe(30);
    // Versions: ingest 1, stance 2, emotion 3 (async job), forced emotion 4 — never a 5th write.
    expect(docs.map((d) => d.version).every((v) => v === 4)).toBe(true);
    expect(docs.every((d) => Date.parse(d.source.emotion.classified_at) >= Date.parse(created.json.created_at))).toBe(
      true,
    );
  });

  it('limit = every tweet over 4 unequal partitions: the spare shares move, every tweet is tagged once', async () => {
    const docs = await stored(index);
    const inPart = [0, 1, 2, 3].map((i) => docs.filter((d) => bucketOf(d.id) % 4 === i).length);
    expect(new Set(inPart).size).toBeGreaterThan(1); // unequal: a fixed share of 30/4 would leave tweets out
    const created = await call('POST', '/jobs', { task: 'emotion', partitions: 4, force: true, limit: 30 });
    const last = (await follow(created.json.id, finished)).at(-1)!;
    expect(last).toMatchObject({ status: 'succeeded', progress: { classified: 30 }, summary: { remaining: 0 } });
    expect(last.partitions.map((p: Json) => p.classified)).toEqual(inPart);
    expect(last.partitions.reduce((n: number, p: Json) => n + p.limit, 0)).toBe(30);
    expect((await stored(index)).every((d) => d.version === 5)).toBe(true); // one more write each, never two
  });
});

describe('jobs on 400 generated tweets: 409, cancel, kill and resume', () => {
  const index = testIndex('jobs-long');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobs-'));
  const env = { ...models, ...jobEnv, ES_INDEX: index, DATASET_PATH: path.join(dir, 'tweets.json') };
  const stanceTagged = async () => (await stored(index)).filter((d) => d.source.stance);

  beforeAll(async () => {
    await generate(env.DATASET_PATH, 400, false);
    server = await startOffline(env, PORT);
  });
  afterAll(async () => {
    await server?.stop();
    await deleteIndex(index);
    await deleteIndex(`${index}-jobs`);
    await deleteIndex(`${index}-leases`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('one running job per task: a second job, or a synchronous call, of the same task gets 409 naming it', async () => {
    const first = await call('POST', '/jobs', { task: 'stance', limit: 40 });
    expect(first.status).toBe(202);
    for (const [p, body] of [
      ['/jobs', { task: 'stance' }],
      ['/stance', { limit: 1 }],
    ] as const) {
      const second = await call('POST', p, body);
      expect(second.status).toBe(409);
      expect(second.json.error).toMatchObject({
        code: 'task_busy',
        details: { running: { holder: `job-${first.json.id}` } },
      });
      expect(second.json.error.message).toContain(first.json.id);
    }
    const last = (await follow(first.json.id, finished)).at(-1)!;
    expect(last).toMatchObject({ status: 'succeeded', progress: { done: 40, classified: 40 } });
    expect((await call('POST', '/jobs', { task: 'stance', limit: 1 })).status).toBe(202); // the task is free again
    await follow((await call('GET', '/jobs?limit=1')).json.items[0].id, finished);
  });

  it('cancel stops the worker after its batch; what it wrote stays written, the task is free again', async () => {
    const before = (await stanceTagged()).length;
    const created = await call('POST', '/jobs', { task: 'stance' });
    const seen = await follow(created.json.id, (j) => j.progress.classified > 0);
    const cancel = await call('POST', `/jobs/${created.json.id}/cancel`);
    expect(cancel.status).toBe(202);
    expect(cancel.json).toMatchObject({ status: 'running', cancel_requested: true });
    await follow(created.json.id, finished, seen);
    expectNeverBackwards(seen);
    const last = seen.at(-1)!;
    expect(last.status).toBe('cancelled');
    expect(last.progress.done).toBeLessThan(400 - before);
    expect((await stanceTagged()).length).toBe(before + last.progress.classified); // written, counted, kept
    expect((await call('POST', `/jobs/${created.json.id}/cancel`)).status).toBe(409);
  });

  it('the API is killed mid-job: the job reads stalled, resume finishes it, every tweet is classified once', async () => {
    // No limit: the job is done when every tweet of the range is tagged, so "once" is checkable on every tweet.
    const range = { start_date: '2025-08-01', end_date: '2025-09-30' };
    const created = await call('POST', '/jobs', { task: 'stance', ...range });
    const seen = await follow(created.json.id, (j) => j.progress.done >= 10);
    await server.stop(); // the worker dies with it, mid-slice
    server = await startOffline(env, PORT);
    await follow(created.json.id, (j) => j.status === 'stalled', seen);
    const resumed = await call('POST', `/jobs/${created.json.id}/resume`);
    expect(resumed.status).toBe(202);
    expect(resumed.json.status).toBe('queued');
    const last = (await follow(created.json.id, finished, seen)).at(-1)!;
    expectNeverBackwards(seen);
    expect(last).toMatchObject({ status: 'succeeded', summary: { remaining: 0 } });
    const inRange = (await stored(index)).filter(
      (d) => d.source.created_at >= '2025-08-01' && d.source.created_at < '2025-10-01',
    );
    expect(inRange.length).toBeGreaterThan(30); // a range of real size: the kill came mid-job
    expect(inRange.filter((d) => !d.source.stance)).toEqual([]);
    // Ingest wrote version 1 and one classification version 2: a tweet classified twice would be at 3.
    expect(inRange.filter((d) => d.version !== 2).map((d) => d.id)).toEqual([]);
  });

  it('npm run tag starts a job and follows it; --job re-attaches; Ctrl-C cancels the job', async () => {
    const cliEnv = { ...process.env, API_URL: url(), LOG_LEVEL: 'silent' };
    const tsx = [process.execPath, ['--import', 'tsx', 'scripts/tag.ts']] as const;
    const done = await new Promise<{ code: number | null; stdout: string }>((resolve) =>
      execFile(tsx[0], [...tsx[1], 'stance', '--limit', '5'], { cwd: ROOT, env: cliEnv }, (e, stdout) =>
        resolve({ code: e ? (e.code as number) : 0, stdout }),
      ),
    );
    expect(done.code).toBe(0);
    const job = JSON.parse(done.stdout.slice(done.stdout.indexOf('{')));
    expect(job).toMatchObject({ task: 'stance', status: 'succeeded', progress: { done: 5, classified: 5 } });

    const child = spawn(tsx[0], [...tsx[1], 'stance'], { cwd: ROOT, env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let running: Json | undefined;
    while (!running) {
      const [latest] = (await call('GET', '/jobs?limit=1')).json.items;
      if (latest.id !== job.id && latest.progress.done > 0) running = latest;
      else await sleep(200);
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(JSON.parse(out.slice(out.indexOf('{')))).toMatchObject({ id: running.id, status: 'cancelled' });

    const again = await new Promise<string>((resolve, reject) =>
      execFile(tsx[0], [...tsx[1], '--job', job.id], { cwd: ROOT, env: cliEnv }, (e, stdout) =>
        e ? reject(e) : resolve(stdout),
      ),
    );
    expect(JSON.parse(again.slice(again.indexOf('{')))).toMatchObject({ id: job.id, status: 'succeeded' });
  });
});
