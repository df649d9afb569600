import fc from 'fast-check';
import type { TweetSort } from '../../lib/domain';
import type { TagParams } from '../../lib/pipeline';
import {
  decodeCursor,
  ElasticsearchLeaseStore,
  ElasticsearchTweetStore,
  InMemoryTweetStore,
  type TweetFilter,
} from '../../lib/store';
import { testIndex } from '../support/env';
import { deleteIndex, rawClient } from '../support/es';
import { DAY_MS, labelOf, PipelineModel, PipelineSystem, poolTweet } from '../support/pipeline-model';

/**
 * Model-based test of the pipeline's state machine: random sequences of ingests (random subsets, edited texts),
 * tag calls (limit, force, date range, partition, a second model revision), overlapping tag calls, /tweets paging
 * with every sort and filter, and /stats. Each command runs on the in-memory store AND on the Elasticsearch store,
 * and both must give the answers the model predicts after every step. Replay a failure with FC_SEED (and FC_PATH).
 */

const POOL = 40;
const RUNS = Number(process.env.FC_RUNS ?? 25);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const EPOCH = Date.UTC(2025, 0, 1);

type Systems = { model: PipelineModel; systems: PipelineSystem[] };
type Cmd = fc.AsyncCommand<PipelineModel, Systems>;

const rangeArb = fc.option(
  fc.tuple(fc.integer({ min: 0, max: 22 }), fc.integer({ min: 0, max: 22 })).map(([a, b]) => ({
    startMs: EPOCH + Math.min(a, b) * DAY_MS,
    endMs: EPOCH + Math.max(a, b) * DAY_MS + DAY_MS - 1,
  })),
  { nil: undefined },
);
const partitionArb = fc.option(
  fc.integer({ min: 2, max: 3 }).chain((count) => fc.record({ index: fc.nat(count - 1), count: fc.constant(count) })),
  { nil: undefined },
);
const tagParamsArb: fc.Arbitrary<TagParams> = fc
  .record({ limit: fc.integer({ min: 1, max: 25 }), force: fc.boolean(), range: rangeArb, partition: partitionArb })
  .map(({ range, ...p }) => ({ ...p, ...range }));

const describeParams = (p: TagParams) => JSON.stringify(p);

class Ingest implements Cmd {
  constructor(
    readonly indices: number[],
    readonly version: number,
  ) {}
  check = () => true;
  async run(model: PipelineModel, real: Systems) {
    const tweets = this.indices.map((i) => poolTweet(i, this.version));
    for (const s of real.systems) {
      const summary = await s.ingest(tweets);
      expect({ system: s.name, indexed: summary.indexed }).toEqual({ system: s.name, indexed: tweets.length });
    }
    model.upsert(tweets);
  }
  toString = () => `ingest(${this.indices.length} tweets, v${this.version})`;
}

/** Applies one expected call to the model: those tweets are now tagged by `revision` at the model's clock. */
function applyTag(model: PipelineModel, params: TagParams, revision: string) {
  const expected = model.selection(params, revision, params.force ? model.clock : undefined).slice(0, params.limit);
  for (const m of expected) m.tag = { label: labelOf(m.tweet.content), revision, at: model.clock };
  return expected.map((m) => m.tweet.content).sort();
}

class Tag implements Cmd {
  constructor(
    readonly params: TagParams,
    readonly revision: string,
  ) {}
  check = () => true;
  async run(model: PipelineModel, real: Systems) {
    const probe = structuredClone([...model.tweets.entries()]);
    const results = [];
    for (const s of real.systems) {
      const texts: string[] = [];
      const summary = await s.tag({ ...this.params }, this.revision, `tag-${s.name}`, texts);
      results.push({
        system: s.name,
        texts: texts.sort(),
        classified: summary.classified,
        remaining: summary.remaining,
      });
    }
    const before = this.params.force ? model.clock : undefined;
    const texts = applyTag(model, this.params, this.revision);
    // Forced: what this forced pass has left (tagged before it started); else what this model has not tagged.
    const remaining = model.selection(this.params, this.revision, before).length;
    for (const r of results) {
      expect(r).toEqual({ system: r.system, texts, classified: texts.length, remaining });
      expect(r.classified).toBeLessThanOrEqual(this.params.limit);
    }
    expect(probe.length).toBe(model.tweets.size); // a tag call never adds or drops tweets
    model.clock += 1000;
  }
  toString = () => `tag(${describeParams(this.params)}, ${this.revision})`;
}

