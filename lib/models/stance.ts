import fs from 'node:fs';
import path from 'node:path';
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { config } from '../config';
import { DependencyUnavailableError } from '../errors';
import { logger } from '../logger';
import type { Classifier, Prediction } from './types';
import { STANCE_LABELS, type StanceLabel } from '../domain';
import { FETCH_HINT } from './files';
import { loadOnce } from './load-once';
import { ModelFilesError, verifyModelFiles } from './manifest';
import { MAX_TWEET_CHARS, PROMPT_VERSION, STANCE_SYSTEM_PROMPT, stanceUserPrompt } from './stance-prompt';

export interface StanceModelOptions {
  path: string;
  modelId: string;
  /** Sequences decoded together; 0 = auto (autoSequences). */
  parallel: number;
  /** 0 = auto: the cores that do math. */
  threads: number;
  contextSize: number;
  /** llama.cpp tokens per decode, shared by the sequences (node-llama-cpp's default: 512). */
  batchSize?: number;
}

export type StanceClassifier = Classifier<'stance'> & {
  /** Frees the context, the model and the llama.cpp instance; the next load reads the model again. */
  dispose(): Promise<void>;
};

const loadCached = loadOnce((options: StanceModelOptions) => load(options));

/** The stance model, loaded once per process on first use (concurrent first calls share the load). */
export function loadStanceClassifier(options: StanceModelOptions = config().stance): Promise<StanceClassifier> {
  return loadCached(options);
}

/** Renders prompts with the chat template stored in the GGUF and scores label continuations. */
export class StanceScorer {
  private constructor(
    private readonly model: LlamaModel,
    private readonly render: (tweet: string, contextSize: number) => Token[],
    private readonly labelTokens: Record<StanceLabel, Token[]>,
    /** How a label is scored: its first token's probability, or its whole continuation's. */
    readonly method: 'label-first-token' | 'label-likelihood',
  ) {}

  static async create(model: LlamaModel): Promise<StanceScorer> {
    const { resolveChatWrapper } = await import('node-llama-cpp');
    const wrapper = resolveChatWrapper(model);
    const renderText = (tweet: string, answer: string) =>
      wrapper.generateContextState({
        chatHistory: [
          { type: 'system', text: STANCE_SYSTEM_PROMPT },
          { type: 'user', text: stanceUserPrompt(tweet) },
          { type: 'model', response: answer ? [answer] : [] },
        ],
      }).contextText;
    const renderTokens = (tweet: string) => renderText(tweet, '').tokenize(model.tokenizer);

    // A label's tokens are what the template adds after the prompt when the answer is that label.
    const probe = renderTokens('x');
    const labelTokens = {} as Record<StanceLabel, Token[]>;
    for (const label of STANCE_LABELS) {
      const full = renderText('x', label).tokenize(model.tokenizer);
      let common = 0;
      while (common < probe.length && full[common] === probe[common]) common++;
      // The label must start exactly where the prompt ends, or scores would be of a different text.
      const tokens = common === probe.length ? full.slice(common) : model.tokenize(label);
      labelTokens[label] = tokens.length ? tokens : model.tokenize(label);
    }
    // When the labels' first tokens differ, the first token decides: the distribution after the prompt is all
    // that is needed, and the two extra model passes of the longer labels (a third of the time on TinyLlama's
    // shape) are saved. Otherwise the whole continuation is scored.
    const firsts = new Set(STANCE_LABELS.map((l) => labelTokens[l][0]));
    const method = firsts.size === STANCE_LABELS.length ? 'label-first-token' : 'label-likelihood';
    if (method === 'label-first-token') for (const l of STANCE_LABELS) labelTokens[l] = labelTokens[l].slice(0, 1);
    // Room a sequence needs after the prompt: the longest label continuation, and a margin.
    const labelRoom = Math.max(...STANCE_LABELS.map((l) => labelTokens[l].length)) + 8;
    const templateTokens = renderTokens('').length;
    const render = (tweet: string, contextSize: number) => {
      const text = tweet.slice(0, MAX_TWEET_CHARS);
      const prompt = renderTokens(text);
      if (prompt.length + labelRoom <= contextSize) return prompt; // the usual case: one tokenization
      // Too long for the context: keep the beginning, like the emotion model's truncation.
      const room = Math.max(contextSize - templateTokens - labelRoom, 0);
      return renderTokens(model.detokenize(model.tokenize(text).slice(0, room)));
    };
    return new StanceScorer(model, render, labelTokens, method);
  }

