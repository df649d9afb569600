/** How texts are grouped into one model run. */
export interface BatchLimits {
  /** Texts per run, at most. */
  maxItems: number;
  /** Padded tokens per run, at most (its texts × the longest of them); 0: no budget. A text alone always runs. */
  maxTokens: number;
}

/**
 * Positions of `lengths` cut into runs. A run is padded to its longest text, so texts go in order of length
 * (a run pads little); a token budget then keeps long texts in small runs, whose cost grows with the padded
 * size rather than the count, and lets short ones fill larger runs.
 */
export function lengthBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]!);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    const padded = (current.length + 1) * lengths[i]!; // sorted: text i is the longest of the run so far
    const full = current.length >= limits.maxItems || (limits.maxTokens > 0 && padded > limits.maxTokens);
    if (current.length > 0 && full) {
      batches.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length) batches.push(current);
  return batches;
}
