import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './env';

/** The team's multilingual set: tweets in es, en, ca, pt, fr (and a few with no words), each with its language. */
export const MULTILINGUAL = path.join(ROOT, 'test/fixtures/tweets_multilingual.json');

export interface LabelledRecord {
  id: string;
  lang_expected: string;
  payload: { tweet: { content: string } };
  [field: string]: unknown;
}

export const multilingualRecords = (): LabelledRecord[] => JSON.parse(fs.readFileSync(MULTILINGUAL, 'utf8'));

/** How many tweets of each language the set has. */
export function expectedLanguages(records = multilingualRecords()): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.lang_expected] = (counts[r.lang_expected] ?? 0) + 1;
  return counts;
}

/** Writes records in one of the three source formats. */
export function writeSource(file: string, records: unknown[], kind: 'array' | 'lines' | 'gzip') {
  const lines = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  if (kind === 'array') fs.writeFileSync(file, JSON.stringify(records));
  else if (kind === 'lines') fs.writeFileSync(file, lines);
  else fs.writeFileSync(file, zlib.gzipSync(lines));
}
