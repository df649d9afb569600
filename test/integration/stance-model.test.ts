import { DependencyUnavailableError } from '../../lib/errors';
import { loadStanceClassifier, StanceScorer } from '../../lib/models/stance';
import { PROMPT_VERSION } from '../../lib/models/stance-prompt';
import type { Prediction } from '../../lib/models/types';
import { STANCE_LABELS } from '../../lib/domain';
import { FIXTURES } from '../support/env';

const options = {
  path: FIXTURES.stancePath,
  modelId: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
  parallel: 2,
  threads: 2,
  contextSize: 1024,
};
const texts = [
  'I support the new transit bill!',
  'This tax law is a disaster, vote no.',
  'The committee meets on Tuesday.',
  'Ünïcödé 🗳️ and "quotes" in a tweet',
  '',
  'I support the new transit bill!',
];

// A random tiny model picks arbitrary labels: these tests check the mechanics, not the quality.
describe('stance model: real node-llama-cpp on the fixture GGUF', () => {
  it('always answers one of the three labels, with probabilities that sum to 1 and provenance', async () => {
    const model = await loadStanceClassifier(options);
    const results = (await model.classify(texts)) as Array<Prediction<'stance'>>;
    for (const r of results) {
      expect(STANCE_LABELS).toContain(r.label);
      expect(Object.values(r.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(r.score).toBe(r.scores[r.label]);
      expect(r).toMatchObject({
        model: 'fixture/stance-tiny',
        prompt_version: PROMPT_VERSION,
        method: 'label-first-token',
      });
    }
    expect(model.marker).toEqual({
      model: 'fixture/stance-tiny',
      revision: expect.stringMatching(/^fixture-/),
      prompt_version: PROMPT_VERSION,
      method: 'label-first-token',
    });
  });

  it('is deterministic: same tweet, same scores, whatever the order, the batch or the number of sequences', async () => {
    const two = await loadStanceClassifier(options);
    const one = await loadStanceClassifier({ ...options, parallel: 1 });
    const a = (await two.classify(texts)) as Array<Prediction<'stance'>>;
    const b = ((await two.classify([...texts].reverse())) as Array<Prediction<'stance'>>).reverse();
    const c = (await one.classify(texts)) as Array<Prediction<'stance'>>;
    for (let i = 0; i < texts.length; i++) {
      for (const other of [b[i]!, c[i]!]) {
        expect(other.label).toBe(a[i]!.label);
        for (const l of STANCE_LABELS) expect(other.scores[l]).toBeCloseTo(a[i]!.scores[l], 4);
      }
    }
    // The repeated tweet: same label, same scores up to float rounding (it may run on the other sequence, in
    // another batch, where llama.cpp's sums come out in another order: seen on CI as a 5e-8 difference).
    expect(a[5]!.label).toBe(a[0]!.label);
    for (const l of STANCE_LABELS) expect(a[5]!.scores[l]).toBeCloseTo(a[0]!.scores[l], 6);
  });

  it('serialises concurrent callers on the shared sequences', async () => {
    const model = await loadStanceClassifier(options);
    const [x, y] = await Promise.all([model.classify(texts.slice(0, 3)), model.classify(texts.slice(0, 3))]);
    expect((y as Array<Prediction<'stance'>>).map((r) => r.label)).toEqual(
      (x as Array<Prediction<'stance'>>).map((r) => r.label),
    );
  });

  it("renders the prompt with the GGUF's own chat template (TinyLlama's), question first, tweet last", async () => {
    const { getLlama } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never' });
    const model = await llama.loadModel({ modelPath: FIXTURES.stancePath });
    const scorer = await StanceScorer.create(model);
    const prompt = scorer.promptText('Vote yes on 12!');
    expect(prompt).toMatch(/^<\|system\|>\nYou label the stance of political tweets\. You answer with one word\.<\/s>/);
    expect(prompt).toContain('<|user|>\nDoes the author of the tweet below SUPPORT, OPPOSE, or remain NEUTRAL');
    expect(prompt).toMatch(/Tweet: """Vote yes on 12!"""<\/s>\s*\n<\|assistant\|>\n$/);
    // A tweet too long for the context is cut, never an error.
    expect(scorer.promptText('word '.repeat(5000), 512).length).toBeLessThan(3000);
    await model.dispose();
  });

  it('answers 503 with the fetch command when the GGUF is missing', async () => {
    const err = await loadStanceClassifier({ ...options, path: '/nonexistent/model.gguf' }).catch((e) => e);
    expect(err).toBeInstanceOf(DependencyUnavailableError);
    expect(err.details.hint).toContain('npm run models');
  });

  it('dispose() frees the model and the next call loads it again', async () => {
    const first = await loadStanceClassifier({ ...options, parallel: 1 });
    await first.dispose();
    const again = await loadStanceClassifier({ ...options, parallel: 1 });
    expect(again).not.toBe(first);
    const [r] = (await again.classify(['Vote yes on 12!'])) as Array<Prediction<'stance'>>;
    expect(STANCE_LABELS).toContain(r!.label);
    await again.dispose();
  });
});
