/**
 * npm run bench:emotion — emotion speed on the model in EMOTION_MODEL_DIR (the stand-in: models/standin/
 * emotion-distilroberta): one tweet at a time against batches of 8/16/32/64 in file order and sorted by
 * length, and runs cut by a padded-token budget (EMOTION_BATCH_TOKENS); fp32 against q8, on the exercise's
 * tweets and a length-mixed set; load time and RSS; this CPU's matmul limit and the model's FLOPs per tweet;
 * and the PyTorch `pipeline` one at a time on the same weights (EMOTION_TORCH_DIR, default
 * models/standin/emotion-pytorch). Prints figures; asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config } from '../../lib/config';
import { loadEmotionClassifier, type EmotionClassifier } from '../../lib/models/emotion';
import { encoderFlops, encoderShape } from './flops';
import { runPythonJson } from './python';
import { printRows, type BenchRow } from './rows';
import { benchTexts, lengthMixed, peakRssMb, rssMb } from './texts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BATCHES = (process.env.BENCH_BATCHES ?? '8,16,32,64').split(',').map(Number);
const DTYPES = (process.env.BENCH_DTYPES ?? 'fp32,q8').split(',') as Array<'fp32' | 'q8'>;
/** Padded-token budgets per run (EMOTION_BATCH_TOKENS), each with at most 64 texts a run. */
const BUDGETS = (process.env.BENCH_TOKENS ?? '128,256,512,1024').split(',').map(Number);

async function best(run: () => Promise<unknown>): Promise<number> {
  let ms = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await run();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

/** One ONNX run per chunk of `batch` texts in the given order: what a caller gets without sorting. */
async function inOrder(model: EmotionClassifier, texts: string[], batch: number) {
  for (let i = 0; i < texts.length; i += batch) await model.classify(texts.slice(i, i + batch));
}

async function tokenCounts(dir: string, texts: string[]): Promise<number[]> {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(path.resolve(dir)) + path.sep;
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(dir));
  return texts.map((t) => Math.min(tokenizer.encode(t).length, 512));
}

type Row = { set: string; dtype: string; mode: string; ms: number };

async function benchDtype(dtype: 'fp32' | 'q8', sets: Record<string, string[]>, rows: Row[]) {
  const cfg = config().emotion;
  const t0 = performance.now();
  const one = await loadEmotionClassifier({ ...cfg, dtype, batchSize: 1 });
  console.log(`${dtype}: load ${Math.round(performance.now() - t0)} ms, RSS after load ${rssMb()} MB`);
  for (const [set, texts] of Object.entries(sets)) {
    await one.classify(texts.slice(0, 8)); // warm-up
    const add = (mode: string, ms: number) => rows.push({ set, dtype, mode, ms: ms / texts.length });
    add('one at a time', await best(() => inOrder(one, texts, 1)));
    for (const b of BATCHES) {
      const model = await loadEmotionClassifier({ ...cfg, dtype, batchSize: b });
      add(`batch ${b}, file order`, await best(() => inOrder(model, texts, b)));
      add(`batch ${b}, sorted by length`, await best(() => model.classify(texts)));
    }
    for (const tokens of BUDGETS) {
      const model = await loadEmotionClassifier({ ...cfg, dtype, batchSize: 64, batchTokens: tokens });
      add(`budget ${tokens} tokens, sorted`, await best(() => model.classify(texts)));
    }
  }
  console.log(`${dtype}: peak RSS so far ${peakRssMb()} MB`);
  await one.dispose();
}

