/**
 * A tagging run whose prefetched second page fails while the first page's batches are classified (run by
 * test/unit/pipeline.test.ts in a process of its own). Prints what the caller saw, and any unhandled rejection.
 */
import { tagFromIndex } from '../../lib/pipeline';
import { InMemoryTweetStore } from '../../lib/store';
import { TweetLines } from '../../lib/tweet-lines';
import { keywordClassifier } from './keyword-classifier';
import { makeTweet } from './memory-dataset';

const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push((reason as Error).message));

async function main() {
  const store = new InMemoryTweetStore();
  await store.putTweets(TweetLines.fromTweets(Array.from({ length: 12 }, (_, i) => makeTweet(i))));
  let pages = 0;
  const findUntagged = store.findUntagged.bind(store);
  store.findUntagged = async (q) => {
    if (++pages === 2) throw new Error('search_phase_execution_exception'); // the prefetch of page 2
    return findUntagged(q);
  };
  const slow = keywordClassifier({ batchSize: 2 });
  const classify = slow.classify.bind(slow);
  slow.classify = async (texts) => {
    await new Promise((r) => setTimeout(r, 30)); // the prefetch fails meanwhile
    return classify(texts);
  };
  const who = { holder: 'test', description: 'prefetch failure' };
  const deps = { store, leases: store, who, loadClassifier: async () => slow, pages: { first: 4, rest: 4 } };
  const rejected = await tagFromIndex('emotion', { limit: 12, force: false }, deps).then(
    () => 'nothing',
    (e: Error) => e.message,
  );
  await new Promise((r) => setTimeout(r, 50));
  process.stdout.write(JSON.stringify({ rejected, unhandled, leases: store.leases.size }));
}

void main();
