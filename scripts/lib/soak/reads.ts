/**
 * The random client's reads: /tweets pages (each item matches the filter, in the sort's order, never twice),
 * full scans (each matching tweet exactly once, as many as total and as /stats says), /stats, and the exports.
 */
import { statsSchema, tweetPageSchema, type TweetDocument, type TweetSort } from '../../../lib/domain';
import { toFilter } from '../../../lib/http/filters';
import { tweetsQuery } from '../../../lib/http/schemas';
import { compareForSort, matchesFilter } from '../../../lib/store/memory-filter';
import type { Answer } from './client';
import type { Filter, Action } from './plan';
import { qs } from './state';
import type { Ctx } from './writes';

type Of<K extends Action['kind']> = Extract<Action, { kind: K }>;
type Page = { items: TweetDocument[]; total: number; next_cursor: string | null };

/** Filters whose matches do not move while tagging runs (no label, tagged or score condition). */
export const isStable = (f: Filter) =>
  f.emotion === undefined && f.stance === undefined && f.tagged === undefined && f.min_score === undefined;

/** Each item matches the filter (as the in-memory store, the reference, reads it) and follows the sort. */
function checkItems(ctx: Ctx, call: string, sort: TweetSort, filter: Filter, items: TweetDocument[]): void {
  const parsed = tweetsQuery.safeParse({ ...filter, min_score: filter.min_score?.toString() });
  if (!parsed.success) return ctx.client.tally.violation(call, `the client's own filter does not parse`);
  const storeFilter = toFilter(parsed.data);
  const stray = items.find((d) => !matchesFilter(d, storeFilter));
  if (stray) ctx.client.tally.violation(call, `tweet ${stray.id} does not match the filter: ${JSON.stringify(stray)}`);
  const cmp = compareForSort(sort);
  const i = items.findIndex((d, k) => k > 0 && cmp(items[k - 1]!, d) >= 0);
  if (i > 0) ctx.client.tally.violation(call, `sort=${sort}: ${items[i - 1]!.id} before ${items[i]!.id}`);
}

/** Pages through /tweets (at most `maxPages`), checking every page; answers the ids seen and the last total. */
async function pages(ctx: Ctx, sort: TweetSort, filter: Filter, limit: number, maxPages: number) {
  const ids: string[] = [];
  let total: number | undefined;
  let cursor: string | undefined;
  let last: TweetDocument | undefined;
  for (let n = 0; n < maxPages; n++) {
    const path = `/tweets${qs({ ...filter, sort, limit, cursor })}`;
    const res = await ctx.client.call('GET', path, undefined, { ok: [200], schema: tweetPageSchema });
    if (!res) return undefined;
    const page: Page = res.json;
    if (page.items.length > limit) ctx.client.tally.violation(path, `${page.items.length} items > limit ${limit}`);
    checkItems(ctx, path, sort, filter, last ? [last, ...page.items] : page.items);
    ids.push(...page.items.map((d) => d.id));
    total = page.total;
    last = page.items.at(-1) ?? last;
    if (!page.next_cursor) return { ids, total, complete: true };
    cursor = page.next_cursor;
  }
  return { ids, total, complete: false };
}

const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

export async function page(ctx: Ctx, a: Of<'page'>): Promise<void> {
  const seen = await pages(ctx, a.sort, a.filter, a.limit, a.pages);
  if (!seen) return;
  const twice = duplicates(seen.ids);
  if (twice.length) ctx.client.tally.violation(`/tweets sort=${a.sort}`, `tweets seen twice: ${twice.slice(0, 5)}`);
}

/**
 * Every page of a filter: each matching tweet exactly once, as many as `total`, and /stats counts the same.
 * With a stable filter this holds while tagging runs; the final checks run it on every filter, quiescent.
 */
