import path from 'node:path';
import { config } from '../config';
import { DependencyUnavailableError } from '../errors';
import { logger } from '../logger';
import type { Classifier, Prediction } from './types';
import { EMOTION_LABELS, type EmotionLabel } from '../domain';
import { emotionModelFiles, FETCH_HINT } from './files';
import { lengthBatches, type BatchLimits } from './length-batches';
import { loadOnce } from './load-once';
import { ModelFilesError, verifyModelFiles } from './manifest';

export interface EmotionModelOptions {
  dir: string;
  dtype: 'fp32' | 'q8';
  /** Tweets per ONNX run: a per-call choice, not part of the loaded model. */
  batchSize: number;
  /**
   * Tweets handed over per classify call (the pipeline's chunk), sorted by length and run `batchSize` at a
   * time: padding then costs little. Default: `batchSize` (no sorting across batches).
   */
  sortWindow?: number;
  /** Padded tokens per ONNX run, at most (texts × the longest); 0 or absent: `batchSize` texts whatever their length. */
  batchTokens?: number;
  /** ONNX Runtime intra-op threads; 0 = its default (the machine's cores). */
  threads?: number;
}

export type EmotionClassifier = Classifier<'emotion'> & {
  /** Frees the ONNX session; the next load reads the model again. */
  dispose(): Promise<void>;
};

/** The model's input limit: longer texts are truncated, so they cost no more than this. */
const MAX_TOKENS = 512;

type Ranked = Array<{ label: string; score: number }>;
type TextClassifier = ((texts: string[], options: { top_k: null }) => Promise<Ranked[]>) & {
  dispose(): Promise<void>;
  tokenizer: { encode(text: string): number[] };
};
type PerCall = Pick<EmotionModelOptions, 'batchSize' | 'sortWindow' | 'batchTokens'>;
type LoadedModel = { withBatchSize(perCall: PerCall): EmotionClassifier };

// Keyed without the batch size: one copy of the model per process whatever batch sizes callers use.
const loadCached = loadOnce((key: Omit<EmotionModelOptions, keyof PerCall>) => load(key));

/** The emotion model, loaded on first use and shared by every later call in this process. */
export async function loadEmotionClassifier(
  options: EmotionModelOptions = config().emotion,
): Promise<EmotionClassifier> {
  const { batchSize, sortWindow, batchTokens, ...key } = options;
  return (await loadCached({ ...key, threads: key.threads ?? 0 })).withBatchSize({ batchSize, sortWindow, batchTokens });
}

async function verify(dir: string, dtype: 'fp32' | 'q8') {
  try {
    return await verifyModelFiles(dir, emotionModelFiles(dtype), { hash: true });
  } catch (error) {
    if (!(error instanceof ModelFilesError)) throw error;
    throw new DependencyUnavailableError(
      'emotion_model',
      `The emotion model files are missing or corrupt: ${error.message}.`,
      FETCH_HINT,
    );
  }
}

async function openPipeline(dir: string, dtype: 'fp32' | 'q8', threads: number): Promise<TextClassifier> {
  // transformers.js is ESM and pulls in onnxruntime: imported only when the model is first needed.
  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false; // never reach the hub at request time
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(dir) + path.sep;
  const session_options = threads > 0 ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
  const classifier = await pipeline('text-classification', path.basename(dir), {
    dtype,
    device: 'cpu',
    session_options,
  });
  return classifier as unknown as TextClassifier;
}

async function load(key: Omit<EmotionModelOptions, keyof PerCall>): Promise<LoadedModel> {
  const { dir, dtype, threads = 0 } = key;
  const t0 = performance.now();
  const manifest = await verify(dir, dtype);
  const classifier = await openPipeline(dir, dtype, threads);
  const id2label = (classifier as unknown as { model: { config: { id2label: Record<string, string> } } }).model.config
    .id2label;
  const labels = Object.values(id2label ?? {}).sort();
  if (labels.join() !== [...EMOTION_LABELS].sort().join()) {
    await classifier.dispose();
    throw new DependencyUnavailableError(
      'emotion_model',
      `The model in ${dir} has labels [${labels}], not the 7 emotions.`,
      FETCH_HINT,
    );
  }
  logger.info('emotion model loaded', {
    dir,
    dtype,
    threads,
    revision: manifest.revision,
    ms: Math.round(performance.now() - t0),
  });

  const provenance = { model: manifest.model, revision: manifest.revision, dtype };
  const toPrediction = (ranked: Ranked): Prediction<'emotion'> => {
    const scores = Object.fromEntries(EMOTION_LABELS.map((l) => [l, 0])) as Record<EmotionLabel, number>;
    for (const { label, score } of ranked) scores[label as EmotionLabel] = score;
    const top = ranked[0]!;
    return { label: top.label as EmotionLabel, score: top.score, scores, ...provenance };
  };
  const classify = (texts: string[]) => classifyBatch(classifier, texts, toPrediction);
  // Sorting by characters left 31.3 padded tokens per exercise tweet against 27.3 by tokens (26.8 real).
  const tokens = (text: string) => {
    try {
      return Math.min(MAX_TOKENS, classifier.tokenizer.encode(text).length);
    } catch {
      return text.length; // the model call reports what is wrong with this text
    }
  };
  const dispose = async () => {
    loadCached.forget(key);
    await classifier.dispose();
  };
  const views = new Map<string, EmotionClassifier>();
  const withBatchSize = ({ batchSize, sortWindow, batchTokens = 0 }: PerCall) => {
    const perCall = Math.max(batchSize, sortWindow ?? batchSize);
    const limits: BatchLimits = { maxItems: batchSize, maxTokens: batchTokens };
    const id = `${batchSize}/${perCall}/${batchTokens}`;
    const view = views.get(id) ?? {
      task: 'emotion' as const,
      marker: { model: manifest.model, revision: manifest.revision },
      info: { id: manifest.model, revision: manifest.revision, dtype },
      batchSize: perCall, // what callers hand over per call; the ONNX runs take `batchSize` of them
      classify: (texts: string[]) => classifySorted(texts, limits, classify, tokens),
      dispose,
    };
    views.set(id, view);
    return view;
  };
  return { withBatchSize };
}

/**
 * Runs texts in runs of similar length (lengthBatches) and puts the results back in the caller's order.
 * `length` is best in tokens (tokenizing costs ~0.05 ms a tweet). A number is `batchSize` texts a run.
 */
export async function classifySorted<R>(
  texts: string[],
  limits: BatchLimits | number,
  run: (texts: string[]) => Promise<R[]>,
  length: (text: string) => number = (text) => text.length,
): Promise<R[]> {
  const batches = lengthBatches(
    texts.map((text) => length(text)),
    typeof limits === 'number' ? { maxItems: limits, maxTokens: 0 } : limits,
  );
  const results: R[] = new Array(texts.length);
  for (const batch of batches) {
    const out = await run(batch.map((j) => texts[j]!));
    batch.forEach((j, k) => (results[j] = out[k]!));
  }
  return results;
}

async function classifyBatch(
  classifier: TextClassifier,
  texts: string[],
  toPrediction: (ranked: Ranked) => Prediction<'emotion'>,
): Promise<Array<Prediction<'emotion'> | { error: string }>> {
  try {
    return (await classifier(texts, { top_k: null })).map(toPrediction);
  } catch {
    // One bad text must not sink the batch: retry one by one and report the failures.
    return Promise.all(
      texts.map((text) =>
        classifier([text], { top_k: null })
          .then((r) => toPrediction(r[0]!))
          .catch((e: Error) => ({ error: `emotion model failed: ${e.message.slice(0, 200)}` })),
      ),
    );
  }
}
