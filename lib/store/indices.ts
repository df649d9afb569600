import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { TWEETS_SETTINGS } from './mapping';

const alreadyExists = (error: unknown) =>
  error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception';

/**
 * An index created before fields were added to its mapping gets them in place: put_mapping with the whole current
 * mapping adds what is missing and leaves what is there (documents and tags untouched). A change that is not
 * additive (a field's type changed) is refused by Elasticsearch, so it fails loudly here instead of at a write.
 */
async function addMissingFields(client: Client, index: string, mappings: estypes.MappingTypeMapping) {
  await client.indices.putMapping({ index, dynamic: mappings.dynamic, properties: mappings.properties });
}

async function createIfMissing(client: Client, index: string, mappings: estypes.MappingTypeMapping): Promise<void> {
  if (await client.indices.exists({ index })) await addMissingFields(client, index, mappings);
  else {
    await client.indices.create({ index, mappings, settings: TWEETS_SETTINGS }).catch((error: unknown) => {
      if (!alreadyExists(error)) throw error; // created concurrently by another process: fine
    });
  }
  // An index another process created a moment ago may not be searchable yet: a search would fail with 503
  // (no_shard_available_action_exception), even once the health is yellow. Wait until its shard has started and
  // the cluster state carrying it is applied.
  await client.cluster.health({
    index,
    wait_for_status: 'yellow',
    wait_for_no_initializing_shards: true,
    wait_for_events: 'languid',
    timeout: '30s',
  });
}

/**
 * `ensureIndex` for a store: creates the index with its mapping once per store instance; a failure is forgotten,
 * so the next call tries again (e.g. Elasticsearch came back).
 */
export function indexOnce(client: Client, index: string, mappings: estypes.MappingTypeMapping): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= createIfMissing(client, index, mappings).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}
