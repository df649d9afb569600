/** The parser thread's life: backpressure, early stop, errors, and a main event loop that keeps turning. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTweetBatches } from '../../lib/dataset';

const HAS_PROC = fs.existsSync('/proc/self/fdinfo');
let dir: string;
let big: string; // ~20 MB, exercise-like, pretty-printed

/** Writes `n` pretty-printed records with ids above 2^53 and contents of varied length. */
function writeArray(file: string, n: number) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '[\n');
  for (let i = 0; i < n; i++) {
    const rec = {
      id: `${1790000000000000000n + BigInt(i)}`,
      user: { username: `u${i % 97}`, handle: `@u${i % 97}`, verified: i % 5 === 0 },
      meta: { created_at: `2025-0${1 + (i % 9)}-1${i % 10}`, hashtags: ['#Vote'] },
      payload: { tweet: { content: `Tweet ${i} about the "budget" vote — ${'and more '.repeat(i % 30)}` } },
      metrics: { retweets: i % 500, likes: i % 5000 },
    };
    fs.writeSync(fd, `${i ? ',\n' : ''}${JSON.stringify(rec, null, 2).replace(/"id": "(\d+)"/, '"id": $1')}`);
  }
  fs.writeSync(fd, '\n]\n');
  fs.closeSync(fd);
}

/** Open descriptors of this process that point at `file`, with their read offsets. */
function openOn(file: string): { fd: string; pos: number }[] {
  return fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`) !== file) return [];
      return [{ fd, pos: Number(/pos:\s+(\d+)/.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1]) }];
    } catch {
      return []; // closed meanwhile
    }
  });
}

const threads = () => fs.readdirSync('/proc/self/task').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 3000) {
  for (const t0 = Date.now(); !check() && Date.now() - t0 < ms;) await sleep(20);
  return check();
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataset-worker-test-'));
  big = path.join(dir, 'big.json');
  writeArray(big, 40_000);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('the main event loop keeps turning while a 20 MB file is parsed', async () => {
  expect(fs.statSync(big).size).toBeGreaterThan(15e6);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const seen: number[] = [];
  let tweets = 0;
  try {
    for await (const batch of readTweetBatches(big, { batchSize: 1000 })) {
      seen.push(ticks);
      tweets += batch.lines.length;
    }
  } finally {
    clearInterval(timer);
  }
  expect(tweets).toBe(40_000);
  expect(seen).toHaveLength(40);
  // Timers ran between batches all along the read, not only before or after it.
  expect(new Set(seen).size).toBeGreaterThan(10);
});

(HAS_PROC ? describe : describe.skip)('the parser thread (Linux /proc)', () => {
  it('pauses reading while the main thread holds its batches (credit-based backpressure)', async () => {
    const reader = readTweetBatches(big, { batchSize: 10, chunkSize: 64 * 1024 });
    try {
      expect((await reader.next()).done).toBe(false);
      await sleep(500); // unthrottled, the worker would read all 20 MB meanwhile
      const open = openOn(big);
      expect(open).toHaveLength(1);
      expect(open[0]!.pos).toBeGreaterThan(0);
      expect(open[0]!.pos).toBeLessThan(2e6);
    } finally {
      await reader.return(undefined as never);
    }
  });

  it.each([
    [
      'break',
      async (file: string) => {
        for await (const batch of readTweetBatches(file, { batchSize: 10 })) if (batch.records) break;
      },
    ],
    [
      'throw',
      async (file: string) => {
        for await (const batch of readTweetBatches(file, { batchSize: 10 }))
          if (batch.records) throw new Error('consumer failed');
      },
    ],
  ])('stops the worker and closes the file when the consumer leaves early (%s)', async (_how, consume) => {
    const before = threads();
    await consume(big).catch((e: Error) => expect(e.message).toBe('consumer failed'));
    expect(openOn(big)).toEqual([]); // closed by the time the loop is left
    expect(await until(() => threads() <= before)).toBe(true);
  });

  it('leaves no thread behind after a complete read', async () => {
    const small = path.join(dir, 'small.json');
    writeArray(small, 50);
    const before = threads();
    for await (const _ of readTweetBatches(small)) void _;
    expect(openOn(small)).toEqual([]);
    expect(await until(() => threads() <= before)).toBe(true);
  });
});
