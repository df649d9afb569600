import type { Job, JobPart } from '../../domain';

/**
 * A tagging job's `limit` is split over its partitions, and the split follows the tweets: partitions are slices of
 * an id hash, so they hold unequal numbers of untagged tweets. A partition that runs out before its share gives what
 * it did not use to one that may still have tweets. The shares always add up to the job's limit.
 */

/** Partition `index` of `count` starts with an equal share of the limit (the first ones one more). */
export const shareOf = (limit: number, index: number, count: number) =>
  Math.floor(limit / count) + (index < limit % count ? 1 : 0);

/**
 * After `donor`'s slice: when it is done with tweets of its share unused because none are left, that spare goes to
 * a partition still at work (it reads its limit when its slice ends) or else to one that stopped at its share with
 * tweets left, which goes back to `queued` to run again.
 */
export function passOnShare(partitions: JobPart[], donorIndex: number): JobPart[] {
  const donor = partitions.find((p) => p.index === donorIndex);
  const spare = donor ? donor.limit - donor.done : 0;
  if (!donor || donor.status !== 'done' || donor.remaining !== 0 || spare <= 0) return partitions;
  const taker =
    partitions.find((p) => p.status !== 'done') ??
    partitions.find((p) => p.status === 'done' && (p.remaining ?? 0) > 0);
  if (!taker) return partitions;
  return partitions.map((p): JobPart => {
    if (p.index === donor.index) return { ...p, limit: p.done };
    if (p.index !== taker.index) return p;
    return { ...p, limit: p.limit + spare, ...(p.status === 'done' ? { status: 'queued' as const } : {}) };
  });
}

/** The partitions a change took from `done` back to `queued`: their worker has to be invoked again. */
export const reopenedParts = (before: Job, after: Job): number[] =>
  after.partitions
    .filter((p) => p.status === 'queued' && before.partitions.find((b) => b.index === p.index)?.status === 'done')
    .map((p) => p.index);
