import path from 'node:path';
import { config } from '../config';
import { DependencyUnavailableError } from '../errors';
import { logger } from '../logger';
import type { Classifier, Prediction } from './types';
import { EMOTION_LABELS, type EmotionLabel } from '../domain';
import { emotionModelFiles, FETCH_HINT } from './files';
import { loadOnce } from './load-once';
import { ModelFilesError, verifyModelFiles } from './manifest';

export interface EmotionModelOptions {
  dir: string;
  dtype: 'fp32' | 'q8';
  batchSize: number;
}

type TextClassifier = (texts: string[], options: { top_k: null }) => Promise<Array<Array<{ label: string; score: number }>>>;

const loadCached = loadOnce((options: EmotionModelOptions) => load(options));

/** The emotion model, loaded on first use and shared by every later call in this process. */
export function loadEmotionClassifier(options: EmotionModelOptions = config().emotion): Promise<Classifier<'emotion'>> {
  return loadCached(options);
}

async function load({ dir, dtype, batchSize }: EmotionModelOptions): Promise<Classifier<'emotion'>> {
  const t0 = performance.now();
  let manifest;
  try {
    manifest = await verifyModelFiles(dir, emotionModelFiles(dtype), { hash: true });
  } catch (error) {
    if (!(error instanceof ModelFilesError)) throw error;
    throw new DependencyUnavailableError('emotion_model', `The emotion model files are missing or corrupt: ${error.message}.`, FETCH_HINT);
  }

  // transformers.js is ESM and pulls in onnxruntime: imported only when the model is first needed.
  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false; // never reach the hub at request time
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(dir) + path.sep;
  const classifier = (await pipeline('text-classification', path.basename(dir), { dtype, device: 'cpu' })) as unknown as TextClassifier;

  const id2label = (classifier as unknown as { model: { config: { id2label: Record<string, string> } } }).model.config.id2label;
  const labels = Object.values(id2label ?? {}).sort();
  if (labels.join() !== [...EMOTION_LABELS].sort().join()) {
    throw new DependencyUnavailableError('emotion_model', `The model in ${dir} has labels [${labels}], not the 7 emotions.`, FETCH_HINT);
  }
  logger.info('emotion model loaded', { dir, dtype, revision: manifest.revision, ms: Math.round(performance.now() - t0) });

  const provenance = { model: manifest.model, revision: manifest.revision, dtype };
  const toPrediction = (ranked: Array<{ label: string; score: number }>): Prediction<'emotion'> => {
    const scores = Object.fromEntries(EMOTION_LABELS.map((l) => [l, 0])) as Record<EmotionLabel, number>;
    for (const { label, score } of ranked) scores[label as EmotionLabel] = score;
    const top = ranked[0]!;
    return { label: top.label as EmotionLabel, score: top.score, scores, ...provenance };
  };

  return {
    task: 'emotion',
    marker: { model: manifest.model, revision: manifest.revision },
    info: { id: manifest.model, revision: manifest.revision, dtype },
    batchSize,
    async classify(texts) {
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
    },
  };
}
