import path from 'node:path';
import { ConfigError, loadConfig, projectRoot } from '../../lib/config';

describe('configuration', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c.es).toEqual({
      url: 'http://127.0.0.1:9200',
      index: 'tweets',
      requestTimeoutMs: 10_000,
      bulkTimeoutMs: 60_000,
    });
    expect(c.emotion.dir).toBe(path.resolve('models/j-hartmann/emotion-english-distilroberta-base'));
    expect(c.emotion.dtype).toBe('fp32');
    expect(c.stance.path).toBe(path.resolve('models/TinyLlama/tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf'));
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
