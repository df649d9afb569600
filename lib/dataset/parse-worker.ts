/**
 * The parser thread: reads the file in chunks, cuts records, JSON.parse's and normalises them, and posts
 * batches to the main thread with credit-based backpressure. This module is also the worker's entry file
 * (see PARSER_ENTRY), so it must stay cheap to load. Under an esbuild bundle the whole bundle is re-entered
 * as the worker: every module's top-level code runs again in the thread, so handler modules must not start
 * work at load (or must guard it with isMainThread).
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { DatasetError } from '../errors';
import { startedAhead } from '../promises';
import { TweetLines } from '../tweet-lines';
import {
  INITIAL_CREDITS,
  PARSER_ROLE,
  type BatchMessage,
  type MainMessage,
  type ParserData,
  type WorkerMessage,
} from './protocol';
import { DetectorPool } from './language-pool';
import { parseRecord } from './records';
import { RecordScanner, type RawRecord } from './scanner';
import type { ReadSummary, SkippedRecord, Tweet } from './types';

/** The file a worker runs: this module's .ts under tsx/jest, or the whole bundle under esbuild (re-entered). */
export const PARSER_ENTRY: string = __filename;

/** Batches the main thread still accepts; reading waits at zero, so at most INITIAL_CREDITS are in flight. */
class Credits {
  private n = INITIAL_CREDITS;
  private waiter: (() => void) | undefined;
  stopped = false;

  add() {
    this.n++;
    this.wake();
  }

  stop() {
    this.stopped = true;
    this.wake();
  }

  /** Resolves false when the main thread asked to stop. */
  async take(): Promise<boolean> {
    while (this.n === 0 && !this.stopped) await new Promise<void>((resolve) => (this.waiter = resolve));
    if (this.stopped) return false;
    this.n--;
    return true;
  }

