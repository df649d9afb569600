/**
 * Compares the emotion model in models/ (or EMOTION_MODEL_DIR) with reference outputs of the PyTorch model:
 * top-label agreement and the largest score difference over all 7 labels.
 *   npm run models:compare -- [reference.json]     (default ../shared/reference_emotion_predictions.json)
 * The reference file: [{tweet_id, content, emotion_analysis: {dominant_emotion, all_emotions: [{label, score}]}}].
 */
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../lib/config';
import { loadEmotionClassifier } from '../../lib/models/emotion';
import type { Prediction } from '../../lib/models/types';
import { cli } from '../lib/cli';

interface Reference {
  tweet_id: number | string;
  content: string;
  emotion_analysis: { dominant_emotion: { label: string }; all_emotions: Array<{ label: string; score: number }> };
}

const USAGE = `usage: npm run models:compare -- [reference.json]
  Top-label agreement and largest score difference against reference predictions
  (default ../shared/reference_emotion_predictions.json).`;

async function main() {
  const { positionals } = cli({ usage: USAGE, maxPositionals: 1 });
  const file = path.resolve(positionals[0] ?? '../shared/reference_emotion_predictions.json');
  const reference: Reference[] = JSON.parse(fs.readFileSync(file, 'utf8'));
  const model = await loadEmotionClassifier();
  const predictions = (await model.classify(reference.map((r) => r.content))) as Array<Prediction<'emotion'>>;
  let agree = 0;
  let maxDiff = 0;
  let worst = '';
  reference.forEach((ref, i) => {
    const p = predictions[i]!;
    if (p.label === ref.emotion_analysis.dominant_emotion.label) agree++;
    for (const { label, score } of ref.emotion_analysis.all_emotions) {
      const d = Math.abs((p.scores as Record<string, number>)[label]! - score);
      if (d > maxDiff) [maxDiff, worst] = [d, `${ref.tweet_id}/${label}`];
    }
  });
  const cfg = config().emotion;
  console.log(`model ${model.info.id}@${model.info.revision} (${cfg.dtype}) from ${cfg.dir}`);
  console.log(`reference: ${file} (${reference.length} texts)`);
  console.log(`top label agreement: ${agree}/${reference.length} (${((100 * agree) / reference.length).toFixed(1)}%)`);
  console.log(`max |score difference|: ${maxDiff.toFixed(6)} (tweet/label ${worst})`);
}

main().catch((e) => {
  console.error(`compare failed: ${(e as Error).message}`);
  process.exit(1);
});
