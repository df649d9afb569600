import type { Tweet } from './domain';

const NEWLINE = 0x0a;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A batch of normalised tweets in their wire form: one JSON document per line (UTF-8, `\n` after each), and the
 * ids in the same order. The parser thread writes it, the store sends it: the bytes cross from the worker to the
 * main thread without a copy (transferred) and reach the index without being parsed or serialised again, so the
 * main thread does no per-field work. A field added to Tweet (normalise) shows up here with no change.
 */
export class TweetLines {
  constructor(
    /** Every line ends with `\n`; JSON.stringify never writes a raw newline, so a line is one document. */
    readonly bytes: Uint8Array,
    readonly ids: readonly string[],
  ) {}

  static readonly empty = new TweetLines(new Uint8Array(0), []);

  get length(): number {
    return this.ids.length;
  }

  static fromJson(jsonLines: string[], ids: string[]): TweetLines {
    return new TweetLines(encoder.encode(jsonLines.length ? `${jsonLines.join('\n')}\n` : ''), ids);
  }

  static fromTweets(tweets: readonly Tweet[]): TweetLines {
    return TweetLines.fromJson(
      tweets.map((t) => JSON.stringify(t)),
      tweets.map((t) => t.id),
    );
  }

  static concat(parts: readonly TweetLines[]): TweetLines {
    if (parts.length === 1) return parts[0]!;
    return new TweetLines(
      Buffer.concat(parts.map((p) => p.bytes)),
      parts.flatMap((p) => p.ids),
    );
  }

  /** Each document's bytes, without its newline (views, not copies). */
  *documents(): Generator<Uint8Array> {
    const bytes = this.bytes;
    for (let start = 0; start < bytes.length;) {
      const end = bytes.indexOf(NEWLINE, start);
      yield bytes.subarray(start, end);
      start = end + 1;
    }
  }

  /** Back to objects, for stores and tools that want them (the in-memory store, reports). */
  decode(): Tweet[] {
    return Array.from(this.documents(), (doc) => JSON.parse(decoder.decode(doc)) as Tweet);
  }
}