  /** The rendered prompt for a tweet, as the model sees it (for tests and debugging). */
  promptText(tweet: string, contextSize = 1024): string {
    return this.model.detokenize(this.render(tweet, contextSize), true);
  }

  /**
   * P(label | prompt) for each label, as the product of its tokens' probabilities, normalised over the
   * three labels. The sequence keeps the prompt's shared prefix evaluated between tweets.
   */
  async score(sequence: LlamaContextSequence, tweet: string): Promise<{ label: StanceLabel; score: number; scores: Record<StanceLabel, number> }> {
    const prompt = this.render(tweet, sequence.contextSize);
    if (prompt.length + 8 > sequence.contextSize) throw new Error(`the prompt template alone (${prompt.length} tokens) does not fit the context`);
    await sequence.adaptStateToTokens(prompt, false); // erase back to the common prefix only
    const rest = prompt.slice(sequence.nextTokenIndex);
    if (rest.length === 0) {
      // Identical prompt already evaluated: step back one token to get its next-token distribution again.
      await sequence.eraseContextTokenRanges([{ start: prompt.length - 1, end: prompt.length }]);
      rest.push(prompt[prompt.length - 1]!);
    }

    const raw = {} as Record<StanceLabel, number>;
    let firstDistribution: Map<Token, number> | undefined;
    for (const label of STANCE_LABELS) {
      const tokens = this.labelTokens[label];
      // Probabilities are needed after the prompt's last token and after every label token but the last.
      const input = firstDistribution
        ? tokens.slice(0, -1).map((t) => [t, { generateNext: { probabilities: true } }] as const)
        : [
            ...rest.slice(0, -1),
            [rest[rest.length - 1]!, { generateNext: { probabilities: true } }] as const,
            ...tokens.slice(0, -1).map((t) => [t, { generateNext: { probabilities: true } }] as const),
          ];
      const offset = firstDistribution ? 0 : rest.length;
      const out = input.length ? await sequence.controlledEvaluate(input as never) : [];
      firstDistribution ??= out[rest.length - 1]?.next.probabilities;
      let p = firstDistribution?.get(tokens[0]!) ?? 0;
      for (let i = 1; i < tokens.length; i++) p *= out[offset + i - 1]?.next.probabilities?.get(tokens[i]!) ?? 0;
      raw[label] = p;
      const labelStart = prompt.length;
      if (sequence.nextTokenIndex > labelStart) {
        await sequence.eraseContextTokenRanges([{ start: labelStart, end: sequence.nextTokenIndex }]);
      }
    }
    return labelFromProbabilities(raw);
  }
}

/**
 * Normalises the three label probabilities and picks the label. Garbage in (NaN, negative, all zero) gives
 * the uniform distribution rather than an invalid label; the fixed label order breaks exact ties, so the
 * same tweet always gets the same label.
 */
export function labelFromProbabilities(raw: Record<StanceLabel, number>): { label: StanceLabel; score: number; scores: Record<StanceLabel, number> } {
  const clean = Object.fromEntries(STANCE_LABELS.map((l) => [l, Number.isFinite(raw[l]) && raw[l] > 0 ? raw[l] : 0])) as Record<StanceLabel, number>;
  const total = STANCE_LABELS.reduce((s, l) => s + clean[l], 0);
  const scores = Object.fromEntries(STANCE_LABELS.map((l) => [l, total > 0 ? clean[l] / total : 1 / 3])) as Record<StanceLabel, number>;
  const label = STANCE_LABELS.reduce((best, l) => (scores[l] > scores[best] ? l : best), STANCE_LABELS[0]);
  return { label, score: scores[label], scores };
}

