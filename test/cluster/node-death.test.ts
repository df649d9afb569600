/**
 * npm run test:cluster — opt-in, against a real 3-node cluster (scripts/test-cluster.sh starts it): 120,000
 * generated tweets, and one node killed with SIGKILL in the middle of an ingest, a tagging run and a job.
 * Every count it checks is exact, and printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { readTweetBatches, statTweetFile } from '../../lib/dataset';
import type { Job, Task } from '../../lib/domain';
import { jobParams } from '../../lib/http/job-handlers';
import { MAX_JOB_LIMIT } from '../../lib/http/schemas';
import { createLogger } from '../../lib/logger';
import type { Classifier } from '../../lib/models/types';
import { ingestFile, tagFromIndex, type DatasetReader } from '../../lib/pipeline';
import { createJob, runWorker, type JobDeps, type WorkerEvent } from '../../lib/pipeline/jobs';
import {
  ElasticsearchJobStore,
  ElasticsearchLeaseStore,
  ElasticsearchTweetStore,
  InMemorySourceStore,
} from '../../lib/store';
import {
  appClient,
  busiestPrimaryNode,
  clusterConfig,
  masterNode,
  nodeUrls,
  killNode,
  restartNode,
} from '../support/cluster';
import { keywordClassifier } from '../support/keyword-classifier';

jest.setTimeout(1_800_000); // the three runs take minutes on a loaded laptop

const N = Number(process.env.CLUSTER_TWEETS ?? 120_000);
const KILL_AT = 0.3; // of the run's work
const WORDS = ['anger', 'disgust', 'fear', 'joy', 'sadness', 'surprise', 'plain'];
const index = `cluster-${process.pid}-${Date.now().toString(36)}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pte-cluster-'));
const file = path.join(dir, 'tweets.jsonl');
const reader: DatasetReader = { stat: statTweetFile, read: (p) => readTweetBatches(p) };
const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);

/** N tweets in the exercise's format, one emotion word each (or none): the expected labels are known. */
function writeTweets(): string[] {
  const texts: string[] = [];
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    const content = `${WORDS[i % WORDS.length]} about the budget vote, tweet ${i}`;
    texts.push(content);
    const created_at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    const user = { username: `u${i % 500}`, handle: `@u${i % 500}`, verified: i % 5 === 0 };
    const record = { id: 1790000000000000000n + BigInt(i), user, meta: { created_at, hashtags: ['#Vote'] } };
    out.push(
      JSON.stringify({ ...record, id: 0, payload: { tweet: { content } }, metrics: { retweets: i, likes: i } }).replace(
        '"id":0',
        `"id":${record.id}`,
      ),
    );
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
  return texts;
}

/** The run without the kill: the same classifier over the same texts, counted offline. */
async function expectedLabels(texts: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const p of await keywordClassifier().classify(texts))
    if ('label' in p) counts[p.label] = (counts[p.label] ?? 0) + 1;
  return counts;
}

/** Kills `node` once `done / total` reaches KILL_AT; remembers when and which. */
function killer(node: () => number, total: number) {
  const state: { killed?: { node: number; pid: string; at: number } } = {};
  return {
    state,
    progress(done: number) {
      if (state.killed || done < total * KILL_AT) return;
      const target = node();
      state.killed = { node: target, pid: killNode(target), at: done };
      say(`SIGKILL node-${target} (pid ${state.killed.pid}) at ${done} of ${total}`);
    },
  };
}

