/**
 * npm run bench:dataset — generates tweet files in the exercise's format (pretty-printed, varied content,
 * hashtags, ids above 2^53) in a temp dir, reads each with readTweetBatches and prints throughput and the
 * process's peak RSS; then plain JSON.parse of the 120k file for comparison. Prints figures; asserts nothing.
 * --records 120000,1000000 (or BENCH_RECORDS) overrides the array sizes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTweetBatches } from '../../lib/dataset';
import { cli } from '../lib/cli';
import { generate } from './generate-tweets';

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB

async function measure(label: string, file: string): Promise<void> {
  const mb = fs.statSync(file).size / 1e6;
  const t0 = performance.now();
  const reader = readTweetBatches(file);
  let tweets = 0;
  let step = await reader.next();
  for (; !step.done; step = await reader.next()) tweets += step.value.lines.length;
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
  const { values } = cli({
    usage: 'usage: npm run bench:dataset -- [--records SMALL,BIG]   (default 120000,1000000)',
    options: { records: { type: 'string' } },
  });
  const sizes = values.records ?? process.env.BENCH_RECORDS ?? '';
  const [small = 120_000, big = 1_000_000] = sizes.split(',').filter(Boolean).map(Number);
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
