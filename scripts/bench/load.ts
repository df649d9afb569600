/**
 * A small closed-loop HTTP load generator (what autocannon does, without a dependency): `connections` keep-alive
 * sockets, each sending the next request as soon as the last is answered, for `seconds`. The same generator
 * loads the API and Elasticsearch, so its own cost is the same on both sides.
 */
import http from 'node:http';

export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

function once(agent: http.Agent, target: LoadTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = target.body ? { 'content-type': 'application/json' } : undefined;
    const req = http.request(target.url, { method: target.method ?? 'GET', agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(target.body);
  });
}

/** Latencies in ms, sorted; a non-2xx answer or a socket error counts as an error. */
export async function load(target: LoadTarget, connections: number, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const lane = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      const status = await once(agent, target).catch(() => 0);
      if (status < 200 || status >= 300) errors++;
      latencies.push(performance.now() - start);
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, lane));
  } finally {
    agent.destroy();
  }
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / secs,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    errors,
  };
}
