import fc from 'fast-check';
import type { Source } from '../../lib/domain';
import { ElasticsearchSourceStore, InMemorySourceStore, type SourceStore } from '../../lib/store';
import { rawClient } from '../support/es';
import { testIndex } from '../support/env';

/**
 * The two SourceStores held to one behaviour: random sequences of put (new or replacing), remove and get over
 * names with folders, spaces and accents; after every step both list the same sources in the same order.
 * Replay a failure with FC_SEED.
 */
const RUNS = Number(process.env.FC_RUNS ?? 8);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const NAMES = ['a.json', 'b.jsonl', 'uploads/upload-1.json.gz', 'daily/2026-01-02.json', 'café y más.json', 'Z.json'];

const sourceArb = fc.record({
  source: fc.constantFrom(...NAMES),
  size: fc.nat(1e9),
  mtime: fc.integer({ min: 0, max: 2e12 }).map((ms) => new Date(ms).toISOString()),
  sha256: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null }),
  format: fc.constantFrom('json-array' as const, 'json-lines' as const, null),
  compressed: fc.constantFrom(true, false, null),
  records: fc.nat(1e7),
  indexed: fc.nat(1e7),
  invalid: fc.nat(1e5),
  failed: fc.nat(1e5),
  status: fc.constantFrom('complete' as const, 'incomplete' as const, 'failed' as const),
  error: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
  first_ingest_at: fc.constant('2026-01-01T00:00:00.000Z'),
  last_ingest_at: fc.constant('2026-01-02T00:00:00.000Z'),
}) satisfies fc.Arbitrary<Source>;

const opArb = fc.oneof(
  { weight: 3, arbitrary: sourceArb.map((record) => ({ kind: 'put' as const, record })) },
  { weight: 1, arbitrary: fc.constantFrom(...NAMES).map((name) => ({ kind: 'remove' as const, name })) },
);

const index = testIndex('sources-prop');
afterAll(() => rawClient().indices.delete({ index: `${index}-*` }, { ignore: [404] }));

it(`both SourceStores answer alike (seed ${SEED})`, async () => {
  console.log(`sources property test: FC_SEED=${SEED}`);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
      const stores: SourceStore[] = [
        new InMemorySourceStore(),
        new ElasticsearchSourceStore(rawClient(), `${index}-${run++}`),
      ];
      for (const op of ops) {
        for (const s of stores) await (op.kind === 'put' ? s.put(op.record) : s.remove(op.name));
        const [memory, es] = await Promise.all(stores.map((s) => s.list()));
        expect(es).toEqual(memory);
        const name = op.kind === 'put' ? op.record.source : op.name;
        expect(await stores[1]!.get(name)).toEqual(await stores[0]!.get(name));
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
});
