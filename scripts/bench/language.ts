/**
 * The cost of language detection per tweet, against the per-record work it is added to (JSON.parse + normalise)
 * measured in the same run: both on the same records, in this thread, warm; and the ingest's scorer against eld's
 * own detect() on the same texts. Prints figures; asserts nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { normaliseRecord } from '../../lib/dataset';
import { detectorOf, eldEngine, loadLanguageDetector } from '../../lib/language';

const perTweetUs = (ms: number, n: number) => (ms * 1000) / n;

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Records of the team's multilingual set (the texts detection is for), repeated to `n`, as JSON texts. */
function recordTexts(n: number): string[] {
  const file = path.resolve(__dirname, '../../test/fixtures/tweets_multilingual.json');
  const records = (JSON.parse(fs.readFileSync(file, 'utf8')) as object[]).map((r) => JSON.stringify(r));
  return Array.from({ length: n }, (_, i) => records[i % records.length]!);
}

export async function benchLanguage(n = 20_000): Promise<string> {
  const tLoad = performance.now();
  const detect = await loadLanguageDetector();
  const loadMs = performance.now() - tLoad;
  const texts = recordTexts(n);
  const run = (withLanguage: boolean) => () => {
    for (const text of texts) normaliseRecord(JSON.parse(text), withLanguage ? detect : undefined);
  };
  run(true)(); // warm both paths before measuring
  run(false)();
  const plain = time(run(false));
  const detected = time(run(true));
  const detectUs = perTweetUs(detected - plain, n);
  const viaEld = detectorOf(eldEngine((await import('eld/extrasmall')).eld));
  const contents = texts.map(
    (t) => (JSON.parse(t) as { payload: { tweet: { content: string } } }).payload.tweet.content,
  );
  const [ours, eld] = [detect, viaEld].map((d) => (contents.forEach(d), time(() => contents.forEach(d))));
  console.log(
    `language detection alone: eld-scorer ${perTweetUs(ours!, n).toFixed(1)} µs/tweet, eld's own detect() ` +
      `${perTweetUs(eld!, n).toFixed(1)} µs/tweet (same results): ${(eld! / ours!).toFixed(2)}× faster`,
  );
  return (
    `language detection (eld's table through eld-scorer, in detector threads beside the parser): ${detectUs.toFixed(1)} µs/tweet on top of ` +
    `${perTweetUs(plain, n).toFixed(1)} µs/tweet of parse + normalise (×${(detected / plain).toFixed(2)} the per-record ` +
    `work; ceiling ${Math.round(1e6 / perTweetUs(detected, n))} tweets/s per thread doing both); table load ${Math.round(loadMs)} ms`
  );
}
