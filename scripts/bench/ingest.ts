/**
 * npm run bench:ingest — the ETL at real sizes against the local Elasticsearch: generates 120,000 and
 * 1,000,000 tweets in the exercise's format, ingests each into a scratch index (deleted after), between two
 * runs of the raw `_bulk` anchor (raw-bulk.ts: the same documents, prebuilt, on the same node), then tags
 * 10,000 tweets with the fixture emotion model. Prints the cost of language detection per tweet, MB/s parsed, documents/s indexed, the ratio to the
 * anchor, peak RSS, and the tagging run split into select / inference / write. Prints figures; asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config } from '../../lib/config';
import { loadEmotionClassifier } from '../../lib/models/emotion';
import { ingestFile, tagFromIndex } from '../../lib/pipeline';
import { datasetReader } from '../../lib/pipeline/tasks';
import { ElasticsearchLeaseStore, ElasticsearchTweetStore, esClient, InMemorySourceStore } from '../../lib/store';
import { cli, run } from '../lib/cli';
import { generate } from './generate-tweets';
import { benchLanguage } from './language';
import { printRows, type BenchRow } from './rows';
import { rawBulkBodies, rawBulkRate } from './raw-bulk';

const USAGE = `usage: npm run bench:ingest -- [--records 120000,1000000] [--tag 10000]
  Uses ES_URL; writes only to scratch indices named bench-ingest-*, deleted afterwards.`;
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const who = { holder: 'bench', description: 'npm run bench:ingest' };

function scratch(n: number) {
  const index = `bench-ingest-${n}-${process.pid}`;
  return {
    index,
    store: new ElasticsearchTweetStore(esClient(), index),
    leases: new ElasticsearchLeaseStore(esClient(), `${index}-leases`),
  };
}

async function benchIngest(file: string, n: number, s: ReturnType<typeof scratch>): Promise<number> {
  const mb = fs.statSync(file).size / 1e6;
  const summary = await ingestFile(
    file,
    { force: false },
    { store: s.store, sources: new InMemorySourceStore(), leases: s.leases, reader: datasetReader, who },
  );
  const secs = summary.took_ms / 1000;
  console.log(
    `ingest ${n} tweets (${mb.toFixed(1)} MB): ${secs.toFixed(1)} s | ${(mb / secs).toFixed(1)} MB/s end to end | ` +
      `${Math.round(summary.indexed / secs)} docs/s indexed | write wait ${summary.timings.write_wait_ms} ms | ` +
      `invalid ${summary.invalid.count} | peak RSS so far ${peakRssMb()} MB`,
  );
  return summary.indexed / secs;
}

/** CPU seconds the Elasticsearch node has used so far (its process, all threads). */
async function esCpuSecs(): Promise<number> {
  const stats = await esClient().nodes.stats({ metric: 'process' });
  return Object.values(stats.nodes).reduce((sum, n) => sum + (n.process?.cpu?.total_in_millis ?? 0), 0) / 1000;
}

/** Runs `work` and says where the CPU went: µs per document in Elasticsearch and in this process. */
async function cpuPerDoc<T>(
  docs: number,
  work: () => Promise<T>,
): Promise<{ result: T; esUs: number; oursUs: number }> {
  const [es0, ours0] = [await esCpuSecs(), process.cpuUsage()];
  const result = await work();
  const ours = process.cpuUsage(ours0);
  const esUs = (((await esCpuSecs()) - es0) * 1e6) / docs;
  return { result, esUs, oursUs: (ours.user + ours.system) / docs };
}

/** anchor, ours, anchor: the ratio is against the mean of the two anchors around our run. */
async function interleaved(file: string, n: number, s: ReturnType<typeof scratch>): Promise<BenchRow> {
  const { bodies, docs } = await rawBulkBodies(file);
  const raw = (k: number) => rawBulkRate(config().es.url, `${s.index}-raw${k}`, bodies, docs);
  await rawBulkRate(config().es.url, `${s.index}-warm`, bodies.slice(0, 8), Math.min(docs, 8 * 5000)); // JIT-warms the node
  const b = await cpuPerDoc(docs, () => raw(1));
  const o = await cpuPerDoc(docs, () => benchIngest(file, n, s));
  const a = await cpuPerDoc(docs, () => raw(2));
  const [before, ours, after] = [b.result, o.result, a.result];
  const us = (c: { esUs: number; oursUs: number }) => `ES ${c.esUs.toFixed(0)} + this process ${c.oursUs.toFixed(0)}`;
  console.log(`CPU µs/doc: raw ${us(b)} | ours ${us(o)} | raw ${us(a)}`);
  const anchor = (before + after) / 2;
  console.log(
    `raw _bulk of the same ${docs} docs: ${Math.round(before)} and ${Math.round(after)} docs/s | ours ${Math.round(ours)} docs/s = ${(ours / anchor).toFixed(2)}x`,
  );
  return {
    what: `ingest ${n} tweets (docs/s)`,
    ours,
    anchor,
    anchorName: 'raw _bulk, same docs (before/after)',
    higherIsBetter: true,
  };
}

async function benchTag(limit: number, s: ReturnType<typeof scratch>) {
  const cfg = config().emotion;
  const classifier = await loadEmotionClassifier({ ...cfg, dir: cfg.dir, batchSize: 32 });
  const r = await tagFromIndex(
    'emotion',
    { limit, force: false },
    { store: s.store, leases: s.leases, who, loadClassifier: async () => classifier },
  );
  const t = r.timings;
  const perTweet = (ms: number) => (ms / r.classified).toFixed(3);
  console.log(
    `tag ${r.classified} tweets (${classifier.info.id}): took ${r.took_ms} ms | select ${t.select_ms} ms (${perTweet(t.select_ms)} ms/tweet) | ` +
      `inference ${t.inference_ms} ms | write ${t.write_ms} ms, of which the run waited ${t.write_wait_ms} ms | ` +
      `select + write wait ${perTweet(t.select_ms + t.write_wait_ms)} ms/tweet | remaining ${r.remaining}`,
  );
}

async function main() {
  const { values } = cli({ usage: USAGE, options: { records: { type: 'string' }, tag: { type: 'string' } } });
  // Largest first: its peak RSS is then the ingest's own, before the model of the tagging run is loaded.
  const sizes = (values.records ?? '120000,1000000')
    .split(',')
    .map(Number)
    .sort((a, b) => b - a);
  const tagOn = Math.min(...sizes);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
  console.log(`Elasticsearch ${config().es.url}; emotion model ${config().emotion.dir}`);
  console.log(await benchLanguage()); // the ingests below detect every tweet's language
  try {
    const rows: BenchRow[] = [];
    for (const n of sizes) {
      const file = path.join(dir, `tweets-${n}.json`);
      await generate(file, n, false);
      const s = scratch(n);
      try {
        rows.push(await interleaved(file, n, s));
        const tagLimit = Number(values.tag ?? 10_000);
        if (n === tagOn && tagLimit > 0) await benchTag(tagLimit, s);
      } finally {
        await esClient().indices.delete({ index: [s.index, `${s.index}-leases`], ignore_unavailable: true });
        fs.rmSync(file, { force: true });
      }
    }
    printRows(rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run('bench:ingest', main);
