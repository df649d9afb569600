import type { Job, Task, Tweet } from '../../lib/domain';
import { ConflictError, TaskBusyError } from '../../lib/errors';
import { createLogger } from '../../lib/logger';
import { ingestFile } from '../../lib/pipeline';
import {
  cancelJob,
  createJob,
  getJob,
  resumeJob,
  runWorker,
  type JobDeps,
  type WorkerEvent,
} from '../../lib/pipeline/jobs';
import { requestCancel, resume } from '../../lib/pipeline/jobs/requests';
import { newJob, recordProgress, recordSlice, view } from '../../lib/pipeline/jobs/state';
import { bucketOf, InMemoryJobStore, InMemorySourceStore, InMemoryTweetStore } from '../../lib/store';
import type { Classifier } from '../../lib/models/types';
import { keywordClassifier } from '../support/keyword-classifier';
import { makeTweet, memoryReader } from '../support/memory-dataset';

const tweet = (i: number): Tweet => makeTweet(i, i % 3 ? `happy joy ${i}` : `so much anger ${i}`, 5000);

/** The job deps in memory; the invoker queues worker events and `drain` runs them one after the other. */
function setup(n: number) {
  const store = new InMemoryTweetStore();
  const jobs = new InMemoryJobStore();
  const queue: WorkerEvent[] = [];
  const classified: string[] = [];
  const classifier = keywordClassifier({ batchSize: 3 });
  const counting: Classifier<'emotion'> = {
    ...classifier,
    classify: async (texts) => (classified.push(...texts), classifier.classify(texts)),
  };
  const sources = new InMemorySourceStore();
  const file = memoryReader({ '/t.json': { tweets: Array.from({ length: n }, (_, i) => tweet(i)) } });
  const deps: JobDeps = {
    jobs,
    leases: store,
    store,
    invoker: { invoke: async (e) => void queue.push(e) },
    loadClassifier: async () => counting as unknown as Classifier<Task>,
    ingest: (options, who, onProgress) =>
      ingestFile('/t.json', options, { store, sources, leases: store, reader: file, who, onProgress }),
    ensureIngested: (who) =>
      ingestFile('/t.json', { force: false }, { store, sources, leases: store, reader: file, who }),
    sliceMs: 0, // one batch per invocation: every job takes many invocations
    stallMs: 60_000,
    now: () => new Date(),
    log: createLogger({ test: 'jobs' }),
  };
  const drain = async (until: (e: WorkerEvent) => boolean = () => false) => {
    while (queue.length && !until(queue[0]!)) await runWorker(queue.shift()!, deps);
  };
  return { store, jobs, queue, classified, deps, drain };
}

const params = { limit: 1000, start_date: null, end_date: null, force: false, partitions: 1 };

describe('job state transitions', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const running = (): Job => ({ ...newJob('j', 'emotion', params, t0), status: 'running' });

  it('a running job silent for longer than the stall period reads stalled; a finished one never', () => {
    expect(view(running(), at(5), 10_000).status).toBe('running');
    expect(view(running(), at(11), 10_000).status).toBe('stalled');
    expect(view({ ...running(), status: 'succeeded' }, at(999), 10_000).status).toBe('succeeded');
  });

  it('progress only grows, and a finished job is never changed again (no resurrection by a late write)', () => {
    const job = running();
    const base = job.partitions[0]!;
    const p1 = recordProgress(0, base, { done: 6, total: 10, classified: 6, failed: 0 }, at(1))(job)!;
    const late = recordProgress(0, base, { done: 3, total: 10, classified: 3, failed: 0 }, at(2))(p1)!;
    expect(late.progress).toMatchObject({ done: 6, classified: 6, total: 10 });
    const cancelled = requestCancel(at(60), 10_000)(p1); // stalled: cancelled at once
    expect(cancelled.status).toBe('cancelled');
    expect(recordProgress(0, base, { done: 9, total: 10, classified: 9, failed: 0 }, at(61))(cancelled)).toBeNull();
    expect(() => requestCancel(at(62), 10_000)(cancelled)).toThrow(ConflictError);
  });

  it('resume takes stalled, failed and cancelled jobs; a live or succeeded one is a 409', () => {
    expect(() => resume(at(1), 10_000)(running())).toThrow(/only a stalled, failed or cancelled job resumes/);
    expect(resume(at(30), 10_000)(running())).toMatchObject({ status: 'queued', resumed_done: 0 });
    const done = recordSlice(0, running().partitions[0]!, summaryOf(4), true, at(2))(running())!;
    expect(done.status).toBe('succeeded');
    expect(() => resume(at(3), 10_000)(done)).toThrow(ConflictError);
  });
});

function summaryOf(classified: number) {
  return {
    task: 'emotion' as const,
    requested: classified,
    selected: classified,
    classified,
    failed: [],
    remaining: 0,
    skipped: { count: 0, by_language: {} },
    labels: { joy: classified },
    model: {},
    timings: { ingest_ms: 0, select_ms: 0, load_ms: 0, inference_ms: 0, write_ms: 0, write_wait_ms: 0 },
    took_ms: 0,
  };
}

