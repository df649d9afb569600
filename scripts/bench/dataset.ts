// Placeholder until the worker-thread reader lands with its benchmark.
import { readTweetBatches } from '../../lib/dataset';

async function main() {
  let n = 0;
  for await (const b of readTweetBatches(process.argv[2] ?? 'data/sample_tweets.json')) n += b.records;
  console.log(`${n} records`);
}
void main();
