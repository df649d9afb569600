import type { EmotionResult, StanceResult, ClassificationMarker, Task } from '../search';

export type ResultOf<T extends Task> = T extends 'emotion' ? EmotionResult : StanceResult;
/** What a model returns for one text; the pipeline adds when and how long. */
export type Prediction<T extends Task> = Omit<ResultOf<T>, 'classified_at' | 'inference_ms'>;

/** A loaded model for one task. One call per batch; one text failing must not fail the batch. */
export interface Classifier<T extends Task> {
  readonly task: T;
  /** Fields a stored result must match to be "already classified" (e.g. model + revision). */
  readonly marker: ClassificationMarker;
  /** Model provenance for the answer. */
  readonly info: Record<string, string>;
  readonly batchSize: number;
  classify(texts: string[]): Promise<Array<Prediction<T> | { error: string }>>;
}

export interface TagParams {
  limit: number;
  startMs?: number;
  endMs?: number;
  force: boolean;
}

export interface TagProgress {
  done: number;
  total: number;
  classified: number;
  skipped: number;
  failed: number;
}

export interface TagSummary {
  task: Task;
  requested: number;
  classified: number;
  skipped: { already_classified: number; invalid: number };
  failed: Array<{ id: string; reason: string }>;
  invalid_records: Array<{ position: number; id?: string; reason: string }>;
  labels: Record<string, number>;
  model: Record<string, string>;
  timings: { select_ms: number; load_ms: number; inference_ms: number; write_ms: number };
  took_ms: number;
}
