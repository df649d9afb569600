import fs from 'node:fs';
import { readTweetBatches } from '../../lib/dataset';
import { config } from '../../lib/config';

/** Tweet texts for benchmarks: BENCH_DATASET, else the exercise's file when present, else DATASET_PATH. */
export async function benchTexts(limit: number): Promise<{ texts: string[]; source: string }> {
  const candidates = [process.env.BENCH_DATASET, '../shared/tweets_dataset.json', config().datasetPath].filter(Boolean) as string[];
  const source = candidates.find((f) => fs.existsSync(f))!;
  const texts: string[] = [];
  for await (const batch of readTweetBatches(source)) texts.push(...batch.tweets.slice(0, limit - texts.length).map((t) => t.content));
  return { texts, source };
}

export const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);
