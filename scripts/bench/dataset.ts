/**
 * npm run bench:dataset — streams a generated file of BENCH_RECORDS tweets (default 300,000, ~100 MB)
 * through the selection step the endpoints use, and prints records/s and peak RSS: memory stays bounded
 * by `limit`, not by the file. Prints figures; asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileTweetSource } from '../../lib/dataset';
import { selectTweets } from '../../lib/pipeline';
import { cli, run } from '../lib/cli';
import { rssMb } from './texts';

const USAGE = `usage: npm run bench:dataset -- [--records N]
  Streams a generated file of N tweets (default BENCH_RECORDS or 300000) through the selection step.`;

async function main() {
  const { values } = cli({ usage: USAGE, options: { records: { type: 'string' } } });
  const n = Number(values.records ?? process.env.BENCH_RECORDS ?? 300_000);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--records must be a whole number above 0, not "${values.records ?? process.env.BENCH_RECORDS}"`);
  const file = path.join(os.tmpdir(), `bench-tweets-${n}.json`);
  if (!fs.existsSync(file)) {
    const out = fs.createWriteStream(file);
    out.write('[');
    for (let i = 0; i < n; i++) {
      const rec = `{"id":${1790000000000000000n + BigInt(i)},"user":{"username":"u${i % 997}","handle":"@u${i % 997}","verified":false},"meta":{"created_at":"2025-0${1 + (i % 9)}-1${i % 10}","hashtags":["#Vote"]},"payload":{"tweet":{"content":"Tweet number ${i} about the budget vote and what it means for the city."}},"metrics":{"retweets":${i % 500},"likes":${i % 5000}}}`;
      if (!out.write((i ? ',' : '') + rec)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    out.end(']');
    await new Promise<void>((r) => out.once('finish', () => r()));
  }
  const mb = Math.round(fs.statSync(file).size / 1e6);
  let peak = rssMb();
  const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 50);
  for (const limit of [100, 10_000]) {
    const t0 = performance.now();
    const selection = await selectTweets(fileTweetSource(file), { limit });
    const s = (performance.now() - t0) / 1000;
    peak = Math.max(peak, rssMb());
    console.log(
      `${n} records (${mb} MB), limit ${limit}: read in ${s.toFixed(1)} s (${Math.round(n / s)} records/s), kept ${selection.tweets.length}, last id ${selection.tweets.at(-1)?.id}, peak RSS ${peak} MB`,
    );
  }
  clearInterval(timer);
}

run('bench:dataset', main);
