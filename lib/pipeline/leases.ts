import { TaskBusyError } from '../errors';
import type { LeaseHolder, LeaseStore } from '../store';

/** How long a lease lives without renewal: a few batches of the slowest model. A dead holder blocks no longer. */
export const LEASE_TTL_MS = 60_000;

export interface HeldLease {
  /** Extends the lease; throws when it was lost (expired and taken over), so the holder stops. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/** Takes the named lease or throws 409 task_busy naming the run that holds it. */
export async function takeLease(
  leases: LeaseStore,
  name: string,
  who: LeaseHolder,
  ttlMs = LEASE_TTL_MS,
): Promise<HeldLease> {
  const got = await leases.acquire(name, who, ttlMs);
  if (!got.acquired) throw new TaskBusyError(name, got.heldBy);
  let renewedAt = Date.now();
  return {
    renew: async () => {
      if (Date.now() - renewedAt < ttlMs / 6) return; // renewing every batch would double the writes of a fast model
      if (!(await leases.renew(name, who.holder, ttlMs))) {
        throw new TaskBusyError(name, { ...got.lease, description: `lease lost: ${got.lease.description}` });
      }
      renewedAt = Date.now();
    },
    release: () => leases.release(name, who.holder),
  };
}
