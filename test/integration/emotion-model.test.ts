import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DependencyUnavailableError } from '../../lib/errors';
import { loadEmotionClassifier } from '../../lib/models/emotion';
import type { Prediction } from '../../lib/models/types';
import { EMOTION_LABELS } from '../../lib/domain';
import { FIXTURES } from '../support/env';

const options = { dir: FIXTURES.emotionDir, dtype: 'fp32' as const, batchSize: 8 };

describe('emotion model: real transformers.js pipeline on the fixture model', () => {
  it('loads once for concurrent first calls', async () => {
    const [a, b] = await Promise.all([loadEmotionClassifier(options), loadEmotionClassifier(options)]);
    expect(a).toBe(b);
    expect(a.marker).toEqual({
      model: 'fixture/emotion-tiny',
      revision: expect.stringMatching(/^fixture-[0-9a-f]{12}$/),
    });
  });

  it('returns all 7 scores summing to 1, the top label first, with provenance', async () => {
    const model = await loadEmotionClassifier(options);
    const [furious, delighted, plain] = (await model.classify([
      'I am furious about this vote',
      'Absolutely delighted with the result!',
      'The committee meets on Tuesday.',
    ])) as Array<Prediction<'emotion'>>;
    expect(furious!.label).toBe('anger');
    expect(delighted!.label).toBe('joy');
    expect(plain!.label).toBe('neutral');
    expect(Object.keys(furious!.scores).sort()).toEqual([...EMOTION_LABELS].sort());
    expect(Object.values(furious!.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(furious!.score).toBe(Math.max(...Object.values(furious!.scores)));
    expect(furious).toMatchObject({ model: 'fixture/emotion-tiny', dtype: 'fp32' });
  });

  it('truncates a text longer than the model window instead of failing', async () => {
    const model = await loadEmotionClassifier(options);
    const [early, late] = await model.classify([
      'I was furious ' + 'word '.repeat(3000),
      'word '.repeat(3000) + 'I was furious',
    ]);
    expect(early).toMatchObject({ label: 'anger' });
    expect(late).toMatchObject({ label: 'neutral' }); // the keyword lies past token 512: cut off, as the real model would
  });

  it('gives the same labels batched and one at a time', async () => {
    const model = await loadEmotionClassifier(options);
    const texts = ['so sad today', 'wow, stunned', 'vile and disgusting', 'I am scared', 'happy news'];
    const batched = (await model.classify(texts)) as Array<Prediction<'emotion'>>;
    for (const [i, text] of texts.entries()) {
      const [single] = (await model.classify([text])) as Array<Prediction<'emotion'>>;
      expect(single!.label).toBe(batched[i]!.label);
      expect(single!.score).toBeCloseTo(batched[i]!.score, 5);
    }
  });

  it('runs the int8 (q8) weights too', async () => {
    const q8 = await loadEmotionClassifier({ ...options, dtype: 'q8' });
    const [r] = await q8.classify(['I am furious']);
    expect(r).toMatchObject({ label: 'anger', dtype: 'q8' });
  });

  it('answers 503 with the fetch command when files are missing', async () => {
    const err = await loadEmotionClassifier({ ...options, dir: '/nonexistent/model' }).catch((e) => e);
    expect(err).toBeInstanceOf(DependencyUnavailableError);
    expect(err.status).toBe(503);
    expect(err.details.hint).toContain('npm run models');
  });

  it('answers 503 when a file does not match its manifest sha256 (corrupt download)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emotion-corrupt-'));
    fs.cpSync(FIXTURES.emotionDir, dir, { recursive: true });
    const onnx = path.join(dir, 'onnx/model.onnx');
    const bytes = fs.readFileSync(onnx);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff; // same size, different content
    fs.writeFileSync(onnx, bytes);
    const err = await loadEmotionClassifier({ ...options, dir }).catch((e) => e);
    expect(err).toBeInstanceOf(DependencyUnavailableError);
    expect(err.message).toMatch(/does not match its sha256/);
    fs.rmSync(dir, { recursive: true });
  });

  it('answers 503 with the fetch command when manifest.json is not JSON (not a 500)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emotion-manifest-'));
    try {
      fs.cpSync(FIXTURES.emotionDir, dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{"model": "cut mid-wri');
      const err = await loadEmotionClassifier({ ...options, dir }).catch((e) => e);
      expect(err).toBeInstanceOf(DependencyUnavailableError);
      expect(err.status).toBe(503);
      expect(err.message).toMatch(/manifest\.json is not valid JSON/);
      expect(err.details.hint).toContain('npm run models');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps one copy of the model whatever the batch size; dispose() frees it and the next call reloads', async () => {
    const four = await loadEmotionClassifier({ ...options, batchSize: 4 });
    const sixteen = await loadEmotionClassifier({ ...options, batchSize: 16 });
    expect([four.batchSize, sixteen.batchSize]).toEqual([4, 16]);
    expect(four.dispose).toBe(sixteen.dispose); // the same loaded model behind both
    // A sort window asks callers for more texts per call, run `batchSize` at a time shortest first.
    const windowed = await loadEmotionClassifier({ ...options, batchSize: 4, sortWindow: 32 });
    expect(windowed.batchSize).toBe(32);
    expect(windowed.dispose).toBe(four.dispose);
    await four.dispose();
    const again = await loadEmotionClassifier({ ...options, batchSize: 4 });
    expect(again).not.toBe(four);
    expect(await again.classify(['I am furious'])).toEqual([expect.objectContaining({ label: 'anger' })]);
  });
});
