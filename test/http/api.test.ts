import http from 'node:http';
import { deleteIndex, rawClient } from '../support/es';
import { API_PORT, FIXTURE_MODELS_ENV, FIXTURES, testIndex } from '../support/env';
import { invokeLocal } from '../support/invoke-local';
import { startOffline, type OfflineServer } from '../support/offline';

const index = testIndex('http');
const env = {
  ES_INDEX: index,
  DATASET_PATH: FIXTURES.dataset,
  ...FIXTURE_MODELS_ENV,
  EMOTION_BATCH_SIZE: '4',
  LOG_LEVEL: 'warn',
};
const VALID = 7; // usable, distinct tweets in the edge-case file
let server: OfflineServer;

async function request(path: string, init?: RequestInit) {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text), headers: res.headers };
}
/** Any method, through node:http. */
function rawRequest(
  method: string,
  path: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}
const post = (path: string, body: unknown) =>
  request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
/** Documents in the test index (none while it does not exist); any other failure throws, never a sentinel. */
async function storedCount(): Promise<number> {
  try {
    return (await rawClient().count({ index })).count;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return 0;
    throw error;
  }
}

beforeAll(async () => {
  server = await startOffline(env, API_PORT);
});
afterAll(async () => {
  await server?.stop();
  await deleteIndex(index);
});

