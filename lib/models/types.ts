import type { ResultOf, Task } from '../domain';

/** What a model returns for one text; the pipeline adds when and how long. */
export type Prediction<T extends Task> = Omit<ResultOf<T>, 'classified_at' | 'inference_ms'>;

/** A loaded model for one task: the models' own interface, which the pipeline consumes. */
export interface Classifier<T extends Task> {
  readonly task: T;
  /** Fields a stored result must match to count as "tagged by this model" (e.g. model + revision). */
  readonly marker: Record<string, string>;
  /** Model provenance for the answer. */
  readonly info: Record<string, string>;
  readonly batchSize: number;
  /** One call per batch; one text failing must not fail the batch. */
  classify(texts: string[]): Promise<Array<Prediction<T> | { error: string }>>;
}
