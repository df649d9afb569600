/**
 * "No tweet classified twice by overlapping calls", from what is observable:
 * - Elasticsearch bumps a document's `_version` on every write that changes it. Ingest writes version 1; a
 *   re-ingest of the same tweet changes nothing (a no-op, no bump); every classification writes a new
 *   `classified_at`, so it bumps. Σ(_version − 1) is therefore the number of classifications that happened, and it
 *   must equal the number the API reported (sync answers plus job progress). A write nobody counted (a retried
 *   slice, a worker that kept going after its job ended, two overlapping runs) breaks the equality.
 * - Tags are never removed, so a non-forced call (which selects only untagged tweets) can select each tweet at most
 *   once over the whole run: per task, non-forced classifications ≤ tagged tweets, and = when nothing was forced.
 */
import { Client } from '@elastic/elasticsearch';
import { statsSchema } from '../../../lib/domain';
import type { Invariant } from './final';
import type { TagTask } from './plan';
import type { Ctx } from './writes';

export interface EsTarget {
  url: string;
  index: string;
}

/** Σ(_version − 1) and the document count of the index, read with a scroll (any size). */
export async function versionBumps(es: EsTarget): Promise<{ bumps: number; docs: number }> {
  const client = new Client({ node: es.url });
  try {
    await client.indices.refresh({ index: es.index });
    let res = await client.search({ index: es.index, scroll: '1m', size: 2000, version: true, _source: false });
    let bumps = 0;
    let docs = 0;
    while (res.hits.hits.length) {
      for (const hit of res.hits.hits) bumps += hit._version! - 1;
      docs += res.hits.hits.length;
      res = await client.scroll({ scroll_id: res._scroll_id!, scroll: '1m' });
    }
    await client.clearScroll({ scroll_id: res._scroll_id! }).catch(() => undefined);
    return { bumps, docs };
  } finally {
    await client.close();
  }
}

/** `before`: the bumps already there when the run started (an index the client did not start empty). */
export async function versionInvariant(ctx: Ctx, es: EsTarget | undefined, before: number): Promise<Invariant> {
  const name = 'Σ(_version − 1) = classifications the API reported (no uncounted or repeated write)';
  if (!es) return { name, ok: true, detail: 'not checked (no Elasticsearch given)' };
  const { bumps, docs } = await versionBumps(es);
  const { emotion, stance } = ctx.state.classified;
  const reported = emotion.all + stance.all;
  const detail = `${docs} documents, ${bumps - before} version bumps in this run, ${reported} classifications reported`;
  return { name, ok: bumps - before === reported, detail };
}

/** Tweets tagged per task, from /stats without filters. */
export async function taggedCounts(ctx: Ctx): Promise<Record<TagTask, number> | undefined> {
  const res = await ctx.client.call('GET', '/stats', undefined, { ok: [200], schema: statsSchema });
  return res?.json.tagged;
}

/** `before`: tweets tagged when the run started. Each non-forced classification tags one more tweet. */
export async function unforcedInvariant(ctx: Ctx, task: TagTask, before: number): Promise<Invariant> {
  const tagged = (await taggedCounts(ctx))?.[task];
  const newly = tagged === undefined ? undefined : tagged - before;
  const { all, unforced } = ctx.state.classified[task];
  const ok = newly !== undefined && (all === unforced ? unforced === newly : unforced <= newly);
  return {
    name: `${task}: non-forced classifications ${all === unforced ? '=' : '≤'} tweets newly tagged`,
    ok,
    detail: `non-forced ${unforced}, all ${all}, newly tagged ${newly}`,
  };
}
