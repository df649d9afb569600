import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { logger } from '../logger';
import { diffMapping } from './mapping-diff';
import { MappingConflictError } from './layout-errors';

export interface IndexLayout {
  shards: number;
  replicas: number;
}

/** One node: everything on it, no copy. A cluster passes ES_SHARDS / ES_REPLICAS (see config). */
export const SINGLE_NODE: IndexLayout = { shards: 1, replicas: 0 };

const log = logger.child({ module: 'store' });

const alreadyExists = (error: unknown) =>
  error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception';

export const settingsOf = (layout: IndexLayout): estypes.IndicesIndexSettings => ({
  number_of_shards: layout.shards,
  number_of_replicas: layout.replicas,
});

/** Creates `index`; one created concurrently by another process (with the same body) is fine. */
export async function createIndex(client: Client, index: string, body: Omit<estypes.IndicesCreateRequest, 'index'>) {
  await client.indices.create({ index, ...body }).catch((error: unknown) => {
    if (!alreadyExists(error)) throw error;
  });
}

/**
 * An index another process created a moment ago may not be searchable yet: a search would fail with 503
 * (no_shard_available_action_exception), even once the health is yellow. Wait until its primaries have started
 * and the cluster state carrying them is applied.
 */
export async function waitUntilUsable(client: Client, index: string): Promise<void> {
  await client.cluster.health({
    index,
    wait_for_status: 'yellow',
    wait_for_no_initializing_shards: true,
    wait_for_events: 'languid',
    timeout: '30s',
  });
}

/**
 * Puts the fields of `mappings` the live index lacks (an additive change: no reindex, data kept). A field whose
 * definition changed cannot be put: that throws, naming the fields and the command that migrates them.
 */
export async function applyAdditiveMapping(
  client: Client,
  index: string,
  mappings: estypes.MappingTypeMapping,
): Promise<string[]> {
  const live = Object.values(await client.indices.getMapping({ index }))[0]?.mappings;
  const diff = diffMapping(mappings.properties ?? {}, live?.properties);
  if (diff.conflicts.length) throw new MappingConflictError(index, diff.conflicts);
  if (diff.added.length) {
    await client.indices.putMapping({ index, properties: diff.missing });
    log.info('new fields put on the live index', { index, fields: diff.added });
  }
  return diff.added;
}

/** A small index of its own (leases, jobs) under its concrete name, with its mapping brought up to date. */
async function ensurePlainIndex(
  client: Client,
  index: string,
  mappings: estypes.MappingTypeMapping,
  layout: IndexLayout,
): Promise<void> {
  if (!(await client.indices.exists({ index }))) {
    await createIndex(client, index, { mappings, settings: settingsOf({ shards: 1, replicas: layout.replicas }) });
  }
  await waitUntilUsable(client, index);
  await applyAdditiveMapping(client, index, mappings);
}

/**
 * `ensureIndex` for a store: runs `ensure` once per store instance; a failure is forgotten, so the next call
 * tries again (e.g. Elasticsearch came back).
 */
export function once(ensure: () => Promise<void>): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= ensure().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}

/** The leases and jobs stores' index: created with its mapping (and the cluster's replicas) once per store. */
export function indexOnce(
  client: Client,
  index: string,
  mappings: estypes.MappingTypeMapping,
  layout: IndexLayout = SINGLE_NODE,
): () => Promise<void> {
  return once(() => ensurePlainIndex(client, index, mappings, layout));
}
