/**
 * npm run language:compare — the two short-text detectors on the team's multilingual set
 * (test/fixtures/tweets_multilingual.json: tweets in es, en, ca, pt, fr with hashtags, mentions and emoji, plus
 * a few with no words): accuracy on the raw text and on the text the project detects on (links, mentions,
 * hashtags, emoji and digits removed; fewer than 3 letters is `und`), its misses, and µs per tweet. Asserts nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadLanguageDetector, textForDetection, UNDETERMINED } from '../../lib/language';
import { cli, run } from '../lib/cli';

type Detect = (text: string) => string;
interface Labelled {
  id: string;
  lang_expected: string;
  payload: { tweet: { content: string } };
}

async function detectors(): Promise<Record<string, { raw: Detect; project: Detect }>> {
  const { eld } = await import('eld/extrasmall');
  const eldProject = await loadLanguageDetector(); // eld's algorithm and table, through the ingest's scorer
  const { loadModule } = await import('cld3-asm');
  const cld3 = (await loadModule()).create(0, 1000);
  const cld3Raw: Detect = (t) => {
    const r = cld3.findLanguage(t);
    return r.is_reliable ? r.language : UNDETERMINED;
  };
  const letters = (t: string) => t.match(/\p{L}/gu)?.length ?? 0;
  return {
    'eld 2.1.0 (extrasmall)': {
      raw: (t) => eld.detect(t).language || UNDETERMINED,
      project: (t) => eldProject(t).lang,
    },
    'cld3-asm 4.0.0': {
      raw: cld3Raw,
      project: (t) => (letters(textForDetection(t)) < 3 ? UNDETERMINED : cld3Raw(textForDetection(t))),
    },
  };
}

function measure(records: Labelled[], detect: Detect) {
  const texts = records.map((r) => r.payload.tweet.content);
  for (const t of texts) detect(t); // warm
  const t0 = performance.now();
  for (let k = 0; k < 10; k++) for (const t of texts) detect(t);
  const us = ((performance.now() - t0) * 1000) / (10 * texts.length);
  const misses = records.filter((r) => detect(r.payload.tweet.content) !== r.lang_expected);
  return {
    correct: records.length - misses.length,
    us,
    misses: misses.map((r) => `${r.id}→${detect(r.payload.tweet.content)}`),
  };
}

async function main() {
  cli({ usage: 'usage: npm run language:compare' });
  const file = path.resolve(__dirname, '../../test/fixtures/tweets_multilingual.json');
  const records = JSON.parse(fs.readFileSync(file, 'utf8')) as Labelled[];
  console.log(`${records.length} tweets (${file})`);
  for (const [name, d] of Object.entries(await detectors())) {
    for (const [mode, detect] of Object.entries(d)) {
      const m = measure(records, detect);
      const pct = ((100 * m.correct) / records.length).toFixed(1);
      console.log(
        `${name} | ${mode} text | ${m.correct}/${records.length} (${pct}%) | ${m.us.toFixed(0)} µs/tweet | misses: ${m.misses.join(' ') || 'none'}`,
      );
    }
  }
}

run('language:compare', main);