describe('job worker (in-memory stores, in-process invoker)', () => {
  it('works a job off in slices, one batch each, and classifies every tweet exactly once', async () => {
    const { deps, drain, classified, store } = setup(20);
    const job = await createJob('emotion', params, deps);
    await drain();
    const done = await getJob(job.id, deps);
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: { done: 20, total: 20, classified: 20 },
      summary: { remaining: 0 },
    });
    expect(done.partitions[0]!.invocations).toBe(7); // 20 tweets, batches of 3
    expect(new Set(classified).size).toBe(20);
    expect(classified).toHaveLength(20);
    expect([...store.docs.values()].every((d) => d.emotion)).toBe(true);
    expect(await store.acquire('tag-emotion', { holder: 'other', description: '' }, 1000)).toMatchObject({
      acquired: true,
    });
  });

  it('partitions split the tweets by id hash and the limit by share; no tweet twice', async () => {
    const { deps, drain, classified, store } = setup(30);
    const job = await createJob('emotion', { ...params, limit: 25, partitions: 3 }, deps);
    await drain();
    const done = await getJob(job.id, deps);
    expect(done.status).toBe('succeeded');
    expect(done.partitions.map((p) => p.limit)).toEqual([9, 8, 8]);
    expect(done.progress.classified).toBe(Math.min(25, 30));
    expect(new Set(classified).size).toBe(classified.length);
    for (const part of done.partitions) {
      const inBucket = [...store.docs.values()].filter((d) => bucketOf(d.id) % 3 === part.index);
      expect(part.classified).toBe(Math.min(part.limit, inBucket.length));
    }
  });

  it('one job per task: a second gets 409 naming the first; cancel stops after the batch, resume goes on', async () => {
    const { deps, drain, queue, store } = setup(20);
    const job = await createJob('emotion', params, deps);
    await expect(createJob('emotion', params, deps)).rejects.toThrow(TaskBusyError);
    // Run the start step and two slices, then cancel while the third is queued.
    await runWorker(queue.shift()!, deps);
    await runWorker(queue.shift()!, deps);
    await runWorker(queue.shift()!, deps);
    expect((await cancelJob(job.id, deps)).status).toBe('running'); // a live worker: it stops after its batch
    await drain();
    const cancelled = await getJob(job.id, deps);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancel_requested: true });
    const tagged = () => [...store.docs.values()].filter((d) => d.emotion).length;
    expect(tagged()).toBe(cancelled.progress.classified);
    expect(tagged()).toBeLessThan(20);
    expect((await resumeJob(job.id, deps)).status).toBe('queued');
    await drain();
    expect(await getJob(job.id, deps)).toMatchObject({ status: 'succeeded', progress: { classified: 20 } });
    expect(tagged()).toBe(20);
  });

  it('an ingest job records what the ingest did and frees the ingest lease', async () => {
    const { deps, drain, store } = setup(5);
    const job = await createJob('ingest', { ...params, limit: 0 }, deps);
    await drain();
    expect(await getJob(job.id, deps)).toMatchObject({
      status: 'succeeded',
      progress: { done: 5, classified: 5 },
      summary: { indexed: 5 },
    });
    expect(await store.acquire('ingest', { holder: 'other', description: '' }, 1000)).toMatchObject({ acquired: true });
  });

  it('a failing worker ends the job as failed, with no internals in the answer, and frees the task', async () => {
    const { deps, drain, store } = setup(5);
    deps.loadClassifier = async () => {
      throw new Error('secret internals at /srv/app.js:12');
    };
    const job = await createJob('emotion', params, deps);
    await drain();
    const failed = await getJob(job.id, deps);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'worker_error' } });
    expect(failed.error!.message).not.toContain('secret');
    expect(await store.acquire('tag-emotion', { holder: 'other', description: '' }, 1000)).toMatchObject({
      acquired: true,
    });
    await expect(resumeJob(job.id, deps)).rejects.toThrow(TaskBusyError); // 'other' holds the task now
    await store.release('tag-emotion', 'other');
    expect((await resumeJob(job.id, deps)).status).toBe('queued'); // a failed job may be resumed
  });

  it("a finished job's lease left behind (its worker died after writing the end) does not block the next job", async () => {
    const { deps, drain, store } = setup(4);
    const first = await createJob('emotion', params, deps);
    await drain();
    await store.acquire('tag-emotion', { holder: `job-${first.id}`, description: 'left behind' }, 60_000);
    await expect(createJob('emotion', params, deps)).resolves.toMatchObject({ status: 'queued' });
    await store.acquire('tag-stance', { holder: 'a-sync-call', description: 'POST /stance' }, 60_000);
    await expect(createJob('stance', params, deps)).rejects.toThrow(TaskBusyError); // a live run still wins
  });
});
