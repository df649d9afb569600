import { EMOTION_LABELS, type EmotionLabel, type Tweet, type TweetSort } from '../../lib/domain';
import { ingestFile, tagFromIndex, type TagParams } from '../../lib/pipeline';
import { bucketOf, InMemorySourceStore, type TweetFilter, type TweetStore, type LeaseStore } from '../../lib/store';
import { keywordClassifier } from './keyword-classifier';
import { memoryReader, type MemoryFiles } from './memory-dataset';

/**
 * The pipeline's state as a plain model (tweets, their emotion tag and when it was written), and the system it is
 * held to: the real ingest and tag pipeline on one TweetStore adapter. The model-based tests drive both with the
 * same random commands and compare after each step.
 */

export const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2025, 0, 1);
/** Small pages, so a few dozen tweets cross the selection's page boundaries. */
export const PAGES = { first: 4, rest: 7 };

/** Tweet `i` of the pool; `version` changes its text (re-ingests of edited tweets). Days repeat, so dates tie. */
export function poolTweet(i: number, version: number): Tweet {
  const word = [...EMOTION_LABELS, 'plain'][(i + version) % (EMOTION_LABELS.length + 1)];
  return {
    id: String(7_000_000_000_000_000_000n + BigInt(i * 7919)), // past 2^53, like real ids
    content: `tweet ${i} v${version} ${word}`,
    created_at: new Date(EPOCH + ((i * 7) % 23) * DAY_MS).toISOString(),
    author: { username: `user${i % 3}`, handle: `@user${i % 3}`, verified: i % 2 === 0 },
    hashtags: i % 4 === 0 ? ['#Vote'] : [],
    metrics: { retweets: (i * 13) % 5, likes: (i * 31) % 11 },
  };
}

/** The score the keyword classifier gives every label. */
const KEYWORD_SCORE = 0.94;

export const labelOf = (content: string): EmotionLabel =>
  EMOTION_LABELS.find((l) => content.toLowerCase().includes(l)) ?? 'neutral';

export interface ModelTweet {
  tweet: Tweet;
  /** The emotion tag: label, revision and the logical time it was written (ms). */
  tag?: { label: EmotionLabel; revision: string; at: number };
}

export class PipelineModel {
  readonly tweets = new Map<string, ModelTweet>();
  /** A logical clock both systems share: each tag call starts one step later than the last write. */
  clock = Date.UTC(2026, 0, 1);

  upsert(tweets: Tweet[]) {
    for (const t of tweets) this.tweets.set(t.id, { tweet: t, tag: this.tweets.get(t.id)?.tag });
  }

  /** What a tag call must select: in range and partition, not tagged by `revision` (forced: tagged before `before`), in order. */
  selection(p: TagParams, revision: string, before?: number): ModelTweet[] {
    const ms = (m: ModelTweet) => Date.parse(m.tweet.created_at);
    const open = [...this.tweets.values()].filter(
      (m) =>
        (p.startMs === undefined || ms(m) >= p.startMs) &&
        (p.endMs === undefined || ms(m) <= p.endMs) &&
        (!p.partition || bucketOf(m.tweet.id) % p.partition.count === p.partition.index) &&
        (before !== undefined ? !m.tag || m.tag.at < before : m.tag?.revision !== revision),
    );
    const stale = (m: ModelTweet) => m.tag?.at ?? 0;
    return open.sort(
      (a, b) =>
        (before !== undefined ? stale(a) - stale(b) : 0) ||
        ms(a) - ms(b) ||
        (a.tweet.id < b.tweet.id ? -1 : a.tweet.id > b.tweet.id ? 1 : 0),
    );
  }

  /** /tweets: the matching tweets, in the sort's order. */
  query(f: TweetFilter, sort: TweetSort): Tweet[] {
    const ms = (t: Tweet) => Date.parse(t.created_at);
    const hits = [...this.tweets.values()].filter(
      (m) =>
        (f.startMs === undefined || ms(m.tweet) >= f.startMs) &&
        (f.endMs === undefined || ms(m.tweet) <= f.endMs) &&
        (!f.emotion || m.tag?.label === f.emotion) &&
        (!f.tagged || (f.tagged === 'none' ? !m.tag : f.tagged === 'emotion' ? !!m.tag : false)) &&
        // Only emotion is tagged here, with the keyword classifier's score, 0.94.
        (f.minScore === undefined || (!!m.tag && KEYWORD_SCORE >= f.minScore)),
    );
    const key = (t: Tweet): Array<number | string> =>
      sort === 'likes' || sort === 'retweets' ? [t.metrics[sort], ms(t), t.id] : [ms(t), t.id];
    const sign = sort === 'oldest' ? 1 : -1;
    return hits
      .map((m) => m.tweet)
      .sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i]! < y[i]! ? -1 : 1) * sign;
        return 0;
      });
  }
}

/** Paths unique in the process: an index reused across runs keeps the fingerprints of earlier runs' files. */
let fileCount = 0;

/** The real pipeline on one store adapter, with a clock the model shares. */
export class PipelineSystem {
  readonly files: MemoryFiles = {};
  private readonly reader = memoryReader(this.files);
  private readonly sources = new InMemorySourceStore();

  constructor(
    readonly name: string,
    readonly store: TweetStore,
    readonly leases: LeaseStore,
    private readonly model: PipelineModel,
  ) {}

  async ingest(tweets: Tweet[]) {
    const path = `/f${fileCount++}.json`;
    this.files[path] = { tweets };
    const who = { holder: `ingest-${this.name}`, description: 'model test' };
    const deps = { store: this.store, sources: this.sources, leases: this.leases, reader: this.reader, who };
    return ingestFile(path, { force: false }, deps);
  }

  /**
   * One tag call; `texts` records what the model was asked to classify. `onLoad` runs when the call holds its lease
   * and loads the model: an overlap test holds one call there while it starts the other.
   */
  async tag(params: TagParams, revision: string, holder: string, texts: string[] = [], onLoad?: () => Promise<void>) {
    const calls: string[][] = [];
    const classifier = keywordClassifier({ batchSize: 3, revision, calls });
    const now = () => new Date(this.model.clock);
    const summary = await tagFromIndex('emotion', params, {
      store: this.store,
      leases: this.leases,
      who: { holder, description: `model test ${holder}` },
      loadClassifier: async () => {
        await onLoad?.();
        return classifier;
      },
      now,
      pages: PAGES,
    });
    texts.push(...calls.flat());
    return summary;
  }
}
