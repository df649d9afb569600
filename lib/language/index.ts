/**
 * Language detection behind a small interface, used at ingest (in detector threads beside the parser, once per record).
 * The adapter is eld ("efficient language detector", n-gram tables shipped inside the npm package, no model
 * download), its extra-small table: same accuracy as the larger ones on the team's multilingual set
 * (test/fixtures/tweets_multilingual.json), a third of the memory. See docs/benchmarks.md for the comparison.
 */

import { UNDETERMINED_LANG } from '../domain';

export const UNDETERMINED = UNDETERMINED_LANG;

export interface DetectedLanguage {
  /** ISO 639-1 code, or `und`. */
  lang: string;
  /** The detector's score of that language, 0–1 (0 for `und`); a relative confidence, not a probability. */
  lang_score: number;
}

export type LanguageDetector = (text: string) => DetectedLanguage;

/** Fewer letters than this (after removing mentions, hashtags, links, emoji and digits) is `und`. */
const MIN_LETTERS = 3;

/**
 * One pass, in this order: links; mentions and hashtags (names, often English in a tweet that is not: "#Vote",
 * "@vox_es"); then anything that is not a letter, a mark, an apostrophe, a hyphen or a space.
 */
const NOT_PROSE = /\bhttps?:\/\/\S+|\bwww\.\S+|[@#][\p{L}\p{N}_]+|[^\p{L}\p{M}'’\s-]+/giu;

/** The words a tweet is written in: no links, mentions, hashtags, emoji, digits or punctuation. */
export function textForDetection(content: string): string {
  return content.replace(NOT_PROSE, ' ').replace(/\s+/g, ' ').trim();
}

const HAS_MIN_LETTERS = new RegExp(`^(?:[^\\p{L}]*\\p{L}){${MIN_LETTERS}}`, 'u');

interface EldResult {
  language: string;
  getScores(): Record<string, number>;
}
interface Eld {
  detect(text: string): EldResult;
}

/** A detector over any eld-shaped engine (tests may pass another). */
export function detectorOf(engine: Eld): LanguageDetector {
  return (content) => {
    const text = textForDetection(content);
    if (!HAS_MIN_LETTERS.test(text)) return { lang: UNDETERMINED, lang_score: 0 };
    const result = engine.detect(text);
    if (!result.language) return { lang: UNDETERMINED, lang_score: 0 };
    const score = result.getScores()[result.language] ?? 0;
    return { lang: result.language, lang_score: Math.round(score * 1000) / 1000 };
  };
}

let loading: Promise<LanguageDetector> | undefined;

/** Loads eld's table once per thread (about a second); a failed load is retried on the next call. */
export function loadLanguageDetector(): Promise<LanguageDetector> {
  loading ??= import('eld/extrasmall')
    .then((m) => detectorOf(m.eld as Eld))
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}
