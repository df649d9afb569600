import { classifySorted } from '../../lib/models/emotion';

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
