/**
 * npm run bench:stance — stance speed on the GGUF at STANCE_MODEL_PATH (the stand-in: models/standin/
 * stance-tinyllama/tinyllama-standin.Q4_K_M.gguf):
 *   naive:  a fresh chat session per tweet, whole prompt evaluated, free generation until stop, text parsed
 *   ours:   shared prompt prefix kept evaluated, the 3 labels scored by token probabilities, 1 and 2 sequences
 *   limit:  the tweet's own tokens / this CPU's measured prompt-evaluation rate (tokens/s)
 * plus load time and RSS. Prints figures; asserts nothing.
 */
import type { Llama, LlamaModel } from 'node-llama-cpp';
import { config } from '../../lib/config';
import os from 'node:os';
import { autoSequences, loadStanceClassifier } from '../../lib/models/stance';
import { STANCE_SYSTEM_PROMPT, stanceUserPrompt } from '../../lib/models/stance-prompt';
import { printRows } from './rows';
import { benchTexts, peakRssMb, rssMb } from './texts';

// 0 = auto, the default: what STANCE_PARALLEL=auto picks on this machine.
const PARALLEL = (process.env.BENCH_PARALLEL ?? '0,1,2').split(',').map(Number);

async function naive(
  llama: Llama,
  model: LlamaModel,
  texts: string[],
  threads: number,
): Promise<{ ms: number; unparsable: number }> {
  const { LlamaChatSession, resolveChatWrapper } = await import('node-llama-cpp');
  const context = await model.createContext({ contextSize: 1024, threads: threads || llama.cpuMathCores }); // same threads as ours
  const sequence = context.getSequence();
  const chatWrapper = resolveChatWrapper(model); // once: template detection is not what this measures
  let unparsable = 0;
  const t0 = performance.now();
  for (const text of texts) {
    await sequence.clearHistory(); // nothing reused between tweets
    const session = new LlamaChatSession({
      contextSequence: sequence,
      systemPrompt: STANCE_SYSTEM_PROMPT,
      chatWrapper,
    });
    const answer = await session.prompt(stanceUserPrompt(text), { maxTokens: 8, temperature: 0 });
    if (!/SUPPORT|OPPOSE|NEUTRAL/i.test(answer)) unparsable++;
    session.dispose({ disposeSequence: false });
  }
  const ms = performance.now() - t0;
  await context.dispose();
  return { ms, unparsable };
}

/** Prompt evaluation rate: `n` tokens of tweet text evaluated in one sequence, best of 2. */
async function promptEvalRate(
  llama: Llama,
  model: LlamaModel,
  texts: string[],
  threads: number,
  n: number,
): Promise<number> {
  const cfg = config().stance;
  const context = await model.createContext({
    contextSize: 1024,
    threads: threads || llama.cpuMathCores,
    batchSize: cfg.batchSize,
  });
  const sequence = context.getSequence();
  const tokens = model.tokenize(texts.join('\n')).slice(0, n);
  let best = Infinity;
  for (let r = 0; r < 2; r++) {
    await sequence.clearHistory();
    const t0 = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens);
    best = Math.min(best, performance.now() - t0);
  }
  await context.dispose();
  return tokens.length / (best / 1000);
}

async function ours(texts: string[], parallel: number): Promise<{ ms: number; loadMs: number }> {
  const t0 = performance.now();
  const model = await loadStanceClassifier({ ...config().stance, parallel });
  const loadMs = performance.now() - t0;
  await model.classify(texts.slice(0, 1)); // evaluates the shared prefix once
  const t1 = performance.now();
  for (let i = 0; i < texts.length; i += model.batchSize) await model.classify(texts.slice(i, i + model.batchSize));
  const ms = performance.now() - t1;
  console.log(`ours, ${parallel} sequence(s): load ${Math.round(loadMs)} ms, RSS ${rssMb()} MB`);
  await model.dispose();
  return { ms, loadMs };
}

async function main() {
  const { texts, source } = await benchTexts(Number(process.env.BENCH_N ?? 30));
  const cfg = config().stance;
  console.log(
    `stance bench: ${texts.length} tweets from ${source}, model ${cfg.path}, threads ${cfg.threads || 'physical cores'}, llama batch ${cfg.batchSize}`,
  );
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath: cfg.path });
  const tweetTokens = texts.reduce((s, t) => s + model.tokenize(t).length, 0) / texts.length;
  const rate = await promptEvalRate(llama, model, texts, cfg.threads, 512);
  const limitS = tweetTokens / rate;
  console.log(
    `prompt evaluation: ${rate.toFixed(1)} tokens/s (512 tokens); tweets ${tweetTokens.toFixed(1)} tokens on average -> limit ${limitS.toFixed(3)} s/tweet`,
  );
  const n = await naive(llama, model, texts, cfg.threads);
  await model.dispose();
  const rows: Array<[string, number, string]> = [
    ['naive (full prompt, free generation)', n.ms / 1000 / texts.length, `${n.unparsable} answers not a label`],
  ];
  for (const parallel of PARALLEL) {
    const r = await ours(texts, parallel);
    rows.push([
      `prefix reuse + label scoring, ${parallel ? `${parallel} seq` : `auto (${autoSequences(os.availableParallelism())} seq)`}`,
      r.ms / 1000 / texts.length,
      'labels valid by construction',
    ]);
  }
  console.log('approach                                  |  s/tweet | tweets/s | x naive | x limit | note');
  for (const [name, s, note] of rows) {
    const cells = [
      name.padEnd(41),
      s.toFixed(3).padStart(8),
      (1 / s).toFixed(2).padStart(8),
      (rows[0]![1] / s).toFixed(2).padStart(7),
      (s / limitS).toFixed(2).padStart(7),
    ];
    console.log(`${cells.join(' | ')} | ${note}`);
  }
  console.log(`peak RSS ${peakRssMb()} MB`);
  const [naiveRow, ...oursRows] = rows;
  printRows(
    oursRows.flatMap(([name, s]) => [
      {
        what: `stance ${name} (s/tweet)`,
        ours: s,
        anchor: naiveRow![1],
        anchorName: 'naive generation',
        higherIsBetter: false,
      },
      {
        what: `stance ${name} (s/tweet)`,
        ours: s,
        anchor: limitS,
        anchorName: 'prompt-evaluation limit',
        higherIsBetter: false,
      },
    ]),
  );
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
