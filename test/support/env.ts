import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const ES_URL = process.env.ES_URL ?? 'http://127.0.0.1:9200';
export const FIXTURES = {
  emotionDir: path.join(ROOT, 'models/fixtures/emotion-tiny'),
  stancePath: path.join(ROOT, 'models/fixtures/stance-tiny/stance-tiny.gguf'),
  dataset: path.join(ROOT, 'test/fixtures/tweets_edge_cases.json'),
  sample: path.join(ROOT, 'data/sample_tweets.json'),
};
/** A test server's environment for the committed tiny models. */
export const FIXTURE_MODELS_ENV = { EMOTION_MODEL_DIR: FIXTURES.emotionDir, STANCE_MODEL_PATH: FIXTURES.stancePath };
/** The exercise's real dataset, read by path (never copied into the repo); absent on some machines. */
export const SHARED_DATASET = path.resolve(ROOT, '../shared/tweets_dataset.json');

/** Index names are unique per run so tests never touch a user's `tweets` index. */
export const testIndex = (name: string) => `test-${name}-${process.pid}-${Date.now().toString(36)}`;

export const API_PORT = Number(process.env.TEST_API_PORT ?? 3100);
export const API_URL = `http://127.0.0.1:${API_PORT}`;
