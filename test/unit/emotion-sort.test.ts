import fc from 'fast-check';
import { classifySorted } from '../../lib/models/emotion';
import { lengthBatches } from '../../lib/models/length-batches';

describe('classifySorted: batches of similar length, results in the caller order', () => {
  it('runs texts shortest first, batchSize at a time, and puts each result back in place', async () => {
    const calls: string[][] = [];
    const texts = ['ccc', 'a', 'eeeee', 'bb', 'dddd'];
    const out = await classifySorted(texts, 2, async (batch) => {
      calls.push(batch);
      return batch.map((t) => t.toUpperCase());
    });
    expect(calls).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(out).toEqual(['CCC', 'A', 'EEEEE', 'BB', 'DDDD']);
  });

  it('returns an empty list for no texts without calling the model', async () => {
    const run = jest.fn();
    expect(await classifySorted([], 8, run)).toEqual([]);
    expect(run).not.toHaveBeenCalled();
  });

  it('orders by the given length (tokens) rather than characters', async () => {
    const calls: string[][] = [];
    const words = (t: string) => t.split(' ').length;
    await classifySorted(['a b c', 'looooooong', 'x y'], 1, async (b) => (calls.push(b), b), words);
    expect(calls.flat()).toEqual(['looooooong', 'x y', 'a b c']);
  });
});

describe('lengthBatches: a padded-token budget per run', () => {
  const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);

  it('keeps long texts in small runs and lets short ones fill larger ones', () => {
    const lengths = [100, 10, 10, 10, 10, 10, 100, 100, 10];
    expect(lengthBatches(lengths, { maxItems: 8, maxTokens: 200 })).toEqual([[1, 2, 3, 4, 5, 8], [0, 6], [7]]);
    expect(lengthBatches(lengths, { maxItems: 4, maxTokens: 0 })).toEqual([[1, 2, 3, 4], [5, 8, 0, 6], [7]]);
    expect(lengthBatches([600], { maxItems: 8, maxTokens: 100 })).toEqual([[0]]); // over the budget alone: still runs
  });

  it(`partitions every text into sorted runs within both limits, each as full as the limits allow (seed ${SEED})`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 512 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 4096 }),
        (lengths, maxItems, maxTokens) => {
          const runs = lengthBatches(lengths, { maxItems, maxTokens });
          expect(runs.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
          const sorted = runs.flat().map((i) => lengths[i]!);
          expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
          runs.forEach((run, k) => {
            const padded = run.length * Math.max(...run.map((i) => lengths[i]!));
            expect(run.length).toBeLessThanOrEqual(maxItems);
            if (run.length > 1 && maxTokens > 0) expect(padded).toBeLessThanOrEqual(maxTokens);
            const next = runs[k + 1]?.[0];
            if (next === undefined) return;
            const grown = (run.length + 1) * lengths[next]!; // the next text did not fit
            expect(run.length >= maxItems || (maxTokens > 0 && grown > maxTokens)).toBe(true);
          });
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
