import type { Client } from '@elastic/elasticsearch';
import { backoff, withRetry, type RetryPolicy } from './retry';
import type { WriteResult } from './types';

const RETRYABLE_ITEM_STATUS = new Set([429, 503]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BulkUpdate {
  id: string;
  /** The partial document or upsert body of an `update` action. */
  body: Record<string, unknown>;
}

export type BulkPolicy = RetryPolicy;

/**
 * One `_bulk` of `update` actions (safe to repeat: upserts and partial updates of the same values). The request
 * is retried while the cluster cannot answer (a node died, 429/503); items it pushes back (429/503) are sent
 * again with back-off; other item errors are reported per id, never thrown. What still fails after the last
 * attempt throws (the caller answers 503) or is reported: never dropped.
 */
export async function bulkUpdate(
  client: Client,
  index: string,
  updates: BulkUpdate[],
  policy: BulkPolicy,
): Promise<WriteResult> {
  const result: WriteResult = { written: 0, failed: [] };
  let pending = updates;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const operations = pending.flatMap((u) => [{ update: { _index: index, _id: u.id, retry_on_conflict: 3 } }, u.body]);
    const response = await withRetry(
      'bulk',
      () => client.bulk({ operations, filter_path: 'items.*.error,items.*.status' }),
      policy,
    );
    const retry: BulkUpdate[] = [];
    response.items.forEach((item, i) => {
      const op = Object.values(item)[0]!;
      const update = pending[i]!;
      if (!op.error) result.written++;
      else if (RETRYABLE_ITEM_STATUS.has(op.status) && attempt < policy.attempts) retry.push(update);
      else result.failed.push({ id: update.id, reason: `${op.error.type}: ${op.error.reason ?? 'no reason given'}` });
    });
    pending = retry;
    if (pending.length) await sleep(backoff(policy, attempt));
  }
  return result;
}