/**
 * Two calls at once. Of one lease (both unpartitioned, or the same partition), the first holds its lease while the
 * second starts: the second is refused (409 task_busy) and nothing is classified twice. Two partitions of one split
 * run side by side, each taking exactly its own slice.
 */
class Overlap implements Cmd {
  constructor(
    readonly a: TagParams,
    readonly b: TagParams,
  ) {}
  check = () => true;
  private get shared() {
    return (this.a.partition?.index ?? -1) === (this.b.partition?.index ?? -1);
  }
  async run(model: PipelineModel, real: Systems) {
    const results = [];
    for (const s of real.systems) {
      const ta: string[] = [];
      const tb: string[] = [];
      let startB!: () => void;
      let bDone!: () => void;
      const aHoldsLease = new Promise<void>((resolve) => (startB = resolve));
      const bSettled = new Promise<void>((resolve) => (bDone = resolve));
      const a = s.tag(this.a, 'r1', 'A', ta, async () => {
        startB();
        if (this.shared) await bSettled;
      });
      if (this.shared) await Promise.race([aHoldsLease, a.catch(() => undefined)]);
      const b = s.tag(this.b, 'r1', 'B', tb).finally(bDone);
      const [ra, rb] = await Promise.allSettled([a, b]);
      expect(ra).toMatchObject({ status: 'fulfilled' });
      if (this.shared) expect(rb).toMatchObject({ status: 'rejected', reason: { code: 'task_busy' } });
      expect(ta.filter((t) => tb.includes(t))).toEqual([]); // never classified twice
      results.push({ system: s.name, a: ta.sort(), b: tb.sort() });
    }
    const a = applyTag(model, this.a, 'r1');
    const b = this.shared ? [] : applyTag(model, this.b, 'r1');
    for (const r of results) expect(r).toEqual({ system: r.system, a, b });
    model.clock += 1000;
  }
  toString = () => `overlap(${describeParams(this.a)}, ${describeParams(this.b)})`;
}

class Query implements Cmd {
  constructor(
    readonly filter: TweetFilter,
    readonly sort: TweetSort,
    readonly pageSize: number,
  ) {}
  check = () => true;
  async run(model: PipelineModel, real: Systems) {
    const expected = model.query(this.filter, this.sort).map((t) => t.id);
    for (const s of real.systems) {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages <= expected.length + 1; pages++) {
        const after = cursor ? decodeCursor(cursor) : undefined;
        const page = await s.store.search({ ...this.filter, limit: this.pageSize, sort: this.sort, after });
        expect(page.total).toBe(expected.length);
        seen.push(...page.items.map((t) => t.id));
        cursor = page.next_cursor;
        if (!cursor) break;
      }
      expect({ system: s.name, ids: seen }).toEqual({ system: s.name, ids: expected });
      const stats = await s.store.aggregate({ ...this.filter, interval: 'day', top: 5, emotionLangs: ['en'] });
      expect({ system: s.name, stats: stats.total }).toEqual({ system: s.name, stats: expected.length });
    }
  }
  toString = () => `query(${JSON.stringify(this.filter)}, ${this.sort}, page ${this.pageSize})`;
}

