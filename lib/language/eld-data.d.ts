// Types for the eld data files that eld-scorer.ts imports by path (eld ships types for its detectors only).
declare module '*/eld/src/ngrams/extrasmall.js' {
  export const ngramsData: { languages: Record<number, string>; ngrams: Record<string, Record<number, number>> };
}
declare module '*/eld/src/dictionary.js' {
  export const dictionary: readonly string[];
}
declare module '*/eld/src/regexPatterns.js' {
  export const separators: RegExp;
}
