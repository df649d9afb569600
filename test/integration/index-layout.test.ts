import type { estypes } from '@elastic/elasticsearch';
import { toHttpError } from '../../lib/http/error-mapping';
import { reindexTweets } from '../../lib/pipeline';
import {
  ElasticsearchJobStore,
  ElasticsearchLeaseStore,
  ElasticsearchTweetStore,
  MappingConflictError,
  reindexBehindAlias,
  TWEETS_MAPPING,
} from '../../lib/store';
import { deleteIndex, rawClient } from '../support/es';
import { testIndex } from '../support/env';
import { makeTweet } from '../support/memory-dataset';
import { TweetLines } from '../../lib/tweet-lines';

type Props = Record<string, estypes.MappingProperty>;

/** The mapping an earlier version would have written: without `fields` (dotted paths), or with them replaced. */
function olderMapping(drop: string[], replace: Record<string, estypes.MappingProperty> = {}) {
  const copy = structuredClone(TWEETS_MAPPING);
  const at = (path: string) => {
    const parts = path.split('.');
    let props = copy.properties as Props;
    for (const p of parts.slice(0, -1)) props = (props[p] as { properties: Props }).properties;
    return { props, leaf: parts.at(-1)! };
  };
  for (const path of drop) {
    const { props, leaf } = at(path);
    delete props[leaf];
  }
  for (const [path, field] of Object.entries(replace)) {
    const { props, leaf } = at(path);
    props[leaf] = field;
  }
  return copy;
}

const tweets = (n: number) => Array.from({ length: n }, (_, i) => makeTweet(i, `tweet ${i}`, 7000));
const fieldsOf = async (index: string) => {
  const m = Object.values(await rawClient().indices.getMapping({ index }))[0]!.mappings.properties!;
  return { top: Object.keys(m), stance: Object.keys((m.stance as { properties: Props }).properties) };
};
const legacyStore = (index: string) => new ElasticsearchTweetStore(rawClient(), index, { backoffMs: 10 });

/** `npm run reindex`'s pipeline on one node's layout, under the tagging leases. */
const reindexOnce = (leases: ElasticsearchLeaseStore, index: string, keepOld: boolean) =>
  reindexTweets({
    leases,
    who: { holder: 'reindex-test', description: 'test reindex' },
    reindex: (onProgress) =>
      reindexBehindAlias(rawClient(), index, TWEETS_MAPPING, {
        layout: { shards: 1, replicas: 0 },
        keepOld,
        onProgress,
      }),
  });

const metaOf = async (index: string) =>
  Object.values(await rawClient().indices.getMapping({ index }))[0]?.mappings._meta;