function torchBaseline(sets: Record<string, string[]>): Record<string, number> {
  const dir = process.env.EMOTION_TORCH_DIR ?? 'models/standin/emotion-pytorch';
  const out: Record<string, number> = {};
  if (!fs.existsSync(dir)) return out;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-emotion-'));
  try {
    for (const [set, texts] of Object.entries(sets)) {
      fs.writeFileSync(path.join(tmp, 'texts.json'), JSON.stringify(texts));
      const r = runPythonJson<{ ms_per_tweet: number; load_s: number; peak_rss_mb: number; threads: number }>(
        'scripts/bench/emotion_torch.py',
        [dir, path.join(tmp, 'texts.json')],
      );
      if (!r) continue;
      out[set] = r.ms_per_tweet;
      console.log(
        `PyTorch pipeline (${set}): load ${r.load_s.toFixed(1)} s, peak RSS ${r.peak_rss_mb} MB, ${r.threads} threads`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** The summary rows of `npm run bench`: the best mode per set and dtype, against PyTorch and the FLOP limit. */
function benchRows(rows: Row[], limitMs: Record<string, number>, torch: Record<string, number>): BenchRow[] {
  const out: BenchRow[] = [];
  for (const set of Object.keys(limitMs))
    for (const dtype of DTYPES) {
      const best = rows.filter((r) => r.set === set && r.dtype === dtype).sort((a, b) => a.ms - b.ms)[0];
      if (!best) continue;
      const what = `emotion ${dtype}, ${set}, ${best.mode.trim()} (ms/tweet)`;
      if (torch[set])
        out.push({
          what,
          ours: best.ms,
          anchor: torch[set]!,
          anchorName: 'PyTorch one at a time',
          higherIsBetter: false,
        });
      if (dtype === 'fp32' && Number.isFinite(limitMs[set]))
        out.push({
          what,
          ours: best.ms,
          anchor: limitMs[set]!,
          anchorName: 'FLOP limit at the measured GEMM rate',
          higherIsBetter: false,
        });
    }
  return out;
}

function printTable(rows: Row[], limitMs: Record<string, number>, torch: Record<string, number>) {
  console.log('set       | dtype | mode                       | ms/tweet | tweets/s | x PyTorch | limit/ms');
  for (const r of rows) {
    const vsTorch = torch[r.set] ? (torch[r.set]! / r.ms).toFixed(2) : '-';
    const cells = [
      r.set.padEnd(9),
      r.dtype.padEnd(5),
      r.mode.padEnd(26),
      r.ms.toFixed(2).padStart(8),
      (1000 / r.ms).toFixed(1).padStart(8),
    ];
    console.log(`${cells.join(' | ')} | ${vsTorch.padStart(9)} | ${(limitMs[r.set]! / r.ms).toFixed(2)}`);
  }
  for (const [set, ms] of Object.entries(torch))
    console.log(`PyTorch pipeline one at a time (${set}): ${ms.toFixed(2)} ms/tweet`);
}

async function main() {
  const { texts, source } = await benchTexts(Number(process.env.BENCH_N ?? 100));
  const sets = { tweets: texts, mixed: lengthMixed(texts) };
  const cfg = config().emotion;
  console.log(
    `emotion bench: ${texts.length} tweets from ${source}, model ${cfg.dir}, ORT threads ${cfg.threads || 'default'}, best of ${ROUNDS}`,
  );
  const gemm = runPythonJson<{ gflops: number }>('scripts/bench/gemm_limit.py', [String(cfg.threads || 0), '512']);
  const shape = encoderShape(cfg.dir);
  const limitMs: Record<string, number> = {};
  for (const [set, list] of Object.entries(sets)) {
    const tokens = await tokenCounts(cfg.dir, list);
    const flops = tokens.reduce((s, t) => s + encoderFlops(t, shape), 0) / list.length;
    limitMs[set] = gemm ? flops / (gemm.gflops * 1e6) : NaN;
    const mean = tokens.reduce((a, b) => a + b, 0) / tokens.length;
    console.log(
      `${set}: ${mean.toFixed(1)} tokens/text (max ${Math.max(...tokens)}), ${(flops / 1e9).toFixed(2)} GFLOP/text, limit ${limitMs[set]!.toFixed(2)} ms/text`,
    );
  }
  if (gemm) console.log(`matmul rate (ONNX Runtime fp32 GEMM 512x768x3072): ${gemm.gflops.toFixed(1)} GFLOP/s`);
  const rows: Row[] = [];
  for (const dtype of DTYPES) await benchDtype(dtype, sets, rows);
  const torch = torchBaseline(sets);
  printTable(rows, limitMs, torch);
  printRows(benchRows(rows, limitMs, torch));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
