/**
 * npm run bench:dataset — generates tweet files in the exercise's format (pretty-printed, varied content,
 * hashtags, ids above 2^53) in a temp dir, reads each with readTweetBatches and prints throughput and the
 * process's peak RSS; then plain JSON.parse of the 120k file for comparison. Prints figures; asserts nothing.
 * BENCH_RECORDS=120000,1000000 overrides the array sizes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { readTweetBatches } from '../../lib/dataset';

const WORDS = `tax vote budget senate bill reform healthcare border jobs wages climate energy schools police
election debate rally voters policy congress court rights freedom economy inflation housing — “quoted” café ✊`.split(
  /\s+/,
);
const TAGS = ['#TaxReform', '#Election2024', '#Healthcare', '#Climate', '#Jobs', '#Vote', '#Border', '#Economy'];

/** Deterministic pseudo-random numbers (LCG), so every run writes the same files. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n;
}

function record(i: number, rand: (n: number) => number): object {
  const words = Array.from({ length: 6 + rand(40) }, () => WORDS[rand(WORDS.length)]);
  if (rand(10) === 0) words.push('"really"\nnew line');
  const user = `user${rand(5000)}`;
  return {
    id: `${1790000000000000000n + BigInt(i) * 7919n}`,
    user: { username: user, handle: `@${user}`, verified: rand(5) === 0 },
    meta: {
      created_at: `2025-0${1 + rand(9)}-${10 + rand(18)}`,
      hashtags: [TAGS[rand(8)], TAGS[rand(8)]].slice(0, 1 + rand(2)),
    },
    payload: { tweet: { content: words.join(' ') } },
    metrics: { retweets: rand(10000), likes: rand(50000) },
  };
}

/** The id is written as a bare JSON number, as in the exercise's file. */
const recordText = (rec: object, indent?: number) =>
  JSON.stringify(rec, null, indent).replace(/"id": ?"(\d+)"/, '"id": $1');

async function generate(file: string, n: number, lines: boolean): Promise<void> {
  const out = fs.createWriteStream(file);
  const sink = lines ? createGzip() : out;
  if (lines) sink.pipe(out);
  const rand = rng(42);
  sink.write(lines ? '' : '[\n');
  for (let i = 0; i < n; i++) {
    const text = lines ? `${recordText(record(i, rand))}\n` : `${i ? ',\n' : ''}${recordText(record(i, rand), 2)}`;
    if (!sink.write(text)) await once(sink, 'drain');
  }
  sink.end(lines ? '' : '\n]\n');
  await once(out, 'finish');
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB

async function measure(label: string, file: string): Promise<void> {
  const mb = fs.statSync(file).size / 1e6;
  const t0 = performance.now();
  const reader = readTweetBatches(file);
  let tweets = 0;
  let step = await reader.next();
  for (; !step.done; step = await reader.next()) tweets += step.value.tweets.length;
  const s = (performance.now() - t0) / 1000;
  const { records, invalid, format, compressed } = step.value;
  console.log(
    `${label}: ${mb.toFixed(1)} MB ${format}${compressed ? ' gzip' : ''}, ${records} records (${tweets} valid, ${invalid} invalid),` +
      ` ${s.toFixed(2)} s, ${(mb / s).toFixed(1)} MB/s, ${Math.round(records / s)} records/s, peak RSS ${peakRssMb()} MB`,
  );
}

function plainParse(file: string): void {
  const t0 = performance.now();
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[];
  const s = (performance.now() - t0) / 1000;
  const mb = fs.statSync(file).size / 1e6;
  console.log(
    `plain readFileSync + JSON.parse of the same file: ${parsed.length} records, ${s.toFixed(2)} s, ${(mb / s).toFixed(1)} MB/s`,
  );
}

async function main() {
  const [small = 120_000, big = 1_000_000] = (process.env.BENCH_RECORDS ?? '').split(',').filter(Boolean).map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dataset-'));
  try {
    const runs: [string, number, boolean][] = [
      [`array-${small}.json`, small, false],
      [`lines-${small}.jsonl.gz`, small, true],
      [`array-${big}.json`, big, false],
    ];
    for (const [name, n, lines] of runs) {
      const file = path.join(dir, name);
      await generate(file, n, lines);
      await measure(name, file);
    }
    plainParse(path.join(dir, runs[0]![0])); // last: it holds the whole file in memory
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
