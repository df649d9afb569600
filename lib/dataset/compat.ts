/**
 * @deprecated Record-at-a-time API kept only so existing callers compile while they move to readTweetBatches;
 * delete this file once lib/pipeline no longer uses it.
 */
import type { DatasetItem } from './types';
import { readTweetBatches, statTweetFile } from './reader';

/** @deprecated use readTweetBatches */
export async function* readTweetFile(filePath: string): AsyncGenerator<DatasetItem> {
  let position = 0;
  for await (const batch of readTweetBatches(filePath)) {
    let t = 0;
    let s = 0;
    for (const end = position + batch.records; position < end; position++) {
      const skipped = batch.invalid[s];
      if (skipped?.position === position) {
        s++;
        yield { kind: 'skipped', record: skipped };
      } else yield { kind: 'tweet', position, tweet: batch.tweets[t++]! };
    }
  }
}

/** @deprecated a test can hand the pipeline any other source */
export interface TweetSource {
  read(): AsyncIterable<DatasetItem>;
  isKnownValid?(): Promise<boolean>;
  markValid?(): Promise<void>;
}

const validated = new Map<string, string>();
const stamp = (filePath: string) =>
  statTweetFile(filePath).then(
    (s) => `${s.size}:${s.mtimeMs}`,
    () => 'missing',
  );

/** @deprecated an unchanged file read once without error may be read partially later */
export function fileTweetSource(filePath: string): TweetSource {
  let readStamp: Promise<string> | undefined;
  return {
    read: () => {
      readStamp = stamp(filePath);
      return readTweetFile(filePath);
    },
    isKnownValid: async () => validated.get(filePath) === (await stamp(filePath)),
    markValid: async () => {
      const before = await readStamp;
      if (before && before === (await stamp(filePath))) validated.set(filePath, before);
    },
  };
}
