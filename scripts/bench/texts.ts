import fs from 'node:fs';
import { readTweetBatches } from '../../lib/dataset';
import { config } from '../../lib/config';

/** Tweet texts for benchmarks: BENCH_DATASET, else the exercise's file when present, else DATASET_PATH. */
export async function benchTexts(limit: number): Promise<{ texts: string[]; source: string }> {
  const candidates = [process.env.BENCH_DATASET, '../shared/tweets_dataset.json', config().datasetPath].filter(
    Boolean,
  ) as string[];
  const source = candidates.find((f) => fs.existsSync(f))!;
  const texts: string[] = [];
  for await (const batch of readTweetBatches(source))
    texts.push(
      ...batch.lines
        .decode()
        .slice(0, limit - texts.length)
        .map((t) => t.content),
    );
  return { texts, source };
}

export const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);

/**
 * Texts of mixed length, deterministic: the i-th joins 1 + (i mod 8) consecutive tweets, so lengths run from
 * one tweet to eight (~30 to ~250 tokens) and batches in file order mix short and long texts.
 */
export function lengthMixed(texts: string[]): string[] {
  return texts.map((_, i) => Array.from({ length: 1 + (i % 8) }, (_, k) => texts[(i + k) % texts.length]).join(' '));
}

/** Peak resident set size of this process so far, in MB. */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
