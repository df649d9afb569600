/// <reference lib="dom" />
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../support/browser';
import { deleteIndex } from '../support/es';
import { API_PORT, FIXTURE_MODELS_ENV, FIXTURES, testIndex } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';

// API_KEY set on the real server: every route kind refuses a call without the key (401, the project's error
// shape) and answers it with the key; /health and the page shells stay open.
const KEY = 'test-key-0123456789';
const index = testIndex('auth');
const PORT = API_PORT + 70; // random-client.test.ts has +50, robustness.test.ts +60
let server: OfflineServer;

beforeAll(async () => {
  server = await startOffline(
    {
      API_KEY: KEY,
      ES_INDEX: index,
      DATASET_PATH: FIXTURES.sample,
      ...FIXTURE_MODELS_ENV,
      LOG_LEVEL: 'silent',
    },
    PORT,
  );
});
afterAll(async () => {
  await server?.stop();
  await deleteIndex(index);
  await deleteIndex(`${index}-leases`);
  await deleteIndex(`${index}-jobs`);
});

const call = (method: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    body: method === 'POST' ? '{}' : undefined,
  });

// One route per kind: read, aggregate, write, model, job (collection, item, action), unknown path, wrong method.
const GUARDED: Array<[method: string, path: string, withKey: number]> = [
  ['GET', '/tweets?limit=2', 200],
  ['GET', '/stats', 200],
  ['POST', '/ingest', 200],
  ['GET', '/emotion?limit=2', 200],
  ['POST', '/stance?limit=1', 200],
  ['GET', '/jobs', 200],
  ['GET', '/jobs/no-such-job', 404],
  ['POST', '/jobs/no-such-job/cancel', 404],
  ['GET', '/no/such/route', 404],
  ['DELETE', '/tweets', 405],
];

describe('API_KEY', () => {
  it.each(GUARDED)('%s %s: 401 without a key, 401 with a wrong one', async (method, path) => {
    const missing = await call(method, path);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await missing.json()) as { error: Record<string, unknown> };
    expect(body).toEqual({
      error: {
        code: 'unauthorized',
        message: expect.stringContaining('Authorization: Bearer <API_KEY>'),
        details: { accepted: ['Authorization: Bearer <API_KEY>', 'x-api-key: <API_KEY>'] },
        request_id: missing.headers.get('x-request-id'),
      },
    });
    const wrong = await call(method, path, { authorization: `Bearer ${KEY}x` });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe('The API key is not valid.');
  });

  it.each(GUARDED)('%s %s: answers with the key, as a Bearer token or x-api-key', async (method, path, status) => {
    expect((await call(method, path, { authorization: `Bearer ${KEY}` })).status).toBe(status);
    expect((await call(method, path, { 'x-api-key': KEY })).status).toBe(status);
  });

  it.each(['/health', '/', '/dashboard/app.js', '/docs', '/docs/swagger-ui.css', '/openapi.json'])(
    'GET %s is open without a key',
    async (path) => {
      expect((await call('GET', path)).status).toBe(200);
    },
  );

  it('the OpenAPI document declares both schemes (Swagger UI shows Authorize); open routes opt out', async () => {
    const spec = (await (await call('GET', '/openapi.json')).json()) as {
      components: { securitySchemes: Record<string, unknown> };
      security: unknown[];
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(spec.components.securitySchemes).toMatchObject({
      bearerKey: { type: 'http', scheme: 'bearer' },
      headerKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
    });
    expect(spec.security).toEqual([{ bearerKey: [] }, { headerKey: [] }]);
    expect(spec.paths['/health']!.get!.security).toEqual([]);
    expect(spec.paths['/tweets']!.get!.security).toBeUndefined(); // the document-wide requirement applies
  });

  it('a browser on another origin may send the key (CORS preflight)', async () => {
    const res = await fetch(`${server.url}/tweets`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,x-api-key',
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/x-api-key/i);
  });

  describe('the dashboard', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(() => browser?.close());

    it('asks for the key once, keeps it in the tab (sessionStorage), and loads the data with it', async () => {
      const page = await browser.newPage();
      const prompts: string[] = [];
      page.on('dialog', (dialog) => {
        prompts.push(dialog.message());
        void dialog.accept(KEY);
      });
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
      expect(prompts).toEqual(['This API needs a key (the API_KEY it was started with):']);
      expect(await page.evaluate(() => sessionStorage.getItem('political-tweets-etl.api-key'))).toBe(KEY);
      expect(await page.$eval('#banner', (el) => (el as HTMLElement).hidden)).toBe(true); // no error shown

      await page.reload();
      await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
      expect(prompts).toHaveLength(1); // the tab kept it
      await page.close();
    });
  });
});
