/**
 * npm run bench:tweets -- [--tweets N] [--seconds S] [--connections C] [--port P]
 * GET /tweets?limit=20 through the API (serverless-offline, as `npm start` serves it) against the same search
 * sent straight to Elasticsearch, on a scratch index of N generated tweets, under the same closed-loop load:
 * Elasticsearch, API, Elasticsearch. Also the first /tweets right after the server answers, against the median
 * of the next 100. Prints figures; asserts nothing. The scratch index and the server are removed after.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { config } from '../../lib/config';
import { ingestFile } from '../../lib/pipeline/ingest';
import { datasetReader } from '../../lib/pipeline/tasks';
import { ElasticsearchLeaseStore, ElasticsearchTweetStore, esClient, InMemorySourceStore } from '../../lib/store';
import { searchRequest } from '../../lib/store/queries';
import { cli, PROJECT_ROOT, run, validateFlags } from '../lib/cli';
import { generate } from './generate-tweets';
import { load, type LoadResult } from './load';
import { printRows, type BenchRow } from './rows';

const USAGE = `usage: npm run bench:tweets -- [--tweets 120000] [--seconds 10] [--connections 50] [--port 5300]`;
const flags = z.object({
  tweets: z.coerce.number().int().min(100).max(2_000_000).default(120_000),
  seconds: z.coerce.number().min(1).max(120).default(10),
  connections: z.coerce.number().int().min(1).max(500).default(50),
  port: z.coerce.number().int().min(1024).max(65_000).default(5300),
});

async function scratchIndex(n: number, index: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tweets-'));
  try {
    const file = path.join(dir, 'tweets.json');
    await generate(file, n, false);
    const store = new ElasticsearchTweetStore(esClient(), index);
    const leases = new ElasticsearchLeaseStore(esClient(), `${index}-leases`);
    const who = { holder: 'bench', description: 'npm run bench:tweets' };
    await ingestFile(
      file,
      { force: true },
      { store, sources: new InMemorySourceStore(), leases, reader: datasetReader, who },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** serverless offline on `port`, serving `index`; resolves once it is warm and /health answers. */
async function startApi(index: string, port: number) {
  const log = path.join(os.tmpdir(), `bench-tweets-offline-${port}.log`);
  const out = fs.openSync(log, 'w');
  const env = { ...process.env, ES_INDEX: index, PORT: String(port), LAMBDA_PORT: String(port + 2), HOST: '127.0.0.1' };
  const child = spawn(
    process.execPath,
    [path.join(PROJECT_ROOT, 'node_modules/serverless/bin/serverless.js'), 'offline', 'start'],
    {
      cwd: PROJECT_ROOT,
      env: { ...env, SLS_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', out, out],
      detached: true,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
  };
  for (const t0 = Date.now(); Date.now() - t0 < 180_000; await new Promise((r) => setTimeout(r, 100))) {
    if (child.exitCode !== null) break;
    // Started = answering and warmed (the warm-up plugin logs one line when it is done).
    const warm = process.env.WARM_UP === '0' || fs.readFileSync(log, 'utf8').includes('[warm-up]');
    const answers = await fetch(`${url}/health`).then(
      (r) => r.status < 500 || r.status === 503,
      () => false,
    );
    if (warm && answers) return { url, stop };
  }
  await stop();
  throw new Error(`serverless offline did not start; see ${log}`);
}

async function timedGet(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}

const show = (name: string, r: LoadResult) =>
  console.log(
    `${name}: ${Math.round(r.rps)} req/s | p50 ${r.p50.toFixed(1)} ms | p99 ${r.p99.toFixed(1)} ms | max ${r.max.toFixed(0)} ms | ${r.requests} requests, ${r.errors} errors`,
  );

async function main() {
  const { values } = cli({
    usage: USAGE,
    options: {
      tweets: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const opts = validateFlags(flags, values);
  const index = `bench-tweets-${process.pid}`;
  console.log(
    `Elasticsearch ${config().es.url}; ${opts.tweets} tweets; ${opts.connections} connections, ${opts.seconds} s each`,
  );
  try {
    await scratchIndex(opts.tweets, index);
    const api = await startApi(index, opts.port);
    try {
      const first = await timedGet(`${api.url}/tweets?limit=20`);
      const next: number[] = [];
      for (let i = 0; i < 100; i++) next.push(await timedGet(`${api.url}/tweets?limit=20`));
      const median = next.sort((a, b) => a - b)[50]!;
      console.log(
        `first /tweets after start: ${first.toFixed(1)} ms | median of the next 100: ${median.toFixed(1)} ms`,
      );

      const es = {
        url: `${config().es.url}/${index}/_search`,
        method: 'POST' as const,
        body: JSON.stringify(searchRequest({ limit: 20 })),
      };
      await load(es, opts.connections, 2); // both sides warm before the clock
      await load({ url: `${api.url}/tweets?limit=20` }, opts.connections, 2);
      const before = await load(es, opts.connections, opts.seconds);
      show('Elasticsearch direct', before);
      const ours = await load({ url: `${api.url}/tweets?limit=20` }, opts.connections, opts.seconds);
      show('API /tweets         ', ours);
      const after = await load(es, opts.connections, opts.seconds);
      show('Elasticsearch direct', after);
      const esRps = (before.rps + after.rps) / 2;
      const esP99 = (before.p99 + after.p99) / 2;
      const rows: BenchRow[] = [
        {
          what: `GET /tweets?limit=20, ${opts.connections} conn (req/s)`,
          ours: ours.rps,
          anchor: esRps,
          anchorName: 'same search, Elasticsearch direct (before/after)',
          higherIsBetter: true,
        },
        {
          what: `GET /tweets?limit=20, ${opts.connections} conn (p99 ms)`,
          ours: ours.p99,
          anchor: esP99,
          anchorName: 'same search, Elasticsearch direct (before/after)',
          higherIsBetter: false,
        },
        {
          what: 'first /tweets after start (ms)',
          ours: first,
          anchor: median,
          anchorName: 'median of the next 100 requests',
          higherIsBetter: false,
        },
      ];
      printRows(rows);
    } finally {
      await api.stop();
    }
  } finally {
    await esClient().indices.delete({ index: [index, `${index}-leases`], ignore_unavailable: true });
  }
}

run('bench:tweets', main);
