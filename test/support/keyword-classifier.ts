import type { Classifier } from '../../lib/models/types';
import { EMOTION_LABELS, type EmotionLabel } from '../../lib/domain';

/**
 * A deterministic emotion classifier for the pipeline's unit tests (the pipeline's logic, not a model's, is
 * under test there): the first emotion word in the text wins, else neutral. Texts containing "FAIL" fail.
 */
export function keywordClassifier(
  options: { batchSize?: number; revision?: string; calls?: string[][] } = {},
): Classifier<'emotion'> {
  const revision = options.revision ?? 'r1';
  return {
    task: 'emotion',
    marker: { model: 'test/keywords', revision },
    info: { id: 'test/keywords', revision, dtype: 'none' },
    batchSize: options.batchSize ?? 4,
    async classify(texts) {
      options.calls?.push(texts);
      return texts.map((text) => {
        if (text.includes('FAIL')) return { error: 'this text always fails' };
        const label: EmotionLabel = EMOTION_LABELS.find((l) => text.toLowerCase().includes(l)) ?? 'neutral';
        const scores = Object.fromEntries(EMOTION_LABELS.map((l) => [l, l === label ? 0.94 : 0.01])) as Record<
          EmotionLabel,
          number
        >;
        return { label, score: 0.94, scores, model: 'test/keywords', revision, dtype: 'none' };
      });
    },
  };
}
