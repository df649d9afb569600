import type { LanguageDetector } from '../language';
import { normaliseRecord } from './normalise';
import type { RawRecord } from './scanner';
import type { SkippedRecord, Tweet } from './types';

// Enough to name the record in a report when the JSON itself is broken.
const ID_IN_TEXT = /"id"\s*:\s*"?([A-Za-z0-9_-]{1,128})/;

function readableId(text: string): { id?: string } {
  const m = ID_IN_TEXT.exec(text.slice(0, 4096));
  return m ? { id: m[1]! } : {};
}

/** JSON.parse + normalise one cut record; a record that can't be used becomes a SkippedRecord. */
export function parseRecord(raw: RawRecord, position: number, detect?: LanguageDetector): Tweet | SkippedRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch (error) {
    const reason = raw.truncated
      ? 'truncated at end of file'
      : `invalid JSON (${(error as Error).message.replace(/\s+/g, ' ').slice(0, 120)})`;
    return { position, ...readableId(raw.text), reason };
  }
  const result = normaliseRecord(value, detect);
  return 'tweet' in result ? result.tweet : { position, ...result };
}
