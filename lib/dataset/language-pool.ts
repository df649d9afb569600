/**
 * Language detection beside the parser thread: detection (~10-15 µs a tweet with its cleaning, eld-scorer.ts) is
 * about half the parse of a record (~30 µs to cut, parse, normalise and serialise it), so the parser hands each
 * batch's texts to detector threads and goes on parsing the next batch. On 2 cores one thread beside the parser
 * ingests 19,200 docs/s against 15,800-16,900 detecting in line (docs/benchmarks.md). Started by the parser thread;
 * one per spare core.
 */
import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadLanguageDetector, type DetectedLanguage } from '../language';

export const DETECTOR_ROLE = 'political-tweets-language-detector';

/** The file a detector runs: this module's .ts under tsx/jest, or the whole bundle under esbuild (re-entered). */
const DETECTOR_ENTRY: string = __filename;

/** A variable, so bundlers don't try to resolve a dev dependency that only .ts entries need. */
const TSX_REQUIRE_HOOK = 'tsx/cjs';

type Request = { id: number; texts: string[] };
type Reply = { id: number; langs: DetectedLanguage[] } | { id: number; error: string };

/** Detector threads: the cores left once the parser and the main thread have theirs; at least one, at most 6. */
export const detectorCount = (cores = os.availableParallelism()) => Math.max(1, Math.min(6, cores - 2));

export class DetectorPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<
    number,
    { resolve: (l: DetectedLanguage[]) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private seq = 0;

  readonly size: number;

  constructor(size = detectorCount()) {
    this.size = size;
    const execArgv = DETECTOR_ENTRY.endsWith('.ts') ? ['--require', require.resolve(TSX_REQUIRE_HOOK)] : [];
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(DETECTOR_ENTRY, { workerData: { role: DETECTOR_ROLE }, execArgv });
      worker.on('message', (reply: Reply) => this.settle(reply));
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', (code) => code !== 0 && this.failAll(new Error(`language detector exited with code ${code}`)));
      return worker;
    });
  }

  /** The language of each text, in order; batches are spread over the threads in turn. */
  detect(texts: string[]): Promise<DetectedLanguage[]> {
    const id = this.seq++;
    const worker = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, texts } satisfies Request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.failAll(new Error('language detection stopped'));
  }

  private settle(reply: Reply) {
    const waiter = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if ('error' in reply) waiter?.reject(new Error(`language detection failed: ${reply.error}`));
    else waiter?.resolve(reply.langs);
  }

  private failAll(error: Error) {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** A detector thread's main: loads the table once, then answers each batch of texts. */
async function runDetector(): Promise<void> {
  const port = parentPort!;
  const detecting = loadLanguageDetector();
  detecting.catch(() => undefined); // reported with the first batch
  port.on('message', async ({ id, texts }: Request) => {
    try {
      const detect = await detecting;
      port.postMessage({ id, langs: texts.map(detect) } satisfies Reply);
    } catch (error) {
      port.postMessage({ id, error: (error as Error).message } satisfies Reply);
    }
  });
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === DETECTOR_ROLE) {
  void runDetector();
}