describe(`a node dies (SIGKILL) mid-run on a ${nodeUrls.length}-node cluster, ${N} tweets`, () => {
  const admin = new Client({ nodes: nodeUrls, maxRetries: 3 });
  const client = appClient();
  const layout = { shards: clusterConfig().shards, replicas: clusterConfig().replicas };
  const store = new ElasticsearchTweetStore(client, index, { layout });
  const leases = new ElasticsearchLeaseStore(client, `${index}-leases`, Date.now, layout);
  const sources = new InMemorySourceStore(); // the sources' records are not what a node's death puts at risk here
  const jobs = new ElasticsearchJobStore(client, `${index}-jobs`, layout);
  let texts: string[] = [];
  let expected: Record<string, number> = {};

  beforeAll(async () => {
    texts = writeTweets();
    expected = await expectedLabels(texts);
    say(`${N} tweets in ${file}; expected labels ${JSON.stringify(expected)}`);
  });
  afterAll(async () => {
    await admin.indices
      .delete({ index: [`${index}-0*`, `${index}-leases`, `${index}-jobs`], ignore_unavailable: true })
      .catch(() => undefined);
    await Promise.all([admin.close(), client.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = async (query?: object) => {
    await admin.indices.refresh({ index });
    return (await admin.count({ index, ...(query ? { query } : {}) })).count;
  };
  const labelsInIndex = async (revision: string) => {
    const r = await admin.search({
      index,
      size: 0,
      query: { term: { 'emotion.revision': revision } },
      aggs: { labels: { terms: { field: 'emotion.label', size: 20 } } },
    });
    const buckets = (r.aggregations?.labels as { buckets: Array<{ key: string; doc_count: number }> }).buckets;
    return Object.fromEntries(buckets.map((b) => [b.key, b.doc_count]));
  };
  const liveLeases = async () => {
    await admin.indices.refresh({ index: `${index}-leases` });
    return (await admin.count({ index: `${index}-leases` })).count;
  };
  const heal = async (node: number | undefined) => {
    if (node === undefined) throw new Error('no node was killed: the run ended before the kill point');
    const ms = await restartNode(node, admin);
    say(`node-${node} back, cluster green again in ${Math.round(ms / 1000)} s`);
  };

  it('ingest: every tweet indexed exactly once, no lease left', async () => {
    await store.ensureIndex();
    const target = await busiestPrimaryNode(admin, index);
    const kill = killer(() => target, N);
    const t0 = Date.now();
    const summary = await ingestFile(
      file,
      { force: false },
      {
        store,
        sources,
        leases,
        reader,
        who: { holder: 'cluster-ingest', description: 'cluster test ingest' },
        onProgress: (p) => kill.progress(p.indexed),
      },
    );
    const inIndex = await count();
    // _id is the tweet id, so a second copy is impossible by construction; this checks the stored `id` field too
    // (exact: a document's shard follows its _id, so the same id is always counted on one shard).
    const twice = await admin.search({
      index,
      size: 0,
      aggs: { ids: { terms: { field: 'id', min_doc_count: 2, size: 10 } } },
    });
    const duplicates = (twice.aggregations?.ids as { buckets: unknown[] }).buckets.length;
    say(
      `ingest: records ${summary.records}, indexed ${summary.indexed}, failed ${summary.failed.length}, invalid ${summary.invalid.count}; documents in the index ${inIndex}, ids stored twice ${duplicates}; live leases ${await liveLeases()}; ${Math.round((Date.now() - t0) / 1000)} s`,
    );
    expect(kill.state.killed).toBeDefined();
    expect(summary).toMatchObject({ records: N, indexed: N, failed: [], invalid: { count: 0 } });
    expect(inIndex).toBe(N);
    expect(duplicates).toBe(0);
    expect(await liveLeases()).toBe(0);
    await heal(kill.state.killed?.node);
  });

  it('tagging run: every tweet tagged once, labels as without the kill, no lease left', async () => {
    const target = await masterNode(admin);
    const kill = killer(() => target, N);
    const t0 = Date.now();
    const classifier = keywordClassifier({ batchSize: 500, revision: 'r1' });
    const summary = await tagFromIndex(
      'emotion',
      { limit: N, force: false },
      {
        store,
        leases,
        who: { holder: 'cluster-tag', description: 'cluster test tagging run' },
        loadClassifier: async () => classifier,
        onProgress: (p) => kill.progress(p.done),
      },
    );
    const tagged = await count({ term: { 'emotion.revision': 'r1' } });
    const labels = await labelsInIndex('r1');
    say(
      `tagging (master node-${target} killed): selected ${summary.selected}, classified ${summary.classified}, failed ${summary.failed.length}, remaining ${summary.remaining}; tagged in the index ${tagged}; labels in the index ${JSON.stringify(labels)}; live leases ${await liveLeases()}; ${Math.round((Date.now() - t0) / 1000)} s`,
    );
    expect(kill.state.killed).toBeDefined();
    expect(summary).toMatchObject({ selected: N, classified: N, failed: [], remaining: 0 });
    expect(summary.labels).toEqual(expected);
    expect(labels).toEqual(expected);
    expect(tagged).toBe(N);
    expect(await liveLeases()).toBe(0);
    await heal(kill.state.killed?.node);
  });

  it('job (3 partitions, many worker invocations): succeeded, every tweet tagged once, nothing stuck', async () => {
    await jobs.list(1); // the jobs index exists, so the node holding its primary is known
    const target = await busiestPrimaryNode(admin, `${index}-jobs`);
    const kill = killer(() => target, N);
    const queue: WorkerEvent[] = [];
    const classifier = keywordClassifier({ batchSize: 500, revision: 'r2' });
    const deps: JobDeps = {
      jobs,
      leases,
      store,
      invoker: { invoke: async (e) => void queue.push(e) },
      loadClassifier: async () => classifier as unknown as Classifier<Task>,
      ingest: (options, who, onProgress) =>
        ingestFile(file, options, { store, sources, leases, reader, who, onProgress }),
      ensureIngested: (who) => ingestFile(file, { force: false }, { store, sources, leases, reader, who }),
      sliceMs: 3000, // many invocations per partition, as Lambda's time limit makes them
      stallMs: 60_000,
      now: () => new Date(),
      log: createLogger({ test: 'cluster-job' }),
    };
    const t0 = Date.now();
    // As POST /jobs {"task":"emotion","partitions":3} makes it: no limit, every tweet not tagged yet.
    const job = await createJob('emotion', jobParams({ force: false, partitions: 3 }, MAX_JOB_LIMIT), deps);
    const watch = setInterval(() => {
      void jobs.get(job.id).then(
        (j) => kill.progress(j?.partitions.reduce((n, p) => n + p.done, 0) ?? 0),
        () => undefined, // a read during the kill: the next tick reads again
      );
    }, 500);
    let invocations = 0;
    try {
      while (queue.length) {
        const events = queue.splice(0);
        invocations += events.length;
        await Promise.all(events.map((e) => runWorker(e, deps))); // partitions side by side, as Lambda runs them
      }
    } finally {
      clearInterval(watch);
    }
    const done = (await jobs.get(job.id)) as Job;
    const summary = done.summary as {
      classified: number;
      failed_count: number;
      labels: Record<string, number>;
      remaining: number;
    };
    const tagged = await count({ term: { 'emotion.revision': 'r2' } });
    const labels = await labelsInIndex('r2');
    say(
      `job ${done.status} after ${invocations} worker invocations (node-${target}, holding the jobs index's primary, killed): classified ${summary.classified}, failed ${summary.failed_count}, remaining ${summary.remaining}; partitions ${done.partitions.map((p) => `${p.status}:${p.done}`).join(' ')}; tagged in the index ${tagged}; labels ${JSON.stringify(labels)}; live leases ${await liveLeases()}; ${Math.round((Date.now() - t0) / 1000)} s`,
    );
    if (done.error) say(`job error: ${JSON.stringify(done.error)}`);
    expect(kill.state.killed).toBeDefined();
    expect(done.status).toBe('succeeded');
    expect(done.error).toBeNull();
    expect(summary).toMatchObject({ classified: N, failed_count: 0, remaining: 0 });
    expect(summary.labels).toEqual(expected);
    expect(done.partitions.every((p) => p.status === 'done')).toBe(true);
    expect(done.partitions.reduce((n, p) => n + p.done, 0)).toBe(N);
    expect(labels).toEqual(expected);
    expect(tagged).toBe(N);
    expect(await liveLeases()).toBe(0);
    await heal(kill.state.killed?.node);
  });
});
