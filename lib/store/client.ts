import { Client } from '@elastic/elasticsearch';
import { config } from '../config';

let client: Client | undefined;

/** One client per process, built on first use and reused by warm invocations. */
export function esClient(): Client {
  if (!client) {
    const { url, requestTimeoutMs } = config().es;
    // Few client-level retries: a node that is down should surface as a 503 quickly.
    client = new Client({ node: url, requestTimeout: requestTimeoutMs, maxRetries: 1 });
  }
  return client;
}

/** Closes the process's client (CLIs, at exit), so no socket outlives the work. */
export async function closeEsClient(): Promise<void> {
  const open = client;
  client = undefined;
  await open?.close();
}
