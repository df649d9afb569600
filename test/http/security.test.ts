import fs from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import { loadConfig } from '../../lib/config';
import { toHttpError } from '../../lib/http/error-mapping';
import { clientOptions, esProblem } from '../../lib/store';
import { deleteIndex } from '../support/es';
import { API_PORT, ES_URL, FIXTURE_MODELS_ENV, FIXTURES, testIndex } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';
import { makePki, TlsAuthProxy, type Pki } from '../support/tls-proxy';

/**
 * The Maven Central distribution has no x-pack security, so a real TLS-terminating proxy stands in for it: HTTPS
 * with a certificate from a throw-away CA, and 401 unless the request carries the API key (or user) it knows.
 * The app is configured as a user would configure it for a secured cluster.
 */
const API_KEY = Buffer.from('test-key-id:test-key-secret').toString('base64');
const USER = { username: 'analyst', password: 's3cret!' };
const index = testIndex('secure');
const PORT = API_PORT + 30;
let pki: Pki;
let rogue: Pki;
let proxy: TlsAuthProxy;
let server: OfflineServer;

beforeAll(async () => {
  pki = makePki('trusted');
  rogue = makePki('rogue');
  proxy = new TlsAuthProxy(new URL(ES_URL), { apiKey: API_KEY, basic: USER });
  await proxy.start(pki);
  server = await startOffline(
    {
      ES_URL: proxy.url,
      ES_API_KEY: API_KEY,
      ES_CA_CERT: pki.caCert,
      ES_INDEX: index,
      DATASET_PATH: FIXTURES.dataset,
      ...FIXTURE_MODELS_ENV,
      LOG_LEVEL: 'silent',
    },
    PORT,
  );
});
afterAll(async () => {
  await server?.stop();
  await proxy?.close();
  await deleteIndex(index);
  for (const p of [pki, rogue]) if (p) fs.rmSync(p.dir, { recursive: true, force: true });
});

async function call(path: string, method = 'GET') {
  const res = await fetch(`${server.url}${path}`, { method });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The official client as the app builds it, from these settings. */
async function infoWith(env: Record<string, string>) {
  const client = new Client(clientOptions(loadConfig({ ES_URL: proxy.url, ...env }).es));
  try {
    return await client.info();
  } finally {
    await client.close();
  }
}

describe('a secured cluster: TLS with its own CA, API key or user (through a real TLS proxy)', () => {
  it('works through the API with the right key and the CA: /health names the node and the cluster status', async () => {
    const health = await call('/health');
    expect(health.status).toBe(200);
    expect(health.json.elasticsearch).toMatchObject({
      reachable: true,
      url: proxy.url,
      node: { name: expect.any(String), url: proxy.url },
      cluster: { status: expect.stringMatching(/^(green|yellow)$/), nodes: expect.any(Number) },
    });
    const ingest = await call('/ingest', 'POST');
    expect(ingest.status).toBe(200);
    expect(ingest.json).toMatchObject({ records: 14, indexed: 8 });
    const tweets = await call('/tweets?limit=3');
    expect(tweets.status).toBe(200);
    expect(tweets.json.total).toBe(7);
    expect(proxy.seen.passed).toBeGreaterThan(0);
  });

  it('the client also authenticates with a user and password, and trusts a pinned CA fingerprint', async () => {
    expect(
      (await infoWith({ ES_USERNAME: USER.username, ES_PASSWORD: USER.password, ES_CA_CERT: pki.caCert })).name,
    ).toBeTruthy();
    expect((await infoWith({ ES_API_KEY: API_KEY, ES_CA_FINGERPRINT: pki.caFingerprint })).name).toBeTruthy();
    const wrongPin = await infoWith({ ES_API_KEY: API_KEY, ES_CA_FINGERPRINT: rogue.caFingerprint }).catch(
      (e: unknown) => e,
    );
    expect(esProblem(wrongPin)).toBe('tls');
    expect(toHttpError(wrongPin as Error).message).toContain('TLS');
  });

  it('refuses a wrong key: 503 with the hint "authentication failed", no stack trace', async () => {
    const refusedBefore = proxy.seen.refused;
    proxy.accept({ apiKey: Buffer.from('rotated:key').toString('base64') }); // the cluster no longer knows our key
    try {
      const tweets = await call('/tweets?limit=3');
      expect(tweets.status).toBe(503);
      expect(tweets.json.error).toMatchObject({
        code: 'elasticsearch_unavailable',
        message: expect.stringContaining('authentication failed'),
        details: {
          dependency: 'elasticsearch',
          hint: expect.stringMatching(/^Authentication failed: check ES_API_KEY/),
        },
      });
      expect(JSON.stringify(tweets.json)).not.toMatch(/at .*\.(ts|js):\d+/);
      const health = await call('/health');
      expect(health.status).toBe(503);
      expect(health.json.elasticsearch).toMatchObject({ reachable: false, problem: 'authentication failed' });
      expect(proxy.seen.refused).toBeGreaterThan(refusedBefore);
    } finally {
      proxy.accept({ apiKey: API_KEY });
    }
  });

  it('refuses a certificate from a CA it does not trust: 503 naming TLS', async () => {
    proxy.present(rogue);
    try {
      const tweets = await call('/tweets?limit=3');
      expect(tweets.status).toBe(503);
      expect(tweets.json.error.message).toContain('TLS');
      expect(tweets.json.error.details.hint).toMatch(/^TLS: set ES_CA_CERT/);
      const health = await call('/health');
      expect(health.json.elasticsearch).toMatchObject({ reachable: false, problem: 'TLS handshake failed' });
    } finally {
      proxy.present(pki);
    }
    expect((await call('/tweets?limit=1')).status).toBe(200); // trusted again: the API recovers on its own
  });
});
