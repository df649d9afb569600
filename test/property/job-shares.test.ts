/**
 * A tagging job's limit over partitions that hold unequal numbers of tweets (lib/pipeline/jobs/shares.ts), as a
 * property: for any number of tweets, partitions and limit, the job tags min(limit, tweets), each once, and after
 * every change the shares add up to the limit. The same cases run on the in-memory stores and on Elasticsearch,
 * which must agree partition by partition. Prints the seed (FC_SEED replays it).
 */
import fc from 'fast-check';
import type { Task } from '../../lib/domain';
import { createLogger } from '../../lib/logger';
import type { Classifier } from '../../lib/models/types';
import { ingestFile } from '../../lib/pipeline';
import { createJob, getJob, runWorker, type JobDeps, type WorkerEvent } from '../../lib/pipeline/jobs';
import {
  ElasticsearchJobStore,
  ElasticsearchLeaseStore,
  ElasticsearchTweetStore,
  InMemoryJobStore,
  InMemorySourceStore,
  InMemoryTweetStore,
  type JobStore,
  type LeaseStore,
  type TweetStore,
} from '../../lib/store';
import { testIndex } from '../support/env';
import { rawClient } from '../support/es';
import { keywordClassifier } from '../support/keyword-classifier';
import { makeTweet, memoryReader } from '../support/memory-dataset';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const params = { start_date: null, end_date: null, force: false };
type Stores = { store: TweetStore; leases: LeaseStore; jobs: JobStore };

const inMemory = (): Stores => {
  const store = new InMemoryTweetStore();
  return { store, leases: store, jobs: new InMemoryJobStore() };
};
const prefix = testIndex('job-shares');
let run = 0;
const onElasticsearch = (): Stores => {
  const index = `${prefix}-${run++}`;
  return {
    store: new ElasticsearchTweetStore(rawClient(), index),
    leases: new ElasticsearchLeaseStore(rawClient(), `${index}-leases`),
    jobs: new ElasticsearchJobStore(rawClient(), `${index}-jobs`),
  };
};

/** Runs one job to its end on `stores`, one batch of 3 per worker invocation; every job change's share sum kept. */
async function runJob(stores: Stores, n: number, partitions: number, limit: number) {
  const queue: WorkerEvent[] = [];
  const classified: string[] = [];
  const classifier = keywordClassifier({ batchSize: 3 });
  const counting = { ...classifier, classify: async (t: string[]) => (classified.push(...t), classifier.classify(t)) };
  const file = memoryReader({ '/t.json': { tweets: Array.from({ length: n }, (_, i) => makeTweet(i, `happy ${i}`)) } });
  const sources = new InMemorySourceStore();
  const shareSums: number[] = [];
  const jobs: JobStore = Object.assign(Object.create(stores.jobs) as JobStore, {
    mutate: async (...args: Parameters<JobStore['mutate']>) => {
      const after = await stores.jobs.mutate(...args);
      if (after) shareSums.push(after.partitions.reduce((sum, p) => sum + p.limit, 0));
      return after;
    },
  });
  const ingest = (who: Parameters<JobDeps['ensureIngested']>[0]) =>
    ingestFile('/t.json', { force: false }, { store: stores.store, sources, leases: stores.leases, reader: file, who });
  const deps: JobDeps = {
    ...stores,
    jobs,
    invoker: { invoke: async (e) => void queue.push(e) },
    loadClassifier: async () => counting as unknown as Classifier<Task>,
    ingest: (_options, who) => ingest(who),
    ensureIngested: ingest,
    sliceMs: 0,
    stallMs: 60_000,
    now: () => new Date(),
    log: createLogger({ test: 'job-shares' }),
  };
  const job = await createJob('emotion', { ...params, limit, partitions }, deps);
  while (queue.length) await runWorker(queue.shift()!, deps);
  return { done: await getJob(job.id, deps), classified, shareSums };
}

const cases = fc.record({
  n: fc.integer({ min: 1, max: 40 }),
  partitions: fc.integer({ min: 1, max: 8 }),
  over: fc.integer({ min: -5, max: 8 }),
});

afterAll(async () => {
  await rawClient().indices.delete({ index: `${prefix}-*` }, { ignore: [404] });
});

describe('a job limit over partitions of unequal size', () => {
  it(`tags min(limit, tweets) once each, shares adding up to the limit, in memory and on Elasticsearch alike (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ n, partitions, over }) => {
        const limit = Math.max(partitions, n + over); // at least one tweet per partition (the API's rule)
        const results = [
          await runJob(inMemory(), n, partitions, limit),
          await runJob(onElasticsearch(), n, partitions, limit),
        ];
        for (const { done, classified, shareSums } of results) {
          expect(done.status).toBe('succeeded');
          expect(done.progress.classified).toBe(Math.min(limit, n));
          expect((done.summary as { remaining: number }).remaining).toBe(n - Math.min(limit, n));
          expect(new Set(classified).size).toBe(classified.length);
          expect(shareSums.every((sum) => sum === limit)).toBe(true);
        }
        const perPartition = results.map((r) => r.done.partitions.map((p) => [p.limit, p.classified]));
        expect(perPartition[1]).toEqual(perPartition[0]);
      }),
      { seed: SEED, numRuns: 25 },
    );
  });
});
