import path from 'node:path';
import { ConfigError, loadConfig, projectRoot } from '../../lib/config';

describe('configuration', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c.es).toEqual({ url: 'http://127.0.0.1:9200', index: 'tweets', requestTimeoutMs: 30_000 });
    expect(c.emotion.dir).toBe(path.resolve('models/j-hartmann/emotion-english-distilroberta-base'));
    expect(c.emotion.dtype).toBe('fp32');
    expect(c.stance.path).toBe(path.resolve('models/TinyLlama/tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf'));
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ ES_URL: 'not a url', EMOTION_BATCH_SIZE: '0', EMOTION_DTYPE: 'fp64', ES_INDEX: 'Bad Index' })).toThrow(ConfigError);
    try {
      loadConfig({ ES_URL: 'not a url', EMOTION_BATCH_SIZE: 'abc', EMOTION_DTYPE: 'fp64', ES_INDEX: 'Bad Index' });
    } catch (e) {
      const msg = (e as Error).message;
      for (const v of ['ES_URL', 'EMOTION_BATCH_SIZE', 'EMOTION_DTYPE', 'ES_INDEX']) expect(msg).toContain(v);
    }
  });

  it('treats empty strings as unset, as .env files write them', () => {
    expect(loadConfig({ EMOTION_MODEL_DIR: '', ES_INDEX: '' }).es.index).toBe('tweets');
  });

  it('resolves relative paths against the project, also from the esbuild build folder', () => {
    expect(projectRoot('/srv/app')).toBe('/srv/app');
    expect(projectRoot('/srv/app/.esbuild/.build')).toBe('/srv/app');
  });
});
