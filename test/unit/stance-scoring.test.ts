import { classifyOnPool, labelFromProbabilities } from '../../lib/models/stance';

describe('stance label from the three continuation probabilities', () => {
  it('normalises to a probability and picks the most likely label', () => {
    const r = labelFromProbabilities({ SUPPORT: 0.02, OPPOSE: 0.06, NEUTRAL: 0.02 });
    expect(r.label).toBe('OPPOSE');
    expect(r.score).toBeCloseTo(0.6, 10);
    expect(r.scores.SUPPORT + r.scores.OPPOSE + r.scores.NEUTRAL).toBeCloseTo(1, 10);
  });

  it.each([
    [{ SUPPORT: 0, OPPOSE: 0, NEUTRAL: 0 }],
    [{ SUPPORT: NaN, OPPOSE: NaN, NEUTRAL: NaN }],
    [{ SUPPORT: -1, OPPOSE: Infinity, NEUTRAL: 0 }],
  ])('turns garbage %j into a valid, uniform answer', (raw) => {
    expect(labelFromProbabilities(raw)).toEqual({
      label: 'SUPPORT',
      score: 1 / 3,
      scores: { SUPPORT: 1 / 3, OPPOSE: 1 / 3, NEUTRAL: 1 / 3 },
    });
  });

  it('breaks exact ties the same way every time', () => {
    expect(labelFromProbabilities({ SUPPORT: 0.1, OPPOSE: 0.4, NEUTRAL: 0.4 }).label).toBe('OPPOSE');
  });
});

describe('classifying over a pool of sequences', () => {
  it('keeps the input order, spreads texts over the sequences, and isolates a model that throws', async () => {
    const used: string[] = [];
    const reset: string[] = [];
    const results = await classifyOnPool(
      ['seq-a', 'seq-b'],
      ['one', 'boom', 'three', 'four'],
      async (seq, text) => {
        used.push(seq);
        await new Promise((r) => setTimeout(r, text === 'one' ? 20 : 1));
        if (text === 'boom') throw new Error('llama_decode returned -1');
        return text.toUpperCase();
      },
      async (seq) => {
        reset.push(seq);
      },
    );
    expect(results).toEqual(['ONE', { error: 'stance model failed: llama_decode returned -1' }, 'THREE', 'FOUR']);
    expect(new Set(used)).toEqual(new Set(['seq-a', 'seq-b']));
    expect(reset).toEqual(['seq-b']);
  });
});
