/**
 * The ingest anchor: a plain `_bulk` client that sends already-built NDJSON bodies (the same upserts the store
 * writes: `update` + `doc_as_upsert`, the same documents, 5,000 per request, 2 in flight, refresh off) into a
 * fresh index with the same mapping. It never parses the file: the bodies are built before the clock starts.
 */
import http from 'node:http';
import { readTweetBatches } from '../../lib/dataset';
import { settingsOf, SINGLE_NODE } from '../../lib/store/indices';
import { TWEETS_MAPPING, bucketOf } from '../../lib/store/mapping';

export const RAW_DOCS_PER_REQUEST = 5000;
export const RAW_IN_FLIGHT = 2;

/** The file's tweets as `_bulk` bodies of RAW_DOCS_PER_REQUEST upserts each (built untimed). */
export async function rawBulkBodies(file: string): Promise<{ bodies: Buffer[]; docs: number }> {
  const bodies: Buffer[] = [];
  let lines: string[] = [];
  let docs = 0;
  const cut = () => {
    if (lines.length) bodies.push(Buffer.from(lines.join(''), 'utf8'));
    lines = [];
  };
  for await (const batch of readTweetBatches(file)) {
    for (const t of batch.lines.decode()) {
      lines.push(`{"update":{"_id":${JSON.stringify(t.id)},"retry_on_conflict":3}}\n`);
      lines.push(`${JSON.stringify({ doc: { ...t, bucket: bucketOf(t.id) }, doc_as_upsert: true })}\n`);
      if (++docs % RAW_DOCS_PER_REQUEST === 0) cut();
    }
  }
  cut();
  return { bodies, docs };
}

function request(url: URL, agent: http.Agent, method: string, path: string, body?: Buffer | string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const headers = { 'content-type': path.includes('_bulk') ? 'application/x-ndjson' : 'application/json' };
    const req = http.request({ host: url.hostname, port: url.port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends the bodies into a fresh `index` (created here, deleted after); resolves docs/s of the sends alone. */
export async function rawBulkRate(esUrl: string, index: string, bodies: Buffer[], docs: number): Promise<number> {
  const url = new URL(esUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: RAW_IN_FLIGHT });
  const settings = { ...settingsOf(SINGLE_NODE), refresh_interval: '-1' }; // the store's default layout
  try {
    const created = await request(
      url,
      agent,
      'PUT',
      `/${index}`,
      JSON.stringify({ mappings: TWEETS_MAPPING, settings }),
    );
    if (created.status !== 200) throw new Error(`creating ${index}: ${created.text.slice(0, 300)}`);
    const t0 = performance.now();
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const r = await request(url, agent, 'POST', `/${index}/_bulk?filter_path=errors`, bodies[i]);
        if (r.status !== 200 || r.text.includes('"errors":true')) throw new Error(`raw _bulk: ${r.text.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: RAW_IN_FLIGHT }, lane));
    const secs = (performance.now() - t0) / 1000;
    return docs / secs;
  } finally {
    await request(url, agent, 'DELETE', `/${index}`).catch(() => undefined);
    agent.destroy();
  }
}
