import type { LeaseHolder, LeaseStore, ReindexSummary } from '../store';
import { takeLease, type HeldLease } from './leases';
import { tagLeaseName } from './tag';

/** Every writer of the tweets index holds one of these (a job holds its task's, across its partitions). */
const WRITER_LEASES = ['ingest', tagLeaseName('emotion'), tagLeaseName('stance')];

export interface ReindexDeps {
  leases: LeaseStore;
  who: LeaseHolder;
  /** The copy and alias swap; `onProgress` is called while it copies. */
  reindex: (onProgress: (copied: number, total: number) => Promise<void>) => Promise<ReindexSummary>;
  onProgress?: (copied: number, total: number) => void;
}

/**
 * Reindexes with every writer kept out: takes the ingest and tagging leases first (409 naming the run that holds
 * one), renews them while the copy runs, releases them after. So no tweet or tag is written to the old index
 * after it was copied.
 */
export async function reindexTweets(deps: ReindexDeps): Promise<ReindexSummary> {
  const held: HeldLease[] = [];
  try {
    for (const name of WRITER_LEASES) held.push(await takeLease(deps.leases, name, deps.who));
    return await deps.reindex(async (copied, total) => {
      deps.onProgress?.(copied, total);
      for (const lease of held) await lease.renew();
    });
  } finally {
    await Promise.all(held.map((lease) => lease.release().catch(() => undefined)));
  }
}