describe('HTTP API through serverless-offline, real Elasticsearch, fixture models', () => {
  it('GET /health reports Elasticsearch and the model files', async () => {
    const res = await request('/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: 'ok',
      elasticsearch: { reachable: true, index },
      models: { emotion: { present: true }, stance: { present: true } },
    });
  });

  it('POST /ingest loads the file: valid tweets in, invalid records listed; untagged tweets are served', async () => {
    const res = await post('/ingest', {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      unchanged: false,
      format: 'json-array',
      records: 14,
      indexed: 8,
      invalid: { count: 6 },
    });
    expect(res.json.invalid.first[0]).toEqual({ position: 5, reason: 'missing or invalid id' });
    const untagged = await request('/tweets?tagged=none&limit=100');
    expect(untagged.json.total).toBe(VALID);
    expect(untagged.json.items[0]).not.toHaveProperty('emotion');
    expect((await post('/ingest', {})).json).toMatchObject({ unchanged: true, records: 14, indexed: 0 });
  });

  it('POST /emotion tags the next tweets not tagged yet, and says how many remain', async () => {
    const res = await post('/emotion', { limit: 5 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      task: 'emotion',
      requested: 5,
      selected: 5,
      classified: 5,
      remaining: VALID - 5,
      failed: [],
      model: { id: 'fixture/emotion-tiny', dtype: 'fp32' },
      ingest: { unchanged: true },
      took_ms: expect.any(Number),
    });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect((await post('/emotion', { limit: 100 })).json).toMatchObject({ selected: 2, classified: 2, remaining: 0 });
  });

  it('GET /tweets returns them with emotion, and an id above 2^53 exactly as in the file', async () => {
    const res = await request('/tweets?limit=100&tagged=emotion');
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(VALID);
    expect(res.text).toContain('"id":"1790123456789012345"');
    const big = res.json.items.find((t: { id: string }) => t.id === '1790123456789012345');
    expect(big.emotion).toMatchObject({
      label: 'anger',
      scores: expect.objectContaining({ anger: expect.any(Number) }),
    });
    expect((await request('/tweets?tagged=none')).json.total).toBe(0);
  });

  it('a call with nothing left classifies nothing; force=true (GET, query string) re-tags', async () => {
    expect((await post('/emotion', {})).json).toMatchObject({ selected: 0, classified: 0, remaining: 0 });
    // Forced, `remaining` is what this forced pass has left: tweets tagged before the call, not re-tagged yet.
    expect((await request('/emotion?force=true&limit=3')).json).toMatchObject({
      requested: 3,
      classified: 3,
      remaining: VALID - 3,
    });
  });

  it('POST /stance fills the same documents: one document per tweet holding both', async () => {
    const res = await post('/stance', { start_date: '2024-01-01', end_date: '2025-12-31' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      task: 'stance',
      selected: VALID,
      classified: VALID,
      remaining: 0,
      failed: [],
      model: { id: 'fixture/stance-tiny' },
    });
    const page = await request('/tweets?limit=100');
    expect(page.json.total).toBe(VALID);
    for (const t of page.json.items) {
      expect(t.emotion.label).toBeDefined();
      expect(['SUPPORT', 'OPPOSE', 'NEUTRAL']).toContain(t.stance.label);
      expect(t.stance).toMatchObject({ prompt_version: expect.any(String), method: 'label-first-token' });
    }
  });

  it('pages with next_cursor, newest first, without repeats, and filters by date and label', async () => {
    const ids: string[] = [];
    let cursor = '';
    do {
      const res = await request(`/tweets?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...res.json.items.map((t: { id: string }) => t.id));
      cursor = res.json.next_cursor ?? '';
    } while (cursor);
    expect(new Set(ids).size).toBe(VALID);
    const march = await request('/tweets?start_date=2025-03-01&end_date=2025-03-03');
    expect(march.json.items.map((t: { id: string }) => t.id)).toEqual([
      '3',
      '1790123456789012346',
      '1790123456789012345',
    ]);
    const angry = await request('/tweets?emotion=anger');
    expect(angry.json.items.length).toBeGreaterThan(0); // `every` holds on an empty page
    expect(angry.json.items.every((t: { emotion: { label: string } }) => t.emotion.label === 'anger')).toBe(true);
  });

  it.each([
    ['/tweets?limit=0', 'limit'],
    ['/tweets?limit=-1', 'limit'],
    ['/tweets?limit=abc', 'limit'],
    ['/tweets?limit=1000000000', 'limit'],
    ['/tweets?start_date=2025-13-40', 'start_date'],
    ['/tweets?end_date=0000-00-00', 'end_date'],
    ['/tweets?start_date=2025-01-01&start_date=2025-02-01', 'start_date'],
    ['/tweets?cursor=bogus', 'cursor'],
    ['/tweets?sort=asc', 'sort'],
    ['/emotion?limit=0', 'limit'],
    ['/stance?force=maybe', 'force'],
    ['/ingest?force=perhaps', 'force'],
    ['/ingest?path=/etc/passwd', 'path'],
    ['/ingest?path=a/../../etc/passwd', 'path'],
    ['/tweets?lang=%C3%B2', 'lang'],
    ['/tweets?tagged=some', 'tagged'],
  ])('%s → 400 naming %s, nothing stored changes', async (path, field) => {
    const before = await storedCount();
    const res = await request(path, { method: path.startsWith('/ingest') ? 'POST' : 'GET' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'bad_request', request_id: expect.any(String) });
    expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await storedCount()).toBe(before);
  });

  it('POST with a body that is not JSON → 400', async () => {
    const res = await post('/emotion', '{"limit": ');
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('The request body is not valid JSON');
  });

  // (A JSON array is an upload on /ingest; a JSON string reaches the handler parsed by serverless-offline.)
  it.each(['false', '3', 'null', '[1]'])('POST with the JSON body %s (not an object) → 400', async (body) => {
    for (const path of ['/emotion', '/jobs', ...(body === '[1]' ? [] : ['/ingest'])]) {
      const res = await post(path, body);
      expect([path, res.status, res.json.error?.message]).toEqual([
        path,
        400,
        'The request body must be a JSON object',
      ]);
    }
  });

  it('an unknown route → JSON 404; a known path with a method it lacks → 405 with Allow', async () => {
    for (const path of ['/nope', '/dashboard/a/b']) {
      const nope = await request(path);
      expect(nope.status).toBe(404);
      expect(nope.json.error.code).toBe('not_found');
    }
    for (const [method, path, allow] of [
      ['DELETE', '/tweets', 'GET'],
      ['TRACE', '/health', 'GET'],
      ['GET', '/ingest', 'POST'],
      ['POST', '/', 'GET'],
    ] as const) {
      const res = await rawRequest(method, path); // fetch refuses TRACE
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(JSON.parse(res.body).error).toMatchObject({
        code: 'method_not_allowed',
        details: { allow: allow.split(', ') },
      });
    }
  });

  it('an empty query value counts as not given, as the spec says', async () => {
    const res = await request('/tweets?limit=&end_date=&cursor=&emotion=');
    expect(res.status).toBe(200);
    expect(res.json.items).toHaveLength(Math.min(20, VALID));
  });
});

describe('per-function invocation (sls invoke local)', () => {
  it('invokes tweets with a query string', async () => {
    const res = await invokeLocal('tweets', { queryStringParameters: { limit: '2' } }, { ES_INDEX: index });
    expect(res.statusCode).toBe(200);
    expect(res.json.items).toHaveLength(2);
    expect(res.json.next_cursor).toEqual(expect.any(String));
  });

  it('answers 503 with what to do when Elasticsearch is down', async () => {
    const res = await invokeLocal('tweets', {}, { ES_URL: 'http://127.0.0.1:1' });
    expect(res.statusCode).toBe(503);
    expect(res.json.error).toMatchObject({ code: 'elasticsearch_unavailable', details: { hint: expect.any(String) } });
  });

  it('resolves relative paths (the defaults) against the project, not the build folder', async () => {
    const res = await invokeLocal(
      'emotion',
      { body: '{"limit": 2, "force": true}' },
      {
        ES_INDEX: index,
        DATASET_PATH: 'data/sample_tweets.json',
        EMOTION_MODEL_DIR: 'models/fixtures/emotion-tiny',
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ requested: 2, classified: 2, ingest: { records: 30, indexed: 30 } });
  });

  it('answers 503 with the fetch command when the emotion model is missing', async () => {
    const res = await invokeLocal(
      'emotion',
      { body: '{"limit": 1}' },
      { ES_INDEX: index, DATASET_PATH: FIXTURES.dataset, EMOTION_MODEL_DIR: '/nonexistent/model' },
    );
    expect(res.statusCode).toBe(503);
    expect(res.json.error).toMatchObject({
      code: 'emotion_model_unavailable',
      details: { hint: expect.stringContaining('npm run models') },
    });
  });
});

describe('API documentation', () => {
  it('GET /openapi.json lists every endpoint with the validated parameters', async () => {
    const res = await request('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths).sort()).toEqual([
      '/',
      '/dashboard',
      '/docs',
      '/emotion',
      '/health',
      '/ingest',
      '/jobs',
      '/jobs/{id}',
      '/jobs/{id}/cancel',
      '/jobs/{id}/resume',
      '/openapi.json',
      '/sources',
      '/stance',
      '/stats',
      '/tweets',
    ]);
    expect(res.json.paths['/tweets'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'limit',
      'cursor',
      'start_date',
      'end_date',
      'emotion',
      'stance',
      'tagged',
      'q',
      'hashtag',
      'author',
      'source',
      'lang',
      'min_score',
      'sort',
      'format',
    ]);
    expect(res.json.paths['/stats'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty(
      'matrix',
    );
    expect(Object.keys(res.json.paths['/emotion'])).toEqual(['post', 'get']);
    const params = Object.fromEntries(
      res.json.paths['/tweets'].get.parameters.map((p: { name: string; schema: unknown }) => [p.name, p.schema]),
    );
    expect(params.limit).toEqual({ type: 'integer', minimum: 1, maximum: 1000, default: 20 });
    expect(params.emotion.enum).toEqual(['anger', 'disgust', 'fear', 'joy', 'neutral', 'sadness', 'surprise']);
    expect(params.stance.enum).toEqual(['SUPPORT', 'OPPOSE', 'NEUTRAL']);
    expect(params.start_date.anyOf).toEqual([
      { type: 'string', format: 'date' },
      { type: 'string', format: 'date-time' },
    ]);
    const tagParams = res.json.paths['/emotion'].post.parameters;
    expect(tagParams.find((p: { name: string }) => p.name === 'force').schema).toEqual({
      type: 'boolean',
      default: false,
    });
    expect(Object.keys(res.json.paths['/emotion'].post.responses).sort()).toEqual([
      '200',
      '202',
      '400',
      '401', // only with API_KEY set (test/http/auth.test.ts)
      '409',
      '422',
      '500',
      '503',
    ]);
    const stance = res.json.paths['/tweets'].get.responses['200'].content['application/json'].schema;
    expect(JSON.stringify(stance)).toContain('raw_output');
    expect(res.json.servers[0].url).toBe(server.url);
  });

  it('GET /docs serves the Swagger UI page and its assets from the local package', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain("url: '/openapi.json'");
    const js = await fetch(`${server.url}/docs/swagger-ui-bundle.js`);
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
    expect((await request('/docs/../../etc/passwd')).status).toBe(404);
    expect((await request('/docs/package.json')).status).toBe(404);
  });
});