  private wake() {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/**
 * Collects parsed records until a batch is full; positions count every record, valid or not. A full batch goes
 * to the detector threads for its languages, then crosses to the main thread as its JSON lines (TweetLines):
 * one transferred buffer.
 */
class Batcher {
  private tweets: Tweet[] = [];
  private invalid: SkippedRecord[] = [];
  private records = 0;
  position = 0;
  invalidTotal = 0;

  constructor(
    private readonly size: number,
    private readonly source: string | undefined,
  ) {}

  /** True when the batch is full. */
  add(raw: RawRecord): boolean {
    const result = parseRecord(raw, this.position++);
    if ('reason' in result) {
      this.invalid.push(result);
      this.invalidTotal++;
    } else this.tweets.push(result);
    return ++this.records >= this.size;
  }

  get pending() {
    return this.records;
  }

  /** The batch so far, with its languages from `pool` (resolved once they are detected). */
  take(bytesRead: number, pool: DetectorPool): Promise<BatchMessage> {
    const { tweets, invalid, records, source } = this;
    this.tweets = [];
    this.invalid = [];
    this.records = 0;
    const withSource = source === undefined ? {} : { source };
    return pool.detect(tweets.map((t) => t.content)).then((langs) => {
      const json = tweets.map((t, i) => JSON.stringify({ ...t, ...langs[i], ...withSource }));
      const ids = tweets.map((t) => t.id);
      const lines = TweetLines.fromJson(json, ids);
      return { type: 'batch', bytes: lines.bytes, ids, invalid, records, bytesRead };
    });
  }
}

async function isGzip(filePath: string): Promise<boolean> {
  const file = await fs.promises.open(filePath, 'r');
  try {
    const { bytesRead, buffer } = await file.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await file.close();
  }
}

/** Raw file → sha256 of the stored bytes → gunzip when compressed. Destroying the last stream closes the file. */
function openBytes(data: ParserData, compressed: boolean, hash: Hash): { raw: fs.ReadStream; bytes: Readable } {
  const raw = fs.createReadStream(data.filePath, { highWaterMark: data.chunkSize });
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const noop = () => undefined; // errors surface through the iterator of the last stream
  const bytes = compressed
    ? pipeline(raw, hasher, createGunzip({ chunkSize: Math.max(1024, Math.min(data.chunkSize, 1 << 20)) }), noop)
    : pipeline(raw, hasher, noop);
  return { raw, bytes };
}

/** A gzip stream cut short ends like a truncated plain file: what was decoded is kept. */
const isTruncatedGzip = (error: unknown) => (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR';

/** Batches being detected at once: enough to keep every detector thread busy while the parser goes on. */
const inFlightFor = (detectors: number) => detectors + 1;

/** Parses the whole file; undefined when the main thread asked to stop first. */
async function parseFile(
  data: ParserData,
  credits: Credits,
  post: (m: WorkerMessage, transfer?: ArrayBuffer[]) => void,
) {
  const compressed = await isGzip(data.filePath);
  const hash = createHash('sha256');
  const { raw, bytes } = openBytes(data, compressed, hash);
  const scanner = new RecordScanner();
  const batcher = new Batcher(data.batchSize, data.source);
  const pool = new DetectorPool();
  // Batches in file order, each handled from the start: a failed detection is thrown where it is awaited.
  const detecting: Array<Promise<BatchMessage>> = [];
  const postOldest = async () => {
    if (!(await credits.take())) return false;
    const batch = await detecting.shift()!;
    post(batch, [batch.bytes.buffer as ArrayBuffer]); // moved, not copied
    return true;
  };
  const flush = async () => {
    detecting.push(startedAhead(batcher.take(raw.bytesRead, pool)));
    return detecting.length < inFlightFor(pool.size) || postOldest();
  };
  try {
    try {
      for await (const chunk of bytes as AsyncIterable<Buffer>) {
        for (const rec of scanner.push(chunk)) if (batcher.add(rec) && !(await flush())) return undefined;
      }
    } catch (error) {
      if (!isTruncatedGzip(error)) throw error;
    }
    for (const rec of scanner.end()) batcher.add(rec);
    if (batcher.pending > 0 && !(await flush())) return undefined;
    while (detecting.length > 0) if (!(await postOldest())) return undefined;
  } finally {
    await pool.close();
  }
  const summary: ReadSummary = {
    format: scanner.format!,
    compressed,
    records: batcher.position,
    invalid: batcher.invalidTotal,
    bytes: raw.bytesRead,
    sha256: hash.digest('hex'),
  };
  return summary;
}

function errorMessage(error: unknown): WorkerMessage {
  const e = error as NodeJS.ErrnoException;
  if (error instanceof DatasetError)
    return { type: 'error', kind: 'dataset', message: error.message, details: error.details };
  if (['ENOENT', 'EACCES', 'EISDIR', 'EPERM'].includes(e.code ?? '')) {
    return { type: 'error', kind: 'unavailable', message: e.message };
  }
  if (e.code?.startsWith('Z_'))
    return { type: 'error', kind: 'dataset', message: `The gzip data is corrupt: ${e.message}` };
  return { type: 'error', kind: 'crash', message: e?.stack ?? String(error) };
}

/** The worker's main: runs once per thread, then lets the thread exit. */
export async function runParser(data: ParserData): Promise<void> {
  const port = parentPort!;
  const credits = new Credits();
  const onMessage = (m: MainMessage) => (m.type === 'credit' ? credits.add() : credits.stop());
  port.on('message', onMessage);
  try {
    const summary = await parseFile(data, credits, (m, transfer) => port.postMessage(m, transfer));
    if (summary) port.postMessage({ type: 'done', summary } satisfies WorkerMessage);
  } catch (error) {
    port.postMessage(errorMessage(error));
  } finally {
    port.off('message', onMessage); // nothing left to keep the thread alive
  }
}

if (!isMainThread && (workerData as Partial<ParserData> | null)?.role === PARSER_ROLE) {
  void runParser(workerData as ParserData);
}
