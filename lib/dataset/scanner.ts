import { DatasetError } from '../errors';
import type { DatasetFormat } from './types';

/** Integer tokens with this many digits or more may exceed 2^53, so they are quoted before JSON.parse. */
const BIG_DIGITS = 16;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isNumberByte = (b: number) => isDigit(b) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45;

/** Where the scan of one value stands; kept across chunks so no byte is scanned twice. */
interface Cursor {
  pos: number;
  depth: number;
  inString: boolean;
  /** [start, end) pairs of long integer tokens outside strings, as buffer offsets. */
  bigInts: number[];
}

/** One cut record: its JSON text (long integers quoted) and whether it was cut off by the end of the file. */
export interface RawRecord {
  text: string;
  truncated: boolean;
}

/** Index of the quote closing a string, from `from` (inside the string) to `limit`; -1 if not there yet. */
function closingQuote(buf: Buffer, from: number, limit: number): number {
  let q = buf.indexOf(QUOTE, from);
  while (q >= 0 && q < limit) {
    let k = q - 1;
    while (buf[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q; // an even run of backslashes escapes nothing
    q = buf.indexOf(QUOTE, q + 1);
  }
  return -1;
}

/** End of the number token at `i` (exclusive); records it when it is a long integer. */
function scanNumber(buf: Buffer, i: number, limit: number, c: Cursor): number {
  let e = i;
  let integer = true;
  while (e < limit && isNumberByte(buf[e]!)) {
    if (!isDigit(buf[e]!) && !(e === i && buf[e] === 0x2d)) integer = false;
    e++;
  }
  if (e < limit && integer && e - i - (buf[i] === 0x2d ? 1 : 0) >= BIG_DIGITS) c.bigInts.push(i, e);
  return e;
}

/**
 * Advances the cursor through buf[c.pos, limit). Returns the offset just past the value that started at
 * depth 0 once it is complete, or -1 when more bytes are needed (the cursor then stands where to resume;
 * a number touching `limit` is rescanned next time, as it may go on in the next chunk).
 */
function advance(buf: Buffer, c: Cursor, limit: number): number {
  let i = c.pos;
  let depth = c.depth;
  let done = -1;
  while (i < limit && done < 0) {
    if (c.inString) {
      const q = closingQuote(buf, i, limit);
      if (q < 0) {
        i = limit;
        break;
      }
      c.inString = false;
      i = q + 1;
      if (depth === 0) done = i;
      continue;
    }
    const b = buf[i]!;
    if (b === QUOTE) {
      c.inString = true;
      i++;
    } else if (b === 0x7b || b === 0x5b) {
      depth++;
      i++;
    } else if (b === 0x7d || b === 0x5d) {
      depth--;
      i++;
      if (depth <= 0) done = i;
    } else if (isDigit(b) || b === 0x2d) {
      const e = scanNumber(buf, i, limit, c);
      if (e === limit) break;
      i = e;
    } else i++;
  }
  c.pos = i;
  c.depth = depth;
  return done;
}

/** The record's text with long integer tokens wrapped in quotes, so JSON.parse keeps them exact. */
function recordText(buf: Buffer, start: number, end: number, bigInts: number[]): string {
  if (bigInts.length === 0) return buf.toString('utf8', start, end);
  let text = '';
  let from = start;
  for (let k = 0; k < bigInts.length; k += 2) {
    text += `${buf.toString('utf8', from, bigInts[k])}"${buf.toString('latin1', bigInts[k], bigInts[k + 1])}"`;
    from = bigInts[k + 1]!;
  }
  return text + buf.toString('utf8', from, end);
}

/** What the file starts with, for the error message: its text when printable, else hex bytes. */
function describeStart(buf: Buffer, at: number): string {
  const head = buf.subarray(at, at + 24);
  const text = head.toString('utf8');
  // eslint-disable-next-line no-control-regex
  const binary = /[\x00-\x08\x0e-\x1f\ufffd]/.test(text);
  return binary ? `bytes ${head.subarray(0, 8).toString('hex')}` : JSON.stringify(text);
}

/** Largest record kept in memory; beyond this the file is not a tweet file the reader can split. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Cuts a JSON array or JSON Lines byte stream into record texts, chunk by chunk. Only the incomplete tail
 * of a chunk is carried over. Pure: no I/O, no JSON.parse.
 */
export class RecordScanner {
  format: DatasetFormat | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Start of the record being cut; -1 between records. */
  private start = -1;
  private cur: Cursor = { pos: 0, depth: 0, inString: false, bigInts: [] };
  private fileStart = true;
  private closed = false;

  push(chunk: Buffer): RawRecord[] {
    this.append(chunk);
    const out: RawRecord[] = [];
    if (!this.format && !this.detect()) return out;
    if (this.format === 'json-lines') this.cutLines(out);
    else this.cutArray(out);
    if (this.start >= 0 && this.buf.length - this.start > MAX_RECORD_BYTES) {
      throw new DatasetError(
        `A record is larger than ${MAX_RECORD_BYTES / 1048576} MiB; the file is not a tweet file.`,
      );
    }
    return out;
  }

  /** The end of the input: a record still open is returned as truncated. */
  end(): RawRecord[] {
    if (!this.format) throw new DatasetError('The dataset file is empty: no JSON array or JSON Lines records.');
    const out: RawRecord[] = [];
    if (this.start >= 0 && this.format === 'json-lines') this.emitLine(out, this.start, this.buf.length, true);
    else if (this.start >= 0) out.push({ text: this.buf.toString('utf8', this.start).trim(), truncated: true });
    this.start = -1;
    return out;
  }

  /** Keeps only the unfinished tail, then adds the chunk; offsets are moved with it. */
  private append(chunk: Buffer) {
    const keep = this.start >= 0 ? this.start : this.pos;
    this.buf = keep >= this.buf.length ? chunk : Buffer.concat([this.buf.subarray(keep), chunk]);
    this.pos -= keep;
    this.cur.pos -= keep;
    if (this.start >= 0) this.start -= keep;
    const big = this.cur.bigInts;
    for (let k = 0; k < big.length; k++) big[k]! -= keep;
  }

  /** Decides the format from the first byte that isn't whitespace or a UTF-8 BOM. */
  private detect(): boolean {
    const buf = this.buf;
    if (this.fileStart) {
      if (buf.length < 3 && buf[0] === 0xef) return false; // maybe a BOM split across chunks
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) this.pos = 3;
      this.fileStart = false;
    }
    while (this.pos < buf.length && isSpace(buf[this.pos]!)) this.pos++;
    if (this.pos >= buf.length) return false;
    const b = buf[this.pos];
    if (b === 0x5b) {
      this.format = 'json-array';
      this.pos++;
    } else if (b === 0x7b) this.format = 'json-lines';
    else {
      throw new DatasetError(
        `The dataset file is neither a JSON array nor JSON Lines: it starts with ${describeStart(buf, this.pos)}.`,
      );
    }
    return true;
  }

  /** JSON Lines: every complete line is a record; blank lines are not. */
  private cutLines(out: RawRecord[]) {
    const buf = this.buf;
    for (;;) {
      if (this.start < 0) this.start = this.pos;
      const nl = buf.indexOf(NEWLINE, this.pos);
      if (nl < 0) {
        this.pos = buf.length;
        return;
      }
      this.emitLine(out, this.start, nl, false);
      this.start = -1;
      this.pos = nl + 1;
    }
  }

  /** A last line without a newline is normal in JSON Lines; it is only "truncated" if it doesn't parse. */
  private emitLine(out: RawRecord[], start: number, end: number, truncated: boolean) {
    const buf = this.buf;
    while (start < end && isSpace(buf[start]!)) start++;
    while (end > start && isSpace(buf[end - 1]!)) end--;
    if (start === end) return;
    const c: Cursor = { pos: start, depth: 0, inString: false, bigInts: [] };
    advance(buf, c, end);
    out.push({ text: recordText(buf, start, end, c.bigInts), truncated });
  }

  /** JSON array: each element at depth 1 is a record; commas and whitespace between them are skipped. */
  private cutArray(out: RawRecord[]) {
    const buf = this.buf;
    while (!this.closed) {
      if (this.start < 0 && !this.nextElement()) return;
      const end = this.cutValue();
      if (end < 0) return;
      out.push({ text: recordText(buf, this.start, end, this.cur.bigInts), truncated: false });
      this.start = -1;
      this.pos = end;
    }
  }

  /** Finds where the next element starts; false when more bytes are needed or the array is closed. */
  private nextElement(): boolean {
    const buf = this.buf;
    let i = this.pos;
    while (i < buf.length && (isSpace(buf[i]!) || buf[i] === 0x2c)) i++;
    this.pos = i;
    if (i >= buf.length) return false;
    if (buf[i] === 0x5d) {
      this.closed = true;
      this.pos = buf.length; // content after the closing bracket is ignored
      return false;
    }
    this.start = i;
    this.cur = { pos: i, depth: 0, inString: false, bigInts: [] };
    return true;
  }

  /** End of the current element, or -1 when it goes on in the next chunk. */
  private cutValue(): number {
    const buf = this.buf;
    const b = buf[this.start];
    if (b === 0x7b || b === 0x5b || b === QUOTE) return advance(buf, this.cur, buf.length);
    // A bare scalar (number, literal or garbage) runs to the next separator.
    let i = this.cur.pos;
    while (i < buf.length && !isSpace(buf[i]!) && buf[i] !== 0x2c && buf[i] !== 0x5d) i++;
    this.cur.pos = i;
    return i < buf.length ? i : -1;
  }
}
