/** Deterministic tweet files in the exercise's format, for the benchmarks. */
import fs from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';

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

export async function generate(file: string, n: number, lines: boolean): Promise<void> {
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
