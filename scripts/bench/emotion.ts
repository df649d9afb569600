/**
 * npm run bench:emotion — emotion throughput, batched against one tweet at a time, on the model in
 * models/ (EMOTION_MODEL_DIR and EMOTION_DTYPE choose another). Prints figures; asserts nothing.
 */
import { config } from '../../lib/config';
import { loadEmotionClassifier } from '../../lib/models/emotion';
import { benchTexts, rssMb } from './texts';

async function main() {
  const { texts, source } = await benchTexts(Number(process.env.BENCH_N ?? 100));
  const cfg = config().emotion;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  console.log(`emotion bench: ${texts.length} tweets from ${source}, model ${cfg.dir} (${cfg.dtype}), best of ${rounds}`);
  const rows: Array<[string, number]> = [];
  for (const batchSize of [1, 4, 8, 16, 32, 64]) {
    const model = await loadEmotionClassifier({ ...cfg, batchSize });
    await model.classify(texts.slice(0, batchSize)); // warm-up
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let i = 0; i < texts.length; i += batchSize) await model.classify(texts.slice(i, i + batchSize));
      best = Math.min(best, performance.now() - t0);
    }
    rows.push([batchSize === 1 ? '1 (one at a time)' : String(batchSize), texts.length / (best / 1000)]);
  }
  console.log('batch size | tweets/s');
  for (const [b, tps] of rows) console.log(`${b.padEnd(18)} | ${tps.toFixed(1)}`);
  const single = rows[0]![1];
  const [bestBatch, bestTps] = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`best: batch ${bestBatch} at ${bestTps.toFixed(1)} tweets/s, ${(bestTps / single).toFixed(2)}x one at a time; RSS ${rssMb()} MB`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
