import type { Client } from '@elastic/elasticsearch';

export interface ClusterInfo {
  /** The node that answered: its name, and the URL the client sent the request to. */
  node: { name: string; url: string };
  cluster: { name: string; status: 'green' | 'yellow' | 'red'; nodes: number };
  version: string;
}

/** Which node answered and how the cluster is (GET / then _cluster/health, on the same connection when it can). */
export async function clusterInfo(client: Client): Promise<ClusterInfo> {
  const info = await client.info({}, { meta: true });
  const health = await client.cluster.health({ filter_path: 'cluster_name,status,number_of_nodes' });
  const url = info.meta.connection?.url;
  return {
    node: { name: info.body.name, url: url ? `${url.protocol}//${url.host}` : 'unknown' },
    cluster: {
      name: health.cluster_name,
      status: health.status.toLowerCase() as ClusterInfo['cluster']['status'],
      nodes: health.number_of_nodes,
    },
    version: info.body.version.number,
  };
}
