/** Language detection in threads beside the parser: the same answers as in line, in order, and nothing left running. */
import fs from 'node:fs';
import { DetectorPool, detectorCount } from '../../lib/dataset/language-pool';
import { loadLanguageDetector } from '../../lib/language';

const multilingual = (
  JSON.parse(fs.readFileSync('test/fixtures/tweets_multilingual.json', 'utf8')) as Array<{
    payload: { tweet: { content: string } };
  }>
).map((r) => r.payload.tweet.content);
const threads = () => fs.readdirSync('/proc/self/task').length;

describe('DetectorPool', () => {
  it('answers each batch in order, as the detector does in line, over batches sent at once to two threads', async () => {
    const detect = await loadLanguageDetector();
    const before = threads();
    const pool = new DetectorPool(2);
    try {
      const batches = [multilingual.slice(0, 30), multilingual.slice(30), [], multilingual.slice(5, 9)];
      const answers = await Promise.all(batches.map((texts) => pool.detect(texts)));
      expect(answers).toEqual(batches.map((texts) => texts.map(detect)));
    } finally {
      await pool.close();
    }
    expect(threads()).toBeLessThanOrEqual(before);
  });

  it('keeps the spare cores for detection: one thread on 2 cores, at most 6', () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => detectorCount(cores))).toEqual([1, 1, 1, 2, 6, 6]);
  });
});