export async function scan(ctx: Ctx, sort: TweetSort, filter: Filter, limit: number): Promise<Set<string> | undefined> {
  const seen = await pages(ctx, sort, filter, limit, 1000);
  if (!seen) return undefined;
  const call = `scan /tweets${qs({ ...filter, sort, limit })}`;
  const twice = duplicates(seen.ids);
  if (twice.length) ctx.client.tally.violation(call, `${twice.length} tweets visited twice: ${twice.slice(0, 5)}`);
  if (!seen.complete || seen.ids.length !== seen.total) {
    ctx.client.tally.violation(call, `visited ${seen.ids.length} tweets, total says ${seen.total}`);
  }
  const stats = await ctx.client.call('GET', `/stats${qs(filter)}`, undefined, { ok: [200], schema: statsSchema });
  if (stats && stats.json.total !== seen.total) {
    ctx.client.tally.violation(call, `/stats total ${stats.json.total} ≠ /tweets total ${seen.total}`);
  }
  return new Set(seen.ids);
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** One /stats answer is one search: its own counts must agree with each other. */
export async function stats(ctx: Ctx, a: Of<'stats'>): Promise<void> {
  const path = `/stats${qs({ ...a.filter, top: a.top })}`;
  const res = await ctx.client.call('GET', path, undefined, { ok: [200], schema: statsSchema });
  if (!res) return;
  const s = res.json;
  const problems = [
    sum(s.emotion) !== s.tagged.emotion &&
      `emotion counts sum to ${sum(s.emotion)}, tagged.emotion ${s.tagged.emotion}`,
    sum(s.stance) !== s.tagged.stance && `stance counts sum to ${sum(s.stance)}, tagged.stance ${s.tagged.stance}`,
    s.tagged.both > Math.min(s.tagged.emotion, s.tagged.stance) && `tagged.both ${s.tagged.both} too large`,
    Math.max(s.tagged.emotion, s.tagged.stance) > s.total && `more tagged than total ${s.total}`,
    s.hashtags.top.length > a.top && `${s.hashtags.top.length} top hashtags > top=${a.top}`,
  ].filter(Boolean);
  for (const p of problems) ctx.client.tally.violation(path, p as string);
}

/** CSV and NDJSON downloads: their content type, a row count that matches /tweets (stable filters), valid lines. */
export async function exportFile(ctx: Ctx, a: Of<'export'>): Promise<void> {
  const path = `/tweets${qs({ ...a.filter, sort: a.sort, format: a.format })}`;
  const file = a.format === 'csv' ? 'text/csv' : 'application/x-ndjson';
  const tooMany = (r: Answer) => r.status === 400 && r.json.error?.details?.[0]?.field === 'format';
  const res = await ctx.client.call('GET', path, undefined, { ok: [200], file, alsoOk: tooMany });
  if (res?.status === 400) return; // more rows than one answer holds (EXPORT_MAX_ROWS): a documented refusal
  if (!res) return;
  const rows = Number(res.headers.get('x-export-rows'));
  const lines = res.text.split('\n').filter(Boolean);
  if (a.format === 'csv' && !res.text.startsWith('id,created_at,')) {
    ctx.client.tally.violation(path, `CSV without its header: ${res.text.slice(0, 80)}`);
  }
  if (a.format === 'ndjson') {
    const bad = lines.findIndex((l) => {
      try {
        return typeof JSON.parse(l).id !== 'string';
      } catch {
        return true;
      }
    });
    if (bad >= 0) ctx.client.tally.violation(path, `NDJSON line ${bad} is not a tweet: ${lines[bad]!.slice(0, 120)}`);
    if (isStable(a.filter) && lines.length !== rows) {
      ctx.client.tally.violation(path, `${lines.length} lines, x-export-rows ${rows}`);
    }
  }
  if (!isStable(a.filter)) return;
  const count = await ctx.client.call('GET', `/tweets${qs({ ...a.filter, limit: 1 })}`, undefined, { ok: [200] });
  if (count && count.json.total !== rows) {
    ctx.client.tally.violation(path, `x-export-rows ${rows} ≠ /tweets total ${count.json.total}`);
  }
}
