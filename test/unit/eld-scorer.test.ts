/**
 * The ingest's language scorer (lib/language/eld-scorer.ts) against eld's own detect(): the same language and the
 * same score, exactly, on the team's multilingual tweets, the committed sample, and random text of every script.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { detectorOf, eldEngine, loadLanguageDetector, textForDetection } from '../../lib/language';
import { eldScorer, loadEldTable, type ScoredLanguage } from '../../lib/language/eld-scorer';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const contents = (file: string) =>
  (JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ payload: { tweet: { content: string } } }>).map(
    (r) => r.payload.tweet.content,
  );
const tweets = [...contents('test/fixtures/tweets_multilingual.json'), ...contents('data/sample_tweets.json')];

/** Text from words in Latin (accents, apostrophes), Cyrillic, Greek, Arabic, CJK and emoji, some over 70 letters. */
const anyText = fc
  .array(
    fc.oneof(
      fc.constantFrom('el', 'de', 'la', 'què', 'não', 'l’avenir', "don't", 'Açò', 'GOBIERNO', 'ñandú', 'über'),
      fc.string({ unit: fc.constantFrom(..."abcdefghijklmnñopqrstuvwxyzàéíòóúüçœß’'-"), minLength: 1, maxLength: 90 }),
      fc.string({
        unit: fc.constantFrom(...'абвгдежзиклмнопрстуфхцчшыэюяαβγδεζηθικλμνξπρστφχψωابتثجحخدذرزسشصضطظعغفقكلمنهوي'),
        maxLength: 12,
      }),
      fc.string({
        unit: fc.constantFrom(...'的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年😀✊🇪🇸'),
        maxLength: 6,
      }),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .chain((words) => fc.constantFrom(' ', '  ', ', ', '\n').map((sep) => words.join(sep)));

describe('eldScorer: eld’s detection over a packed table', () => {
  let eld: (text: string) => ScoredLanguage;
  let scorer: (text: string) => ScoredLanguage;

  beforeAll(async () => {
    eld = eldEngine((await import('eld/extrasmall')).eld);
    scorer = eldScorer(await loadEldTable());
  });

  it('gives eld’s language and score on every tweet, raw and as the ingest cleans it', () => {
    const texts = tweets.flatMap((t) => [t, textForDetection(t)]);
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.map(scorer)).toEqual(texts.map(eld));
    expect(new Set(texts.map((t) => scorer(t).language))).toEqual(new Set(['es', 'en', 'ca', 'pt', 'fr', '']));
  });

  it(`gives eld’s language and score on random text of every script, long words and long texts included (seed ${SEED})`, () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(scorer(text)).toEqual(eld(text));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('cuts where eld cuts: past 1,000 characters and 380 bytes the rest is not read', () => {
    const spanish = 'el gobierno y la oposición no se ponen de acuerdo sobre los presupuestos ';
    const texts = [spanish.repeat(20), `${spanish.repeat(6)}${'the of and to in '.repeat(40)}`, 'a'.repeat(1500)];
    // A long word that starts between 330 and 380 bytes in: where it is cut decides its last n-gram.
    for (let at = 330; at <= 380; at++) texts.push(`${spanish.repeat(6).slice(0, at)} ${'presupuestarias'.repeat(4)}`);
    expect(texts.map(scorer)).toEqual(texts.map(eld));
  });

  it('is what the ingest detects with: the same lang and lang_score as eld’s detect() would store', async () => {
    const ingest = await loadLanguageDetector();
    const withEld = detectorOf(eld);
    expect(tweets.map(ingest)).toEqual(tweets.map(withEld));
  });
});
