import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { loadConfig } from '../../lib/config';
import { clientOptions } from '../../lib/store';
import { ROOT } from './env';

/** The cluster scripts/test-cluster.sh started: its base URL (node i answers on base port + i). */
export const CLUSTER_URL = process.env.ES_CLUSTER_URL ?? 'http://127.0.0.1:9200';
export const CLUSTER_NODES = Number(process.env.ES_NODES ?? 3);
const base = new URL(CLUSTER_URL);
export const nodeUrls = Array.from(
  { length: CLUSTER_NODES },
  (_, i) => `${base.protocol}//${base.hostname}:${Number(base.port) + i}`,
);

/** The app's configuration for this cluster, as a user would set it: every node, one replica, three shards. */
export const clusterConfig = () =>
  loadConfig({ ES_URL: nodeUrls.join(','), ES_SHARDS: '3', ES_REPLICAS: '1', ES_REQUEST_TIMEOUT_MS: '30000' }).es;
export const appClient = () => new Client(clientOptions(clusterConfig()));

const es = (...args: string[]) =>
  execFileSync('bash', [path.join(ROOT, 'scripts/es.sh'), ...args], {
    env: { ...process.env, ES_URL: CLUSTER_URL, ES_NODES: String(CLUSTER_NODES) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();

/** SIGKILL through `es.sh kill` (a crash: no shutdown, no goodbye to the cluster); returns the pid. */
export const killNode = (i: number) => es('kill', String(i));

/** Brings a killed node back (same data) and waits until every shard has its copy again. */
export async function restartNode(i: number, admin: Client): Promise<number> {
  const t0 = Date.now();
  es('start-node', String(i));
  await admin.cluster.health({ wait_for_nodes: String(CLUSTER_NODES), wait_for_status: 'green', timeout: '180s' });
  return Date.now() - t0;
}

/** Index of the node named `name` (node-<i>). */
export const indexOfNode = (name: string) => Number(/node-(\d+)$/.exec(name)?.[1] ?? -1);

/** The node currently elected master. */
export async function masterNode(admin: Client): Promise<number> {
  const [m] = await admin.cat.master({ format: 'json' });
  return indexOfNode(String((m as { node?: string }).node));
}

/** The node holding the most primary shards of `index` (the one whose death hurts writes the most). */
export async function busiestPrimaryNode(admin: Client, index: string): Promise<number> {
  const shards = (await admin.cat.shards({ index, format: 'json' })) as Array<{ prirep?: string; node?: string }>;
  const primaries = new Map<number, number>();
  for (const s of shards)
    if (s.prirep === 'p' && s.node) primaries.set(indexOfNode(s.node), (primaries.get(indexOfNode(s.node)) ?? 0) + 1);
  return [...primaries.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}