describe('index layout: alias, replicas, mapping changes (real Elasticsearch)', () => {
  const index = testIndex('layout');
  afterEach(() => deleteIndex(index));

  it('creates <index>-000001 behind the alias, with the configured shards and replicas, and so the leases and jobs', async () => {
    const layout = { shards: 2, replicas: 1 }; // replicas stay unassigned on one node: yellow, usable
    const store = new ElasticsearchTweetStore(rawClient(), index, { layout });
    await store.putTweets(TweetLines.fromTweets(tweets(3)));
    await new ElasticsearchLeaseStore(rawClient(), `${index}-leases`, Date.now, layout).acquire(
      'x',
      { holder: 'h', description: 'd' },
      1000,
    );
    await new ElasticsearchJobStore(rawClient(), `${index}-jobs`, layout).list(1);
    const alias = await rawClient().indices.getAlias({ name: index });
    expect(alias).toEqual({ [`${index}-000001`]: { aliases: { [index]: { is_write_index: true } } } });
    const settings = async (name: string) => Object.values(await rawClient().indices.getSettings({ index: name }))[0]!;
    expect((await settings(index)).settings!.index).toMatchObject({ number_of_shards: '2', number_of_replicas: '1' });
    for (const small of [`${index}-leases`, `${index}-jobs`]) {
      expect((await settings(small)).settings!.index).toMatchObject({ number_of_shards: '1', number_of_replicas: '1' });
    }
  });

  it('puts a field added to the mapping on the live index at start, keeping its documents and fingerprints', async () => {
    const old = olderMapping(['stance.method', 'bucket']);
    await rawClient().indices.create({ index: `${index}-000001`, mappings: old, aliases: { [index]: {} } });
    await rawClient().bulk({
      refresh: true,
      operations: tweets(5).flatMap((t) => [{ index: { _index: index, _id: t.id } }, t]),
    });
    await rawClient().indices.putMapping({ index, _meta: { files: { '/f': { path: '/f', size: 1 } } } });
    expect((await fieldsOf(index)).stance).not.toContain('method');

    const store = new ElasticsearchTweetStore(rawClient(), index);
    await store.ensureIndex();
    expect((await fieldsOf(index)).top).toContain('bucket');
    expect((await fieldsOf(index)).stance).toContain('method');
    expect(await store.stats()).toEqual({ exists: true, count: 5 });
    expect(await metaOf(index)).toEqual({ files: { '/f': { path: '/f', size: 1 } } }); // an additive change keeps _meta
    expect(await store.putTweets(TweetLines.fromTweets([makeTweet(9, 'new', 7000)]))).toEqual({
      written: 1,
      failed: [],
    }); // writes bucket
  });

  it('refuses a changed field with a clear error naming it and the command that migrates it', async () => {
    const changed = olderMapping([], { hashtags: { type: 'text' } });
    await rawClient().indices.create({ index: `${index}-000001`, mappings: changed, aliases: { [index]: {} } });
    const error = await legacyStore(index)
      .ensureIndex()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingConflictError);
    expect(toHttpError(error as Error)).toMatchObject({
      status: 503,
      code: 'mapping_conflict',
      message: expect.stringContaining('hashtags'),
      details: { fields: ['hashtags'], hint: expect.stringContaining('npm run reindex') },
    });
  });

  it('keeps using a concrete index an earlier version made under the alias name, then reindex puts it behind the alias', async () => {
    await rawClient().indices.create({ index, mappings: olderMapping(['stance.method']) });
    const store = legacyStore(index);
    await store.putTweets(TweetLines.fromTweets(tweets(40)));
    await rawClient().indices.putMapping({ index, _meta: { note: 'kept across reindex' } });
    await store.refresh();
    expect(await store.stats()).toEqual({ exists: true, count: 40 });
    expect((await fieldsOf(index)).stance).toContain('method'); // additive change applied to the legacy index too

    const leases = new ElasticsearchLeaseStore(rawClient(), `${index}-leases`);
    const summary = await reindexOnce(leases, index, false);
    expect(summary).toMatchObject({ from: index, to: `${index}-000001`, docs: 40, copied: 40, old_index: 'deleted' });
    expect(Object.keys(await rawClient().indices.getAlias({ name: index }))).toEqual([`${index}-000001`]);
    const after = legacyStore(index);
    expect(await after.stats()).toEqual({ exists: true, count: 40 });
    expect(await metaOf(index)).toEqual({ note: 'kept across reindex' });
    expect(await after.putTweets(TweetLines.fromTweets([makeTweet(99, 'after', 7000)]))).toEqual({
      written: 1,
      failed: [],
    });
    // the writers' leases were released: an ingest may start again
    expect((await leases.acquire('ingest', { holder: 'i', description: 'i' }, 1000)).acquired).toBe(true);
  });

  it('reindexes an incompatible change into the next generation and moves the alias in one step', async () => {
    const changed = olderMapping([], { hashtags: { type: 'text' } });
    await rawClient().indices.create({ index: `${index}-000001`, mappings: changed, aliases: { [index]: {} } });
    await rawClient().bulk({
      refresh: true,
      operations: tweets(25).flatMap((t) => [{ index: { _index: index, _id: t.id } }, t]),
    });
    const leases = new ElasticsearchLeaseStore(rawClient(), `${index}-leases`);
    await leases.acquire('tag-emotion', { holder: 'busy', description: 'a tagging run' }, 60_000);
    const reindex = (keepOld: boolean) => reindexOnce(leases, index, keepOld);
    expect(toHttpError((await reindex(true).catch((e: unknown) => e)) as Error)).toMatchObject({
      status: 409,
      code: 'task_busy',
    });
    await leases.release('tag-emotion', 'busy');

    expect(await reindex(true)).toMatchObject({
      from: `${index}-000001`,
      to: `${index}-000002`,
      docs: 25,
      old_index: 'kept',
    });
    expect(Object.keys(await rawClient().indices.getAlias({ name: index }))).toEqual([`${index}-000002`]);
    const store = legacyStore(index);
    await store.ensureIndex(); // no conflict any more
    expect(await store.stats()).toEqual({ exists: true, count: 25 });
    const live = Object.values(await rawClient().indices.getMapping({ index }))[0]!.mappings.properties!;
    expect(live.hashtags).toEqual({ type: 'keyword' });
  });
});
