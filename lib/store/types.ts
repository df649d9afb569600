import type {
  EmotionLabel,
  Job,
  ResultOf,
  Source,
  StanceLabel,
  Stats,
  StatsInterval,
  TaggedFilter,
  Task,
  Tweet,
  TweetPage,
  TweetSort,
} from '../domain';
import type { TweetLines } from '../tweet-lines';
import type { Cursor } from './cursor';

/** What a stored result must match to count as "tagged by this model" (model, revision, prompt version...). */
export type ClassificationMarker = Record<string, string>;

/** The filters GET /tweets and GET /stats share. */
export interface TweetFilter {
  startMs?: number;
  endMs?: number;
  emotion?: EmotionLabel;
  stance?: StanceLabel;
  tagged?: TaggedFilter;
  /** Full-text on the content (every word must match). */
  text?: string;
  /** Exact hashtag, case-insensitive, with its leading '#'. */
  hashtag?: string;
  /** Username or handle, case-insensitive, without '@'. */
  author?: string;
  /** Lowest score of the label(s) filtered on (emotion and/or stance). */
  minScore?: number;
  /** Exact source name (path relative to the dataset folder). */
  source?: string;
  /** Detected language (ISO 639-1 or `und`). */
  lang?: string;
}

export interface TweetQuery extends TweetFilter {
  limit: number;
  sort?: TweetSort;
  /** Must be a cursor of the same sort. */
  after?: Cursor;
}

export interface StatsQuery extends TweetFilter {
  interval: StatsInterval;
  /** How many hashtags and authors the top lists hold. */
  top: number;
  /** EMOTION_LANGS: tweets in other languages are counted as "no emotion because of the language". */
  emotionLangs: string[];
}

/** Tweets one tagging call may take: in the range, not tagged by `marker` (or, forced, tagged before `before`). */
export interface UntaggedQuery {
  task: Task;
  marker: ClassificationMarker;
  startMs?: number;
  endMs?: number;
  /** Forced runs re-tag tweets whose tag (any model) is older than this instant, stalest first. */
  forceBefore?: string;
  /** A disjoint slice of the tweets by a hash of the id: `index` of `count`. */
  partition?: { index: number; count: number };
  /** Only tweets in these languages (and tweets ingested before detection, which have none). */
  langs?: string[];
  limit: number;
  /** Sort values of the last tweet of the previous page of the same call. */
  after?: unknown[];
}

export interface UntaggedPage {
  tweets: Array<Pick<Tweet, 'id' | 'content' | 'lang'>>;
  /** Pass back as `after` for the next page; undefined when this page was the last. */
  next?: unknown[];
}

export interface WriteResult {
  written: number;
  failed: Array<{ id: string; reason: string }>;
}

export interface IndexStats {
  exists: boolean;
  count: number;
}

export type ResultUpdate<T extends Task> = { id: string; result: ResultOf<T> };

/** Everything the pipeline and the handlers need from the document store; Elasticsearch is one adapter. */
export interface TweetStore {
  ensureIndex(): Promise<void>;
  /** Writes the tweet fields only (partial upsert): emotion and stance already stored are kept. */
  putTweets(tweets: TweetLines): Promise<WriteResult>;
  /** Writes one task's result into existing documents; nothing else of them changes. */
  putResults<T extends Task>(task: T, updates: Array<ResultUpdate<T>>): Promise<WriteResult>;
  findUntagged(query: UntaggedQuery): Promise<UntaggedPage>;
  /** How many tweets findUntagged would page through. */
  countUntagged(query: Omit<UntaggedQuery, 'limit' | 'after'>): Promise<number>;
  /** Tweets in the range (and partition) whose language is not in `query.langs`, by language. */
  countOtherLanguages(
    query: Omit<UntaggedQuery, 'limit' | 'after'> & { langs: string[] },
  ): Promise<Record<string, number>>;
  search(query: TweetQuery): Promise<TweetPage>;
  /** Aggregations over the tweets matching the filter (GET /stats). */
  aggregate(query: StatsQuery): Promise<Stats>;
  /** Oldest and newest created_at (epoch ms) among the matching tweets; undefined when none match. */
  dateExtent(filter: TweetFilter): Promise<{ minMs: number; maxMs: number } | undefined>;
  /** Makes written documents visible to search. */
  refresh(): Promise<void>;
  stats(): Promise<IndexStats>;
  /** Bulk loading: refreshes paused while a large ingest writes, restored (and refreshed) at the end. */
  setBulkLoading(on: boolean): Promise<void>;
}

/**
 * The dataset's sources: fingerprint (size, mtime, sha256) and outcome of each one's last ingest, by name. Kept
 * apart from the tweets, so a source's bookkeeping never touches the tweets index's mapping.
 */
export interface SourceStore {
  get(source: string): Promise<Source | undefined>;
  /** Creates or replaces the source's record. */
  put(record: Source): Promise<void>;
  /** Every source, by name. */
  list(): Promise<Source[]>;
  /** Forgets a source (an upload that was not a tweet file). */
  remove(source: string): Promise<void>;
}

export interface LeaseHolder {
  holder: string;
  /** What the holder is doing, shown to a caller that is refused. */
  description: string;
}

export interface Lease extends LeaseHolder {
  name: string;
  acquired_at: string;
  expires_at: string;
}

/**
 * Named, expiring locks: at most one live holder per name. A holder that dies stops renewing and its lease
 * expires, so work never stays blocked by a crash.
 */
export interface LeaseStore {
  /** The lease, or the live lease of another holder that blocks it. The same holder may take its lease again. */
  acquire(
    name: string,
    who: LeaseHolder,
    ttlMs: number,
  ): Promise<{ acquired: true; lease: Lease } | { acquired: false; heldBy: Lease }>;
  /** Extends a lease this holder has; false when it was lost (expired and taken over). */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/** A change to one job: the new job, or null for "no change" (e.g. the job already finished). */
export type JobChange = (job: Job) => Job | null;

/** Job documents; every change is a read-modify-write that retries on a concurrent writer (partitions, cancel). */
export interface JobStore {
  create(job: Job): Promise<void>;
  get(id: string): Promise<Job | undefined>;
  /** Newest first. */
  list(limit: number): Promise<Job[]>;
  /** Applies `change` atomically and returns the job as stored after it (undefined when there is no such job). */
  mutate(id: string, change: JobChange): Promise<Job | undefined>;
}
