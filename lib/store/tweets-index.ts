import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { logger } from '../logger';
import { applyAdditiveMapping, createIndex, settingsOf, waitUntilUsable, type IndexLayout } from './indices';

const log = logger.child({ module: 'store' });

/** The n-th index behind an alias: tweets-000001, tweets-000002, ... (the rollover convention). */
export const generationName = (alias: string, n: number) => `${alias}-${String(n).padStart(6, '0')}`;

/** Where the tweets are. `legacy`: an earlier version's concrete index under the alias's own name (no alias). */
export interface TweetsLocation {
  concrete: string;
  legacy: boolean;
}

const notFound = (error: unknown) => error instanceof errors.ResponseError && error.statusCode === 404;

/** The index behind `name` (the alias's write index, or its only index), or `name` itself when it is an index. */
export async function locateTweets(client: Client, name: string): Promise<TweetsLocation | undefined> {
  let found: estypes.IndicesGetResponse;
  try {
    found = await client.indices.get({ index: name, filter_path: '*.aliases' });
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
  const names = Object.keys(found);
  if (names.includes(name)) return { concrete: name, legacy: true };
  const write =
    names.find((n) => found[n]?.aliases?.[name]?.is_write_index) ?? (names.length === 1 ? names[0] : undefined);
  if (!write) throw new Error(`The alias ${name} points at ${names.join(', ')} and none is its write index`);
  return { concrete: write, legacy: false };
}

/** Creates the first generation with the alias on it, in one request (so no one sees the index without it). */
async function createBehindAlias(
  client: Client,
  alias: string,
  mappings: estypes.MappingTypeMapping,
  layout: IndexLayout,
) {
  await createIndex(client, generationName(alias, 1), {
    mappings,
    settings: settingsOf(layout),
    aliases: { [alias]: { is_write_index: true } },
  });
  const created = await locateTweets(client, alias);
  if (!created)
    throw new Error(`${generationName(alias, 1)} exists without the alias ${alias}: add the alias or delete the index`);
  return created;
}

/** A shard count cannot change in place, and replicas may be managed by hand: say so, change nothing. */
async function warnOnLayout(client: Client, index: string, layout: IndexLayout) {
  const settings = Object.values(await client.indices.getSettings({ index }))[0]?.settings?.index;
  const live = { shards: Number(settings?.number_of_shards), replicas: Number(settings?.number_of_replicas) };
  if (live.shards !== layout.shards || live.replicas !== layout.replicas) {
    log.warn('the live index has another layout than ES_SHARDS / ES_REPLICAS; it keeps its own', {
      index,
      live,
      configured: layout,
      hint: 'replicas: PUT <index>/_settings {"index.number_of_replicas": N}; shards: npm run reindex',
    });
  }
}

/**
 * The tweets index, read and written through the alias `alias` → `<alias>-000001` (a reindex moves the alias to
 * the next generation). At every start, new fields of `mappings` are put on the live index. An index an earlier
 * version created under the alias's name is used as it is, with a warning: `npm run reindex` puts it behind an alias.
 */
export async function ensureTweetsIndex(
  client: Client,
  alias: string,
  mappings: estypes.MappingTypeMapping,
  layout: IndexLayout,
): Promise<TweetsLocation> {
  const location = (await locateTweets(client, alias)) ?? (await createBehindAlias(client, alias, mappings, layout));
  if (location.legacy) {
    log.warn('the tweets index is a concrete index without an alias (made by an earlier version); using it as is', {
      index: alias,
      hint: '`npm run reindex` moves it behind the alias, so later mapping changes need no downtime',
    });
  }
  await waitUntilUsable(client, location.concrete);
  await applyAdditiveMapping(client, location.concrete, mappings);
  await warnOnLayout(client, location.concrete, layout);
  return location;
}
