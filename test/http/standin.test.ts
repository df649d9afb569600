/**
 * Opt-in (STANDIN=1 npm test): the whole API on the real-shape stand-in models (npm run models:standin),
 * 20 tweets through /emotion and /stance. The stand-ins' labels mean nothing: this checks that the real
 * shapes load and run through the real path, labels are valid and provenance is stored. CI keeps fixtures.
 */
import path from 'node:path';
import { deleteIndex } from '../support/es';
import { API_PORT, FIXTURES, ROOT, testIndex } from '../support/env';
import { startOffline, type OfflineServer } from '../support/offline';

const STANDIN = path.join(ROOT, 'models/standin');
const index = testIndex('standin');
const env = {
  ES_INDEX: index,
  DATASET_PATH: FIXTURES.sample,
  EMOTION_MODEL_DIR: path.join(STANDIN, 'emotion-distilroberta'),
  STANCE_MODEL_PATH: path.join(STANDIN, 'stance-tinyllama/tinyllama-standin.Q4_K_M.gguf'),
  LOG_LEVEL: 'warn',
};
const EMOTIONS = ['anger', 'disgust', 'fear', 'joy', 'neutral', 'sadness', 'surprise'];
const STANCES = ['SUPPORT', 'OPPOSE', 'NEUTRAL'];
let server: OfflineServer;

const post = async (route: string, body: unknown) => {
  const res = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

(process.env.STANDIN ? describe : describe.skip)('HTTP API on the real-shape stand-in models (STANDIN=1)', () => {
  beforeAll(async () => {
    server = await startOffline(env, API_PORT + 4);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await deleteIndex(index);
  });

  it('POST /emotion and /stance classify 20 tweets each, with valid labels and stored provenance', async () => {
    const emotion = await post('/emotion', { limit: 20 });
    expect(emotion.status).toBe(200);
    expect(emotion.json).toMatchObject({
      requested: 20,
      classified: 20,
      failed: [],
      model: { id: 'standin/emotion-english-distilroberta-base' },
    });
    const stance = await post('/stance', { limit: 20 });
    expect(stance.status).toBe(200);
    expect(stance.json).toMatchObject({
      requested: 20,
      classified: 20,
      failed: [],
      model: { id: 'standin/tinyllama-1.1b-chat-v1.0.Q4_K_M' },
    });

    const page = (await (await fetch(`${server.url}/tweets?limit=100`)).json()) as { items: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const tagged = page.items.filter((t: { emotion?: unknown; stance?: unknown }) => t.emotion && t.stance);
    expect(tagged).toHaveLength(20);
    for (const t of tagged) {
      expect(EMOTIONS).toContain(t.emotion.label);
      expect(STANCES).toContain(t.stance.label);
      expect(t.emotion).toMatchObject({
        model: emotion.json.model.id,
        revision: expect.stringMatching(/^standin-/),
        dtype: expect.any(String),
      });
      expect(t.stance).toMatchObject({
        model: stance.json.model.id,
        revision: expect.stringMatching(/^standin-/),
        prompt_version: expect.any(String),
      });
    }
  }, 600_000);
});
