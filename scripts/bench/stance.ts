/**
 * npm run bench:stance — stance throughput on the GGUF in models/ (STANCE_MODEL_PATH chooses another):
 *   naive:  a fresh chat session per tweet, whole prompt evaluated, free generation until stop, text parsed
 *   ours:   shared prompt prefix kept evaluated, the 3 labels scored by token probabilities,
 *           with 1 and with 2 parallel sequences in one context
 * Prints figures; asserts nothing.
 */
import { config } from '../../lib/config';
import { loadStanceClassifier } from '../../lib/models/stance';
import { STANCE_SYSTEM_PROMPT, stanceUserPrompt } from '../../lib/models/stance-prompt';
import { benchTexts, rssMb } from './texts';

async function naive(texts: string[], modelPath: string, threads: number): Promise<{ ms: number; unparsable: number }> {
  const { getLlama, LlamaChatSession, resolveChatWrapper } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 1024, threads: threads || llama.cpuMathCores }); // same threads as ours
  const sequence = context.getSequence();
  const chatWrapper = resolveChatWrapper(model); // once: template detection is not what this measures
  let unparsable = 0;
  const t0 = performance.now();
  for (const text of texts) {
    await sequence.clearHistory(); // nothing reused between tweets
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: STANCE_SYSTEM_PROMPT, chatWrapper });
    const answer = await session.prompt(stanceUserPrompt(text), { maxTokens: 8, temperature: 0 });
    if (!/SUPPORT|OPPOSE|NEUTRAL/i.test(answer)) unparsable++;
    session.dispose({ disposeSequence: false });
  }
  const ms = performance.now() - t0;
  await context.dispose();
  await model.dispose();
  return { ms, unparsable };
}

async function main() {
  const { texts, source } = await benchTexts(Number(process.env.BENCH_N ?? 30));
  const cfg = config().stance;
  console.log(`stance bench: ${texts.length} tweets from ${source}, model ${cfg.path}, threads ${cfg.threads || 'physical cores'}`);
  const rows: Array<[string, number, string]> = [];

  const n = await naive(texts, cfg.path, cfg.threads);
  rows.push(['naive (full prompt, free generation)', texts.length / (n.ms / 1000), `${n.unparsable} answers not a label`]);

  for (const parallel of [1, 2, 4]) {
    const model = await loadStanceClassifier({ ...cfg, parallel });
    await model.classify(texts.slice(0, 1)); // evaluates the shared prefix once
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i += model.batchSize) await model.classify(texts.slice(i, i + model.batchSize));
    const ms = performance.now() - t0;
    rows.push([`prefix reuse + label scoring, ${parallel} sequence(s)`, texts.length / (ms / 1000), 'labels valid by construction']);
  }
  console.log('approach                                   | tweets/s | s/tweet | note');
  for (const [name, tps, note] of rows) console.log(`${name.padEnd(42)} | ${tps.toFixed(2).padStart(8)} | ${(1 / tps).toFixed(3).padStart(7)} | ${note}`);
  console.log(`RSS ${rssMb()} MB`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