const commands = [
  fc
    .tuple(fc.uniqueArray(fc.nat(POOL - 1), { minLength: 1, maxLength: POOL }), fc.nat(3))
    .map(([ids, v]) => new Ingest(ids, v)),
  fc.tuple(tagParamsArb, fc.constantFrom('r1', 'r1', 'r2')).map(([p, r]) => new Tag(p, r)),
  fc
    .tuple(tagParamsArb, tagParamsArb, fc.boolean())
    .map(([a, b, split]) =>
      split
        ? new Overlap({ ...a, partition: { index: 0, count: 2 } }, { ...b, partition: { index: 1, count: 2 } })
        : new Overlap(a, { ...b, partition: a.partition }),
    ),
  fc
    .tuple(
      rangeArb,
      fc.option(fc.constantFrom('joy', 'neutral', 'anger') as fc.Arbitrary<'joy'>, { nil: undefined }),
      fc.option(fc.constantFrom('emotion', 'none') as fc.Arbitrary<'emotion'>, { nil: undefined }),
      fc.constantFrom<TweetSort>('newest', 'oldest', 'likes', 'retweets'),
      fc.integer({ min: 1, max: 7 }),
      fc.option(fc.constantFrom(0.5, 0.95), { nil: undefined }),
    )
    .map(
      ([range, emotion, tagged, sort, size, minScore]) =>
        new Query({ ...range, emotion, tagged, minScore }, sort, size),
    ),
];

type Pair = (model: PipelineModel) => Promise<{ systems: PipelineSystem[]; close: () => Promise<void> }>;

const memoryOnly: Pair = async (model) => {
  const memory = new InMemoryTweetStore();
  return { systems: [new PipelineSystem('memory', memory, memory, model)], close: async () => undefined };
};

/** Deletes every document (the integ-test distribution has no _delete_by_query); a run holds a few dozen. */
async function emptyIndices(indices: string[]) {
  const { hits } = await rawClient().search({ index: indices, size: 10_000, _source: false, query: { match_all: {} } });
  const operations = hits.hits.map((h) => ({ delete: { _index: h._index, _id: h._id } }));
  if (operations.length) await rawClient().bulk({ operations, refresh: true });
}

/** One index for every run (creating one per run would cost a second each): emptied before each run. */
const index = testIndex('model');
const memoryAndElasticsearch: Pair = async (model) => {
  const memory = new InMemoryTweetStore();
  const es = new ElasticsearchTweetStore(rawClient(), index);
  const esLeases = new ElasticsearchLeaseStore(rawClient(), `${index}-leases`);
  await es.ensureIndex();
  await esLeases.acquire('warm-up', { holder: 'model', description: 'creates the leases index' }, 1);
  await emptyIndices([index, `${index}-leases`]);
  const systems = [
    new PipelineSystem('memory', memory, memory, model),
    new PipelineSystem('elasticsearch', es, esLeases, model),
  ];
  return { systems, close: async () => undefined };
};

/** Random sequences on fresh systems; a counterexample shrinks for at most the time left of the budget. */
async function checkSequences(pair: Pair, runs: number, maxCommands: number, budgetMs: number) {
  process.stdout.write(`pipeline model test: FC_SEED=${SEED} FC_RUNS=${runs} (replay a failure with FC_PATH)\n`);
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands }), async (cmds) => {
      const model = new PipelineModel();
      const { systems, close } = await pair(model);
      try {
        await fc.asyncModelRun(() => ({ model, real: { model, systems } }), cmds);
      } finally {
        await close();
      }
    }),
    {
      seed: SEED,
      numRuns: runs,
      path: process.env.FC_PATH,
      interruptAfterTimeLimit: budgetMs,
      markInterruptAsFailure: false,
    },
  );
}

describe('pipeline state machine, held to a model', () => {
  afterAll(async () => {
    await deleteIndex(index);
    await rawClient().close();
  });

  it(
    `in-memory store: many sequences (seed ${SEED})`,
    () => checkSequences(memoryOnly, RUNS * 20, 30, 60_000),
    120_000,
  );

  it(
    `in-memory store and Elasticsearch give the same answers (seed ${SEED}, ${RUNS} runs)`,
    () => checkSequences(memoryAndElasticsearch, RUNS, 14, 120_000),
    180_000,
  );
});
