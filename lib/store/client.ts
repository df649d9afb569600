import { Client, type ClientOptions } from '@elastic/elasticsearch';
import { config, type Config } from '../config';

let client: Client | undefined;

/** The official client's options from the configuration: nodes or a cloud id, auth, the CA or its fingerprint. */
export function clientOptions(es: Config['es']): ClientOptions {
  const nodes = es.nodes.length;
  return {
    ...(es.cloudId ? { cloud: { id: es.cloudId } } : { nodes: es.nodes }),
    ...(es.auth ? { auth: es.auth } : {}),
    // A pinned fingerprint replaces the chain check (a private CA Node does not know), as the client's docs say.
    ...(es.ca ? { tls: { ca: es.ca } } : es.caFingerprint ? { tls: { rejectUnauthorized: false } } : {}),
    ...(es.caFingerprint ? { caFingerprint: es.caFingerprint } : {}),
    requestTimeout: es.requestTimeoutMs,
    // A request to a node that is down goes to the next node; with one node, a single retry, so a node that is
    // down surfaces as a 503 quickly. What still fails is retried by the store with back-off (see ./retry).
    maxRetries: Math.max(1, nodes - 1),
  };
}

let bulkClient: Client | undefined;

/** One client per process, built on first use and reused by warm invocations. */
export function esClient(): Client {
  client ??= new Client(clientOptions(config().es));
  return client;
}

/**
 * Bulk writes get a client of their own with a longer timeout (ES_BULK_TIMEOUT_MS): the transport cannot give one
 * request a longer timeout than its client's, and a shorter per-request one aborts every request in flight.
 */
export function esBulkClient(): Client {
  const es = config().es;
  bulkClient ??= new Client({ ...clientOptions(es), requestTimeout: es.bulkTimeoutMs });
  return bulkClient;
}

/** Closes the process's clients (CLIs, at exit), so no socket outlives the work. */
export async function closeEsClient(): Promise<void> {
  const open = [client, bulkClient];
  client = bulkClient = undefined;
  await Promise.all(open.filter((c): c is Client => c !== undefined).map((c) => c.close()));
}
