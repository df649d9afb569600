/**
 * eld's detection (Nito T.M., https://github.com/nitotm/efficient-language-detector-js, Apache-2.0), over eld's own
 * n-gram table, with its scoring loop on typed arrays. eld's `detect()` walks each n-gram's languages with `for..in`
 * over a plain object and sorts every language to read the top score; here the table is packed once at load, so a
 * tweet costs ~5 times less (10 µs against 55 on the bench's tweets; docs/benchmarks.md). Same words, same n-grams,
 * same sums, same scale: test/unit/eld-scorer.test.ts checks that language and score equal eld's on every text.
 *
 * eld's package exports only its detectors, so its data files are imported by path (the pinned version in
 * package.json; the bundler bundles them like any import).
 */

export interface ScoredLanguage {
  /** ISO 639-1 code, or '' when no n-gram is known. */
  language: string;
  /** eld's score of that language: n-gram score per n-gram, scaled to 0–1 (what its `getScores()` gives it). */
  score: number;
}

/** eld's constants: scores are stored minus 53; per-n-gram scores are scaled by s / (s + 25). */
const BASE_NGRAM_SCORE = 53;
const SCALE = 25;
const MAX_CHARS = 1000;
const CUT_AFTER_BYTES = 350;
const ENFORCE_CUT_BYTES = 380;
const MAX_WORD_BYTES = 70;

interface EldData {
  languages: Record<number, string>;
  ngrams: Record<string, Record<number, number>>;
}

export interface EldTable {
  languages: string[];
  /** n-gram → (offset << 8) | pairs, into `pairs`: [language, score, language, score, …]. */
  index: Map<string, number>;
  pairs: Int32Array;
  /** eld's byte → character map: n-grams are spelled in UTF-8 bytes. */
  dictionary: readonly string[];
  /** eld's word separator (anything but letters, keeping apostrophes). */
  separators: RegExp;
}

/** Packs eld's table: one Int32Array for every (language, score) pair, and a Map from n-gram to its run. */
export function packTable(data: EldData, dictionary: readonly string[], separators: RegExp): EldTable {
  const entries = Object.entries(data.ngrams);
  const pairs = new Int32Array(entries.reduce((n, [, langs]) => n + Object.keys(langs).length, 0) * 2);
  const index = new Map<string, number>();
  let at = 0;
  for (const [gram, langs] of entries) {
    const start = at;
    for (const [lang, score] of Object.entries(langs)) {
      pairs[at++] = Number(lang);
      pairs[at++] = score + BASE_NGRAM_SCORE;
    }
    index.set(gram, (start << 8) | ((at - start) / 2));
  }
  const languages = Object.keys(data.languages).map((k) => data.languages[Number(k)]!);
  return { languages, index, pairs, dictionary, separators };
}

let loading: Promise<EldTable> | undefined;

/** eld's extra-small table, packed once per thread; a failed load is retried on the next call. */
export function loadEldTable(): Promise<EldTable> {
  loading ??= Promise.all([
    import('../../node_modules/eld/src/ngrams/extrasmall.js'),
    import('../../node_modules/eld/src/dictionary.js'),
    import('../../node_modules/eld/src/regexPatterns.js'),
  ])
    .then(([{ ngramsData }, { dictionary }, { separators }]) => packTable(ngramsData, dictionary, separators))
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/** eld's words in its byte spelling: ASCII as is, other characters as their UTF-8 bytes through the dictionary. */
function byteWords(text: string, dictionary: readonly string[]): string[] {
  const words: string[] = [];
  let word = '';
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code === 32) {
        if (word !== '') words.push(word);
        word = '';
        if (bytes > CUT_AFTER_BYTES) break;
      } else word += text[i];
      bytes += 1;
    } else if (code < 0x800) {
      word += dictionary[0xc0 | (code >> 6)]! + dictionary[0x80 | (code & 0x3f)]!;
      bytes += 2;
    } else if (code < 0xd800 || code >= 0xe000) {
      word +=
        dictionary[0xe0 | (code >> 12)]! + dictionary[0x80 | ((code >> 6) & 0x3f)]! + dictionary[0x80 | (code & 0x3f)]!;
      bytes += 3;
    } else {
      code = 0x10000 + (((code & 0x3ff) << 10) | (text.charCodeAt(++i) & 0x3ff));
      word +=
        dictionary[0xf0 | (code >> 18)]! +
        dictionary[0x80 | ((code >> 12) & 0x3f)]! +
        dictionary[0x80 | ((code >> 6) & 0x3f)]! +
        dictionary[0x80 | (code & 0x3f)]!;
      bytes += 4;
    }
    if (bytes > ENFORCE_CUT_BYTES) break;
  }
  if (word !== '') words.push(word);
  return words;
}

/** eld's n-grams of each word: 4 bytes with a stride of 3, the first marked by a leading space, the last by a trailing one. */
function ngramsOf(words: string[]): Set<string> {
  const grams = new Set<string>();
  for (const word of words) {
    const len = Math.min(word.length, MAX_WORD_BYTES);
    let j = 0;
    for (; j + 4 < len; j += 3) grams.add((j === 0 ? ' ' : '') + word.substring(j, j + 4));
    grams.add((j === 0 ? ' ' : '') + word.substring(len !== 3 ? len - 4 : 0) + ' ');
  }
  return grams;
}

/** A detector over a packed table. Synchronous, so one buffer of per-language sums serves every call. */
export function eldScorer(table: EldTable): (text: string) => ScoredLanguage {
  const sums = new Float64Array(table.languages.length);
  return (input) => {
    const text = input.substring(0, MAX_CHARS).replace(table.separators, ' ').trim().toLowerCase();
    const grams = ngramsOf(byteWords(text, table.dictionary));
    sums.fill(0);
    for (const gram of grams) {
      const run = table.index.get(gram);
      if (run === undefined) continue;
      for (let at = run >>> 8, end = at + (run & 0xff) * 2; at < end; at += 2)
        sums[table.pairs[at]!]! += table.pairs[at + 1]!;
    }
    let best = -1;
    for (let lang = 0; lang < sums.length; lang++)
      if (sums[lang]! > 0 && (best < 0 || sums[lang]! > sums[best]!)) best = lang;
    if (best < 0) return { language: '', score: 0 };
    const perGram = sums[best]! / grams.size;
    return { language: table.languages[best]!, score: perGram / (perGram + SCALE) };
  };
}
