import fs from 'node:fs';
import { readTweetFile } from '../../lib/dataset';
import { config } from '../../lib/config';

/** Tweet texts for benchmarks: BENCH_DATASET, else the exercise's file when present, else DATASET_PATH. */
export async function benchTexts(limit: number): Promise<{ texts: string[]; source: string }> {
  const candidates = [process.env.BENCH_DATASET, '../shared/tweets_dataset.json', config().datasetPath].filter(Boolean) as string[];
  const source = candidates.find((f) => fs.existsSync(f))!;
  const texts: string[] = [];
  for await (const item of readTweetFile(source)) if (item.kind === 'tweet' && texts.length < limit) texts.push(item.tweet.content);
  return { texts, source };
}

export const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);
