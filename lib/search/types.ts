import type { Tweet } from '../dataset';
import type { CursorValues } from './cursor';
import type { EmotionLabel, StanceLabel } from './mapping';

export interface EmotionResult {
  label: EmotionLabel;
  score: number;
  scores: Record<EmotionLabel, number>;
  model: string;
  revision: string;
  dtype: string;
  classified_at: string;
  inference_ms: number;
}

export interface StanceResult {
  label: StanceLabel;
  score: number;
  scores: Record<StanceLabel, number>;
  model: string;
  revision: string;
  prompt_version: string;
  method: string;
  raw_output?: string;
  classified_at: string;
  inference_ms: number;
}

export type TweetDocument = Tweet & { emotion?: EmotionResult; stance?: StanceResult };
export type Task = 'emotion' | 'stance';

/** What a stored result must match to count as "already classified" (same model, same revision...). */
export type ClassificationMarker = Record<string, string>;

export interface TweetQuery {
  limit: number;
  startMs?: number;
  endMs?: number;
  after?: CursorValues;
  emotion?: EmotionLabel;
  stance?: StanceLabel;
}

export interface TweetPage {
  items: TweetDocument[];
  total: number;
  next_cursor: string | null;
}

export interface UpsertResult {
  written: string[];
  failed: Array<{ id: string; reason: string }>;
}

export interface IndexStats {
  exists: boolean;
  count: number;
}

/** Everything the app needs from the document store; Elasticsearch is one adapter of it. */
export interface TweetStore {
  ensureIndex(): Promise<void>;
  /** Partial upsert by tweet id: fields not given (e.g. the other task's result) are kept. */
  upsert(docs: TweetDocument[]): Promise<UpsertResult>;
  /** Ids among `ids` whose `task` result matches every field of `marker`. One query. */
  findClassified(ids: string[], task: Task, marker: ClassificationMarker): Promise<Set<string>>;
  search(query: TweetQuery): Promise<TweetPage>;
  /** Makes written documents visible to search. */
  refresh(): Promise<void>;
  stats(): Promise<IndexStats>;
}
