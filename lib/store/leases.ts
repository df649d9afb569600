import { errors, type Client } from '@elastic/elasticsearch';
import { indexOnce, SINGLE_NODE, type IndexLayout } from './indices';
import { LEASES_MAPPING } from './mapping';
import { withRetry } from './retry';
import type { Lease, LeaseHolder, LeaseStore } from './types';

const keyOf = (name: string, holder: string) => `${name}\u0000${holder}`;
const isStatus = (error: unknown, status: number) =>
  error instanceof errors.ResponseError && error.statusCode === status;

/**
 * Leases as documents of their own index. Creation is atomic (`op_type: create`); take-over of an expired
 * lease and renewal are compare-and-set on the document's sequence number, so two callers never both win.
 */
export class ElasticsearchLeaseStore implements LeaseStore {
  private readonly ensureIndex: () => Promise<void>;
  private readonly seq = new Map<string, { if_seq_no: number; if_primary_term: number }>();
  /** Releases that failed (the node was down): retried before the next acquire, so a retry is not refused by its own dead run. */
  private readonly unreleased = new Map<string, string>();

  constructor(
    private readonly client: Client,
    readonly index: string,
    private readonly now: () => number = Date.now,
    layout: IndexLayout = SINGLE_NODE,
  ) {
    this.ensureIndex = indexOnce(client, index, LEASES_MAPPING, layout);
  }

  /** The lease as stored, with its version; retried while the cluster heals. */
  private read(name: string) {
    return withRetry('lease read', () =>
      this.client.get<Lease>({ index: this.index, id: name }).catch((e) => {
        if (isStatus(e, 404)) return undefined;
        throw e;
      }),
    );
  }

  private lease(name: string, who: LeaseHolder, ttlMs: number): Lease {
    const now = this.now();
    return { name, ...who, acquired_at: new Date(now).toISOString(), expires_at: new Date(now + ttlMs).toISOString() };
  }

  async acquire(name: string, who: LeaseHolder, ttlMs: number): ReturnType<LeaseStore['acquire']> {
    await this.ensureIndex();
    const stale = this.unreleased.get(name);
    if (stale !== undefined) await this.release(name, stale);
    const lease = this.lease(name, who, ttlMs);
    try {
      // A create repeated after a lost answer meets its own lease (409): taken again below as its holder.
      const r = await withRetry('lease create', () =>
        this.client.index({ index: this.index, id: name, document: lease, op_type: 'create', refresh: false }),
      );
      this.seq.set(keyOf(name, lease.holder), { if_seq_no: r._seq_no!, if_primary_term: r._primary_term! });
      return { acquired: true as const, lease };
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
    }
    const current = await this.read(name);
    if (!current) return this.acquire(name, who, ttlMs); // released in between: try once more
    const live = Date.parse(current._source!.expires_at) > this.now();
    // The same holder may take its own lease again (a job's next worker invocation); anyone else waits for expiry.
    if (live && current._source!.holder !== who.holder) return { acquired: false as const, heldBy: current._source! };
    return this.takeOver(name, lease, { if_seq_no: current._seq_no!, if_primary_term: current._primary_term! });
  }

  private async takeOver(name: string, lease: Lease, expected: { if_seq_no: number; if_primary_term: number }) {
    try {
      const r = await withRetry('lease take-over', () =>
        this.client.index({ index: this.index, id: name, document: lease, ...expected }),
      );
      this.seq.set(keyOf(name, lease.holder), { if_seq_no: r._seq_no!, if_primary_term: r._primary_term! });
      return { acquired: true as const, lease };
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
      const winner = await this.read(name);
      if (!winner) return this.acquire(name, lease, Date.parse(lease.expires_at) - Date.parse(lease.acquired_at));
      // Ours after all: the take-over landed, its answer was lost and the client's repeat met it.
      if (winner._source!.holder === lease.holder && winner._source!.expires_at === lease.expires_at) {
        this.seq.set(keyOf(name, lease.holder), { if_seq_no: winner._seq_no!, if_primary_term: winner._primary_term! });
        return { acquired: true as const, lease };
      }
      return { acquired: false as const, heldBy: winner._source! };
    }
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const key = keyOf(name, holder);
    const expected = this.seq.get(key) ?? (await this.heldBy(name, holder));
    if (!expected) return false;
    const expires_at = new Date(this.now() + ttlMs).toISOString();
    try {
      const r = await withRetry('lease renew', () =>
        this.client.update({ index: this.index, id: name, doc: { expires_at }, ...expected }),
      );
      this.seq.set(key, { if_seq_no: r._seq_no!, if_primary_term: r._primary_term! });
      return true;
    } catch (error) {
      // The node died after writing and before answering (the client then sent it again: 409): did ours land?
      if (isStatus(error, 404)) return false;
      return this.renewedAnyway(name, holder, expires_at, error);
    }
  }

  private async renewedAnyway(name: string, holder: string, expiresAt: string, error: unknown): Promise<boolean> {
    const current = await this.read(name);
    const ours = current?._source?.holder === holder && current._source.expires_at === expiresAt;
    if (ours)
      this.seq.set(keyOf(name, holder), { if_seq_no: current._seq_no!, if_primary_term: current._primary_term! });
    if (ours || isStatus(error, 409)) return ours;
    throw error;
  }

  /** The lease's sequence numbers when `holder` has it (another process of the same holder, e.g. a re-invoked worker). */
  private async heldBy(name: string, holder: string) {
    await this.ensureIndex();
    const current = await this.read(name);
    if (current?._source?.holder !== holder) return undefined;
    return { if_seq_no: current._seq_no!, if_primary_term: current._primary_term! };
  }

  async release(name: string, holder: string): Promise<void> {
    const key = keyOf(name, holder);
    try {
      const cached = this.seq.get(key);
      const deleted = cached && (await this.deleteIf(name, cached));
      // Not cached, or stale: another process of the same holder (a job's other invocation) re-took it since.
      const expected = deleted ? undefined : await this.heldBy(name, holder);
      if (expected)
        await withRetry('lease release', () => this.client.delete({ index: this.index, id: name, ...expected }));
    } catch (error) {
      if (!isStatus(error, 409) && !isStatus(error, 404)) {
        this.unreleased.set(name, holder);
        throw error;
      }
      // 409/404: someone else's now, or gone: leave it
    }
    this.seq.delete(key);
    this.unreleased.delete(name);
  }

  /** Deletes the lease at exactly this version; false when it changed since (someone else wrote it). */
  private async deleteIf(name: string, expected: { if_seq_no: number; if_primary_term: number }): Promise<boolean> {
    try {
      await withRetry('lease release', () => this.client.delete({ index: this.index, id: name, ...expected }));
      return true;
    } catch (error) {
      if (isStatus(error, 409)) return false;
      throw error;
    }
  }
}
