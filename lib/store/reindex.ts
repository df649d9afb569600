import type { Client, estypes } from '@elastic/elasticsearch';
import { NotFoundError } from '../errors';
import { createIndex, settingsOf, waitUntilUsable, type IndexLayout } from './indices';
import { withRetry } from './retry';
import { generationName, locateTweets } from './tweets-index';

export interface ReindexSummary {
  alias: string;
  from: string;
  to: string;
  /** Documents in the old index, and copied into the new one (always equal, or the alias is not moved). */
  docs: number;
  copied: number;
  old_index: 'deleted' | 'kept';
  took_ms: number;
}

export interface ReindexOptions {
  layout: IndexLayout;
  /** Keep the old index after the swap (to compare, or to go back by moving the alias). */
  keepOld?: boolean;
  /** Called after every page copied (2000 documents). */
  onProgress?: (copied: number, total: number) => void | Promise<void>;
}

/** The generation after `concrete`: tweets-000001 → tweets-000002; a concrete index without one → tweets-000001. */
export function nextGeneration(alias: string, concrete: string): string {
  const n = concrete === alias ? 0 : Number(/-(\d{6})$/.exec(concrete)?.[1] ?? 0);
  return generationName(alias, n + 1);
}

/**
 * Copies every document by scroll + bulk `create` (same ids), reporting progress, and returns how many it created.
 * Not the server's `_reindex`: that lives in the reindex module, which not every distribution ships (the
 * Maven Central one the tests use has none); this works against any Elasticsearch 8.
 */
async function copyAll(client: Client, from: string, to: string, options: ReindexOptions): Promise<number> {
  const total = (await client.count({ index: from })).count;
  let created = 0;
  let page = await withRetry('reindex scroll', () =>
    client.search({ index: from, scroll: '5m', size: 2000, sort: ['_doc'] }),
  );
  try {
    while (page.hits.hits.length) {
      const operations = page.hits.hits.flatMap((h) => [{ create: { _index: to, _id: h._id } }, h._source]);
      const r = await withRetry('reindex bulk', () => client.bulk({ operations, filter_path: 'items.*.error' }));
      const failed = (r.items ?? []).map((i) => Object.values(i)[0]?.error).filter(Boolean);
      if (failed.length) {
        throw new Error(
          `Reindex ${from} → ${to}: ${failed.length} documents refused (${to} is left for inspection; the alias did not move): ${JSON.stringify(failed[0]).slice(0, 400)}`,
        );
      }
      created += page.hits.hits.length;
      await options.onProgress?.(created, total);
      const scrollId = page._scroll_id!;
      page = await withRetry('reindex scroll', () => client.scroll({ scroll_id: scrollId, scroll: '5m' }));
    }
  } finally {
    if (page._scroll_id) await client.clearScroll({ scroll_id: page._scroll_id }).catch(() => undefined);
  }
  return created;
}

/** One atomic alias change: readers and writers go from the old index to the new one at once. */
function swapActions(alias: string, from: string, to: string, legacy: boolean): estypes.IndicesUpdateAliasesAction[] {
  const add = { add: { index: to, alias, is_write_index: true } };
  // A concrete index under the alias's name must go in the same call, or the alias could not take the name.
  return legacy ? [{ remove_index: { index: from } }, add] : [{ remove: { index: from, alias } }, add];
}

/**
 * Copies the index behind `alias` into its next generation, created with the code's `mappings` (and the old
 * index's `_meta`: the ingested files' fingerprints), checks the counts, then moves the alias in one step and
 * deletes the old index. For a change put mapping cannot make (a field's type), and to put an earlier version's
 * concrete `tweets` index behind the alias. Writers must be stopped meanwhile (the caller holds their leases).
 */
export async function reindexBehindAlias(
  client: Client,
  alias: string,
  mappings: estypes.MappingTypeMapping,
  options: ReindexOptions,
): Promise<ReindexSummary> {
  const t0 = performance.now();
  const from = await locateTweets(client, alias);
  if (!from) throw new NotFoundError(`No index or alias named ${alias}: nothing to reindex.`);
  const to = nextGeneration(alias, from.concrete);
  const meta = Object.values(await client.indices.getMapping({ index: from.concrete }))[0]?.mappings._meta;
  await client.indices.refresh({ index: from.concrete });
  const docs = (await client.count({ index: from.concrete })).count;
  await createIndex(client, to, {
    mappings: { ...mappings, ...(meta ? { _meta: meta } : {}) },
    settings: { ...settingsOf(options.layout), refresh_interval: '-1' },
  });
  await waitUntilUsable(client, to);
  const copied = await copyAll(client, from.concrete, to, options);
  await client.indices.putSettings({ index: to, settings: { refresh_interval: null as unknown as string } });
  await client.indices.refresh({ index: to });
  const inNew = (await client.count({ index: to })).count;
  if (inNew !== docs || copied !== docs) {
    throw new Error(`Reindex ${from.concrete} → ${to}: ${docs} documents, ${inNew} copied; the alias did not move.`);
  }
  await client.indices.updateAliases({ actions: swapActions(alias, from.concrete, to, from.legacy) });
  const keep = options.keepOld === true && !from.legacy; // a legacy index is removed by the swap itself
  if (!keep && !from.legacy) await client.indices.delete({ index: from.concrete });
  return {
    alias,
    from: from.concrete,
    to,
    docs,
    copied,
    old_index: keep ? 'kept' : 'deleted',
    took_ms: Math.round(performance.now() - t0),
  };
}
