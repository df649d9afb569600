/**
 * Language detection behind a small interface, used at ingest (in detector threads beside the parser, once per record).
 * The engine is eld ("efficient language detector", n-gram tables shipped inside the npm package, no model
 * download), its extra-small table: same accuracy as the larger ones on the team's multilingual set
 * (test/fixtures/tweets_multilingual.json), a third of the memory. See docs/benchmarks.md for the comparison.
 * Ingest runs eld's algorithm through eld-scorer.ts (the same results, 3-6 times faster); eldEngine adapts eld's own
 * `detect()`, which the scorer's test and `npm run language:compare` use.
 */

import { UNDETERMINED_LANG } from '../domain';
import { eldScorer, loadEldTable, type ScoredLanguage } from './eld-scorer';

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
 * "@vox_es"); then anything that is not a letter, a mark, an apostrophe, a hyphen or a space. Case is spelled out
 * instead of the `i` flag, which makes the Unicode classes case-fold every character (a third slower).
 */
const NOT_PROSE = /\b[Hh][Tt][Tt][Pp][Ss]?:\/\/\S+|\b[Ww][Ww][Ww]\.\S+|[@#][\p{L}\p{N}_]+|[^\p{L}\p{M}'’\s-]+/gu;

/** The words a tweet is written in: no links, mentions, hashtags, emoji, digits or punctuation. */
export function textForDetection(content: string): string {
  return content.replace(NOT_PROSE, ' ').replace(/\s+/g, ' ').trim();
}

const HAS_MIN_LETTERS = new RegExp(`^(?:[^\\p{L}]*\\p{L}){${MIN_LETTERS}}`, 'u');

/** What a detector needs of an engine: the top language of a text and its score. */
export type LanguageEngine = (text: string) => ScoredLanguage;

interface Eld {
  detect(text: string): { language: string; getScores(): Record<string, number> };
}

/** eld's own `detect()` as an engine: its top language, and that language's entry of `getScores()`. */
export const eldEngine =
  (eld: Eld): LanguageEngine =>
  (text) => {
    const result = eld.detect(text);
    return { language: result.language, score: result.language ? (result.getScores()[result.language] ?? 0) : 0 };
  };

/** A detector over any engine (tests may pass another). */
export function detectorOf(engine: LanguageEngine): LanguageDetector {
  return (content) => {
    const text = textForDetection(content);
    if (!HAS_MIN_LETTERS.test(text)) return { lang: UNDETERMINED, lang_score: 0 };
    const { language, score } = engine(text);
    if (!language) return { lang: UNDETERMINED, lang_score: 0 };
    return { lang: language, lang_score: Math.round(score * 1000) / 1000 };
  };
}

/** Loads and packs eld's table once per thread (under a second); a failed load is retried on the next call. */
export async function loadLanguageDetector(): Promise<LanguageDetector> {
  return detectorOf(eldScorer(await loadEldTable()));
}
