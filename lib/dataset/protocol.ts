import type { ReadSummary, TweetBatch } from './types';

/** Marks the worker as ours: a bundle re-entered as some other worker (e.g. serverless-offline's) must not parse. */
export const PARSER_ROLE = 'tweet-file-parser';

export interface ParserData {
  role: typeof PARSER_ROLE;
  filePath: string;
  batchSize: number;
  chunkSize: number;
  /** Written into every tweet as `source` (the file's name in the dataset folder), when given. */
  source?: string;
}

/** Batches the main thread may hold unconsumed before the worker pauses reading. */
export const INITIAL_CREDITS = 2;

export type ErrorKind = 'dataset' | 'unavailable' | 'crash';

/** A batch as it crosses the thread boundary: TweetLines' bytes (transferred) and ids, not the class. */
export type BatchMessage = { type: 'batch'; bytes: Uint8Array; ids: string[] } & Omit<TweetBatch, 'lines'>;

export type WorkerMessage =
  | BatchMessage
  | { type: 'done'; summary: ReadSummary }
  | { type: 'error'; kind: ErrorKind; message: string; details?: unknown };

export type MainMessage = { type: 'credit' } | { type: 'stop' };