/**
 * Runs `texts` over a pool of sequences: each sequence takes the next text when it is free, so llama.cpp
 * batches their tokens together. A text that fails gets `{error}` and its sequence is reset; the others go on.
 */
export async function classifyOnPool<S, R>(
  sequences: S[],
  texts: string[],
  score: (sequence: S, text: string) => Promise<R>,
  reset: (sequence: S) => Promise<void>,
): Promise<Array<R | { error: string }>> {
  const results: Array<R | { error: string }> = new Array(texts.length);
  let next = 0;
  await Promise.all(
    sequences.map(async (sequence) => {
      while (next < texts.length) {
        const i = next++;
        try {
          results[i] = await score(sequence, texts[i]!);
        } catch (error) {
          results[i] = { error: `stance model failed: ${(error as Error).message.slice(0, 200)}` };
          await reset(sequence).catch(() => undefined);
        }
      }
    }),
  );
  return results;
}

async function verify(modelPath: string) {
  try {
    const manifest = await verifyModelFiles(path.dirname(modelPath), [path.basename(modelPath)], { hash: true });
    if (!fs.existsSync(modelPath)) throw new ModelFilesError(`${modelPath} is missing`);
    return manifest;
  } catch (error) {
    if (!(error instanceof ModelFilesError)) throw error;
    throw new DependencyUnavailableError('stance_model', `The stance model file is missing or corrupt: ${error.message}.`, FETCH_HINT);
  }
}

async function openContext(options: StanceModelOptions) {
  // ESM-only and native: imported on first use. build:'never' — never compile llama.cpp silently for minutes.
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.warn });
  const model = await llama.loadModel({ modelPath: options.path });
  // node-llama-cpp's default is maxThreads (4 on a 2-core machine): oversubscribed threads spin against
  // each other and one decode took ~250 ms instead of ~7 ms here. Default to the cores that do math.
  const threads = options.threads || llama.cpuMathCores;
  const sequences = options.parallel || autoSequences(threads);
  const { contextSize, batchSize } = options;
  const context = await model.createContext({ contextSize, sequences, threads, batchSize });
  return { llama, model, context, threads, sequences };
}

/**
 * STANCE_PARALLEL=auto: one sequence per 4 math threads. On 2 cores one sequence is 28 % faster per tweet than
 * two (docs/benchmarks.md, bench:stance): a second sequence only helps when one leaves cores idle between its decodes.
 */
export const autoSequences = (threads: number) => Math.max(1, Math.floor(threads / 4));

async function load(options: StanceModelOptions): Promise<StanceClassifier> {
  const t0 = performance.now();
  const manifest = await verify(options.path);
  const { llama, model, context, threads, sequences: parallel } = await openContext(options);
  const sequences = Array.from({ length: parallel }, () => context.getSequence());
  const scorer = await StanceScorer.create(model);
  logger.info('stance model loaded', { path: options.path, revision: manifest.revision, parallel, threads, ms: Math.round(performance.now() - t0) });

  const provenance = { model: manifest.model, revision: manifest.revision, prompt_version: PROMPT_VERSION, method: scorer.method };
  let queue = Promise.resolve(); // one batch at a time: the sequences are shared by every caller

  return {
    task: 'stance',
    // A different scoring method gives different labels: tweets tagged by another one count as not tagged.
    marker: { model: manifest.model, revision: manifest.revision, prompt_version: PROMPT_VERSION, method: scorer.method },
    info: { id: manifest.model, revision: manifest.revision, prompt_version: PROMPT_VERSION, base_model: options.modelId },
    batchSize: parallel * 4,
    classify(texts) {
      const run = () =>
        classifyOnPool<LlamaContextSequence, Prediction<'stance'>>(
          sequences,
          texts,
          async (sequence, text) => ({ ...(await scorer.score(sequence, text)), ...provenance }),
          (sequence) => sequence.clearHistory(),
        );
      const result = queue.then(run);
      queue = result.then(() => undefined, () => undefined);
      return result;
    },
    async dispose() {
      loadCached.forget(options);
      await queue; // let a running batch finish on the sequences it holds
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
