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

/** The items of one `_bulk`: their ids (to report failures) and the NDJSON body of any of them (to retry some). */
export interface BulkItems {
  ids: readonly string[];
  body(positions: readonly number[]): string | Buffer;
}

const updateAction = (id: string) => `{"update":{"_id":${JSON.stringify(id)},"retry_on_conflict":3}}\n`;

/** `update` actions with object bodies (results, partial documents). */
export function updateItems(updates: readonly BulkUpdate[]): BulkItems {
  return {
    ids: updates.map((u) => u.id),
    body: (positions) =>
      positions.map((i) => `${updateAction(updates[i]!.id)}${JSON.stringify(updates[i]!.body)}\n`).join(''),
  };
}

const UPSERT_END = Buffer.from(',"doc_as_upsert":true}\n');
const CREATE_END = Buffer.from('\n'); // the document's own brace closes it

/** Writes documents that are already JSON (`{...}` bytes) into one body without parsing them. */
function jsonDocsBody(
  docs: readonly Uint8Array[],
  positions: readonly number[],
  head: (i: number) => string,
  end: Buffer,
): Buffer {
  const heads = positions.map(head);
  let size = 0;
  positions.forEach((i, k) => (size += Buffer.byteLength(heads[k]!) + docs[i]!.length - 1 + end.length));
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  positions.forEach((i, k) => {
    at += out.write(heads[k]!, at);
    out.set(docs[i]!.subarray(1), at); // the document without its opening brace: the head opened it
    at += docs[i]!.length - 1;
    at += end.copy(out, at);
  });
  return out;
}

/**
 * JSON documents as bulk items. `upsert`: `update` + `{"doc":{<extra>,...fields},"doc_as_upsert":true}` (fields
 * stored before and not in the document, such as tags, are kept). `create`: the document as it is, refused (409,
 * reported as a conflict) when its id exists; cheaper for the node, which need not read and merge the old one.
 * `extra(i)` is the store's own fields as JSON members (e.g. `"bucket":12`).
 */
export function jsonDocItems(
  mode: 'upsert' | 'create',
  ids: readonly string[],
  docs: readonly Uint8Array[],
  extra: (i: number) => string,
): BulkItems {
  const upsertHead = (i: number) => `${updateAction(ids[i]!)}{"doc":{${extra(i)},`;
  const createHead = (i: number) => `{"create":{"_id":${JSON.stringify(ids[i]!)}}}\n{${extra(i)},`;
  return {
    ids,
    body: (positions) =>
      mode === 'upsert'
        ? jsonDocsBody(docs, positions, upsertHead, UPSERT_END)
        : jsonDocsBody(docs, positions, createHead, CREATE_END),
  };
}

export interface BulkWriteResult extends WriteResult {
  /** Positions of `create` items refused because the id exists (not failures: the caller upserts them). */
  conflicts: number[];
}

/**
 * One `_bulk` (safe to repeat: upserts, partial updates of the same values, creates that answer 409 the second
 * time). The request is retried while the cluster cannot answer (a node died, 429/503); items it pushes back
 * (429/503) are sent again with back-off; other item errors are reported per id, never thrown. What still fails
 * after the last attempt throws (the caller answers 503) or is reported: never dropped. `positions` picks some
 * items only.
 */
export async function bulkUpdate(
  client: Client,
  index: string,
  items: BulkItems,
  policy: BulkPolicy,
  positions: readonly number[] = items.ids.map((_, i) => i),
): Promise<BulkWriteResult> {
  const result: BulkWriteResult = { written: 0, failed: [], conflicts: [] };
  let pending = positions;
  for (let attempt = 1; pending.length > 0; attempt++) {
    // A prebuilt NDJSON body goes out as is (the client serialises only arrays); its types know only arrays.
    const operations = items.body(pending) as unknown as unknown[];
    const response = await withRetry(
      'bulk',
      () => client.bulk({ index, operations, filter_path: 'errors,items.*.error,items.*.status' }),
      policy,
    );
    const retry: number[] = [];
    if (!response.errors) result.written += pending.length;
    else
      response.items.forEach((item, k) => {
        const [op, outcome] = Object.entries(item)[0]!;
        const position = pending[k]!;
        if (!outcome.error) result.written++;
        else if (op === 'create' && outcome.status === 409) result.conflicts.push(position);
        else if (RETRYABLE_ITEM_STATUS.has(outcome.status) && attempt < policy.attempts) retry.push(position);
        else {
          const reason = `${outcome.error.type}: ${outcome.error.reason ?? 'no reason given'}`;
          result.failed.push({ id: items.ids[position]!, reason });
        }
      });
    pending = retry;
    if (pending.length) await sleep(backoff(policy, attempt));
  }
  return result;
}
