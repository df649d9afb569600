import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig, projectRoot } from '../../lib/config';
import { clientOptions } from '../../lib/store/client';

const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};
import { autoSequences } from '../../lib/models/stance';

describe('configuration', () => {
  it('documents every variable it reads in .env.example', () => {
    const example = fs.readFileSync(path.join(projectRoot(), '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(30);
  });

  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c.es).toEqual({
      nodes: ['http://127.0.0.1:9200'],
      url: 'http://127.0.0.1:9200',
      index: 'tweets',
      requestTimeoutMs: 10_000,
      bulkTimeoutMs: 60_000,
      shards: 1,
      replicas: 0,
    });
    expect(c.emotion.dir).toBe(path.resolve('models/j-hartmann/emotion-english-distilroberta-base'));
    expect(c.emotion.dtype).toBe('fp32');
    expect(c.stance.path).toBe(path.resolve('models/TinyLlama/tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf'));
  });

  it('chooses stance parallelism and threads from the machine unless told (auto = 0, resolved at load)', () => {
    expect(loadConfig({}).stance).toMatchObject({ parallel: 0, threads: 0 });
    expect(loadConfig({ STANCE_PARALLEL: 'auto', STANCE_THREADS: 'auto' }).stance).toMatchObject({
      parallel: 0,
      threads: 0,
    });
    expect(loadConfig({ STANCE_PARALLEL: '3', STANCE_THREADS: '2' }).stance).toMatchObject({ parallel: 3, threads: 2 });
    expect(() => loadConfig({ STANCE_PARALLEL: '0' })).toThrow(/STANCE_PARALLEL/);
    expect(() => loadConfig({ STANCE_PARALLEL: 'many' })).toThrow(/STANCE_PARALLEL/);
    expect([2, 4, 8, 16].map(autoSequences)).toEqual([1, 1, 2, 4]);
  });

  it('names every bad variable', () => {
    const bad = {
      ES_URL: 'not a url',
      EMOTION_BATCH_SIZE: 'abc',
      EMOTION_DTYPE: 'fp64',
      ES_INDEX: 'Bad Index',
      HF_HUB_OFFLINE: 'maybe',
    };
    const error = (() => {
      try {
        loadConfig(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const v of Object.keys(bad)) expect((error as Error).message).toContain(v);
  });

  it('reads the hub variables the way Hugging Face tools do', () => {
    const c = loadConfig({
      HF_ENDPOINT: 'http://mirror.local:8080/',
      HF_TOKEN: 'hf_x',
      HF_HOME: '/data/hf',
      HF_HUB_OFFLINE: 'ON',
      PYTHON: 'python3.11',
    });
    expect(c.hub).toEqual({ endpoint: 'http://mirror.local:8080', token: 'hf_x', home: '/data/hf', offline: true });
    expect(c.python).toBe('python3.11');
    expect(loadConfig({}).hub).toMatchObject({ endpoint: 'https://huggingface.co', token: undefined, offline: false });
    expect(loadConfig({ HF_HUB_OFFLINE: '0' }).hub.offline).toBe(false);
  });

  it('treats empty strings as unset, as .env files write them', () => {
    expect(loadConfig({ EMOTION_MODEL_DIR: '', ES_INDEX: '' }).es.index).toBe('tweets');
  });

  it('resolves relative paths against the project, also from the esbuild build folder', () => {
    expect(projectRoot('/srv/app')).toBe('/srv/app');
    expect(projectRoot('/srv/app/.esbuild/.build')).toBe('/srv/app');
  });
});

describe('Elasticsearch connection settings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pte-config-'));
  const pem = path.join(dir, 'ca.pem');
  fs.writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  fs.writeFileSync(path.join(dir, 'not-pem.txt'), 'hello');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes several nodes, an API key and a CA file, and builds the official client options from them', () => {
    const c = loadConfig({
      ES_URL: 'https://es1:9200, https://u:secret@es2:9200',
      ES_API_KEY: 'a2V5OnNlY3JldA==',
      ES_CA_CERT: pem,
      ES_SHARDS: '3',
      ES_REPLICAS: '1',
    });
    expect(c.es).toMatchObject({ nodes: ['https://es1:9200', 'https://u:secret@es2:9200'], shards: 3, replicas: 1 });
    expect(c.es.url).toBe('https://es1:9200, https://es2:9200'); // no credentials in what messages show
    expect(clientOptions(c.es)).toMatchObject({
      nodes: c.es.nodes,
      auth: { apiKey: 'a2V5OnNlY3JldA==' },
      tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') },
      maxRetries: 1,
    });
  });

  it('takes a user and password, or a cloud id, or a fingerprint in any of its spellings', () => {
    expect(clientOptions(loadConfig({ ES_USERNAME: 'elastic', ES_PASSWORD: 'pw' }).es).auth).toEqual({
      username: 'elastic',
      password: 'pw',
    });
    const cloud = loadConfig({ ES_CLOUD_ID: 'prod:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyRhYmMkZGVm', ES_API_KEY: 'k' }).es;
    expect(clientOptions(cloud)).toMatchObject({ cloud: { id: cloud.cloudId }, auth: { apiKey: 'k' } });
    expect(cloud.url).toBe('Elastic Cloud prod');
    const hex = 'ab'.repeat(32);
    const fp = loadConfig({ ES_URL: 'https://es:9200', ES_CA_FINGERPRINT: `sha256 Fingerprint=${hex}` }).es;
    expect(fp.caFingerprint).toBe(Array(32).fill('AB').join(':'));
    expect(clientOptions(fp)).toMatchObject({ caFingerprint: fp.caFingerprint, tls: { rejectUnauthorized: false } });
  });

  it.each([
    [{ ES_API_KEY: 'k', ES_USERNAME: 'u', ES_PASSWORD: 'p' }, 'ES_API_KEY and ES_USERNAME/ES_PASSWORD'],
    [{ ES_USERNAME: 'u' }, 'ES_USERNAME and ES_PASSWORD go together'],
    [{ ES_URL: 'https://es:9200', ES_CA_CERT: '/nowhere/ca.pem' }, 'ES_CA_CERT: no readable file at /nowhere/ca.pem'],
    [{ ES_URL: 'https://es:9200', ES_CA_CERT: 'NOT_PEM' }, 'is not a PEM certificate'],
    [{ ES_URL: 'http://es:9200', ES_CA_FINGERPRINT: 'ab'.repeat(32) }, 'every node in ES_URL must be https://'],
    [{ ES_CA_FINGERPRINT: 'abc' }, 'ES_CA_FINGERPRINT must be the SHA-256 fingerprint'],
    [{ ES_CLOUD_ID: 'x:eHl6', ES_URL: 'http://es:9200', ES_API_KEY: 'k' }, 'ES_CLOUD_ID and ES_URL'],
    [{ ES_CLOUD_ID: 'x:eHl6' }, 'ES_CLOUD_ID needs ES_API_KEY'],
    [{ ES_URL: 'http://a:9200,not a url' }, 'ES_URL'],
    [{ ES_REPLICAS: '-1' }, 'ES_REPLICAS'],
    [{ ES_SHARDS: '0' }, 'ES_SHARDS'],
  ])('refuses %j at start, naming the variable', (env, expected) => {
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v === 'NOT_PEM' ? path.join(dir, 'not-pem.txt') : v]),
    );
    expect(problemsOf(resolved)).toContain(expected);
  });

  it('retries each node once more on a cluster: a request to a dead node goes to the next', () => {
    expect(clientOptions(loadConfig({ ES_URL: 'http://a:9200,http://b:9200,http://c:9200' }).es).maxRetries).toBe(2);
  });
});
