// TEMPORARY (replaced by the worker-thread reader): the batch API over the old streaming reader.
import fs from 'node:fs';
import { DependencyUnavailableError } from '../errors';
import { readTweetFile } from './reader';
import type { FileStamp, ReadSummary, SkippedRecord, Tweet, TweetBatch } from './types';

export async function statTweetFile(filePath: string): Promise<FileStamp> {
  try {
    const s = await fs.promises.stat(filePath);
    return { path: filePath, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    throw new DependencyUnavailableError('dataset', `The dataset file ${filePath} does not exist or cannot be read.`, 'Set DATASET_PATH.');
  }
}

export async function* readTweetBatches(filePath: string, options: { batchSize?: number } = {}): AsyncGenerator<TweetBatch, ReadSummary, void> {
  let tweets: Tweet[] = [];
  let invalid: SkippedRecord[] = [];
  let records = 0;
  let total = 0;
  let bad = 0;
  for await (const item of readTweetFile(filePath)) {
    records++;
    total++;
    if (item.kind === 'tweet') tweets.push(item.tweet);
    else (invalid.push(item.record), bad++);
    if (records >= (options.batchSize ?? 1000)) {
      yield { tweets, invalid, records, bytesRead: 0 };
      tweets = [];
      invalid = [];
      records = 0;
    }
  }
  if (records) yield { tweets, invalid, records, bytesRead: 0 };
  return { format: 'json-array', compressed: false, records: total, invalid: bad, bytes: 0, sha256: 'x' };
}
