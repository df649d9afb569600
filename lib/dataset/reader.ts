import fs from 'node:fs';
import { chain } from 'stream-chain';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { DatasetError, DependencyUnavailableError } from '../errors';
import { normaliseRecord } from './normalise';
import type { DatasetItem } from './types';


/**
 * Streams a JSON array of tweet records with bounded memory: one record is in memory at a time.
 * Numbers are kept as their source text, so a tweet id above 2^53 never passes through a JS number.
 */
export async function* readTweetFile(filePath: string): AsyncGenerator<DatasetItem> {
  try {
    await fs.promises.access(filePath, fs.constants.R_OK);
  } catch {
    throw new DependencyUnavailableError(
      'dataset',
      `The dataset file ${filePath} does not exist or cannot be read.`,
      'Set DATASET_PATH to a readable JSON file (see README, "Your own dataset").',
    );
  }
  const pipeline = chain([fs.createReadStream(filePath), parser(), streamArray({ numberAsString: true } as Parameters<typeof streamArray>[0])]);
  let position = 0;
  try {
    for await (const { value } of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      const result = normaliseRecord(value);
      yield 'tweet' in result
        ? { kind: 'tweet', position, tweet: result.tweet }
        : { kind: 'skipped', record: { position, ...result } };
      position++;
    }
  } catch (error) {
    pipeline.destroy();
    const msg = (error as Error).message ?? String(error);
    throw new DatasetError(
      `The dataset file is not a valid JSON array of tweets: ${msg.replace(/\s+/g, ' ').slice(0, 200)}`,
      { path: filePath, records_read: position },
    );
  }
}

