import type { Client } from '@elastic/elasticsearch';
import type { WriteResult } from './types';

const RETRYABLE_ITEM_STATUS = new Set([429, 503]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BulkUpdate {
  id: string;
  /** The partial document or upsert body of an `update` action. */
  body: Record<string, unknown>;
}

export interface BulkOptions {
  /** Attempts for items answered 429/503 (the first try included). */
  attempts: number;
  /** First back-off delay; doubles each attempt. */
  backoffMs: number;
  /** Per bulk request (longer than the client's default for other requests); undefined = the client's. */
  requestTimeoutMs?: number;
}

/**
 * One `_bulk` of `update` actions. Items the node pushes back (429/503) are retried with back-off; other item
 * errors are reported per id, never thrown. A node that is down throws (the caller answers 503).
 */
export async function bulkUpdate(
  client: Client,
  index: string,
  updates: BulkUpdate[],
  options: BulkOptions,
): Promise<WriteResult> {
  const result: WriteResult = { written: 0, failed: [] };
  let pending = updates;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const operations = pending.flatMap((u) => [{ update: { _index: index, _id: u.id, retry_on_conflict: 3 } }, u.body]);
    const response = await client.bulk(
      { operations, filter_path: 'items.*.error,items.*.status' },
      { requestTimeout: options.requestTimeoutMs },
    );
    const retry: BulkUpdate[] = [];
    response.items.forEach((item, i) => {
      const op = Object.values(item)[0]!;
      const update = pending[i]!;
      if (!op.error) result.written++;
      else if (RETRYABLE_ITEM_STATUS.has(op.status) && attempt < options.attempts) retry.push(update);
      else result.failed.push({ id: update.id, reason: `${op.error.type}: ${op.error.reason ?? 'no reason given'}` });
    });
    pending = retry;
    if (pending.length) await sleep(options.backoffMs * 2 ** (attempt - 1));
  }
  return result;
}
