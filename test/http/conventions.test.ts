import { API_PORT, ES_URL, FIXTURE_MODELS_ENV, testIndex } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';
import { TcpProxy } from '../support/tcp-proxy';

// Elasticsearch behind a proxy that accepts connections and never answers: a frozen node (SIGSTOP).
const esTarget = new URL(ES_URL);
const frozen = new TcpProxy({ host: esTarget.hostname, port: Number(esTarget.port || 9200) });
const ORIGIN = 'http://localhost:5173';
let server: OfflineServer;
type ErrorBody = { error: { request_id: string } };

beforeAll(async () => {
  await frozen.start();
  frozen.freeze();
  // Its own ports: the main HTTP suite uses API_PORT and API_PORT + 2.
  server = await startOffline(
    {
      ES_URL: frozen.url,
      ES_INDEX: testIndex('conventions'),
      ...FIXTURE_MODELS_ENV,
      LOG_LEVEL: 'silent',
    },
    API_PORT + 10,
  );
});
afterAll(async () => {
  await server?.stop();
  await frozen.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

describe('HTTP conventions through serverless-offline', () => {
  it('GET /health answers while Elasticsearch is frozen, naming it as not answering', async () => {
    const t0 = Date.now();
    const res = await get('/health');
    const elapsed = Date.now() - t0;
    const body = (await res.json()) as { models: { emotion: { present: boolean } } };
    expect(res.status).toBe(503);
    expect(body).toMatchObject({
      status: 'down',
      elasticsearch: { reachable: false, problem: expect.stringMatching(/did not answer within \d+ ms/) },
    });
    expect(body.models.emotion.present).toBe(true); // the other check still reports
    expect(elapsed).toBeLessThan(8000); // generous: the point is "not 10+ s", not a latency figure
  });

  it('answers a CORS preflight from another origin', async () => {
    const res = await fetch(`${server.url}/emotion`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toMatch(new RegExp(`^(\\*|${ORIGIN})$`));
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    // The configured list (serverless.yml), not an echo of the request: a page may also send x-request-id.
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['content-type', 'x-request-id']),
    );
  });

  it.each([
    ['/openapi.json', 200],
    ['/tweets?limit=0', 400],
    ['/nope', 404],
  ])('GET %s (%i) carries the CORS headers, x-request-id readable by the page', async (path, status) => {
    const res = await get(path, { origin: ORIGIN });
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toMatch(new RegExp(`^(\\*|${ORIGIN})$`));
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('x-request-id');
  });

  it("keeps the caller's x-request-id, on success and in error bodies", async () => {
    const ok = await get('/openapi.json', { 'x-request-id': 'web-client.42:abc' });
    expect(ok.headers.get('x-request-id')).toBe('web-client.42:abc');
    const bad = await get('/tweets?limit=0', { 'x-request-id': 'web-client.43' });
    expect(bad.headers.get('x-request-id')).toBe('web-client.43');
    expect(((await bad.json()) as ErrorBody).error.request_id).toBe('web-client.43');
  });

  it('replaces an x-request-id that is not a sane id', async () => {
    const res = await get('/nope', { 'x-request-id': 'x'.repeat(300) });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(((await res.json()) as ErrorBody).error.request_id).toBe(id);
  });
});
