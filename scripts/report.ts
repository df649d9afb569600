/**
 * npm run report — regenerates the metrics block of REPORT.md from the index (ES_URL, ES_INDEX) and the
 * dataset file (DATASET_PATH). Every figure comes from stored documents and the pipeline's own timings.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client, estypes } from '@elastic/elasticsearch';
import { config } from '../lib/config';
import { readTweetBatches } from '../lib/dataset';
import { esClient } from '../lib/store';
import { cli, run } from './lib/cli';

const START = '<!-- metrics:start (npm run report) -->';
const END = '<!-- metrics:end -->';

type Buckets = {
  buckets: Array<{ key: string | number; key_as_string?: string; doc_count: number; [k: string]: unknown }>;
};
const table = (head: string[], rows: Array<Array<string | number>>) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

function latency(aggs: Record<string, unknown>, task: string): Array<string | number> {
  const p = (aggs[`${task}_latency`] as { values: Record<string, number | null> }).values;
  const avg = (aggs[`${task}_avg`] as { value: number | null }).value;
  if (avg === null) return [task, '—', '—', '—', '—'];
  return [task, avg.toFixed(1), (p['50.0'] ?? 0).toFixed(1), (p['95.0'] ?? 0).toFixed(1), (1000 / avg).toFixed(1)];
}

const nested = ([field, ...rest]: string[]): estypes.AggregationsAggregationContainer => ({
  terms: { field: field!, size: 10 },
  ...(rest.length ? { aggs: { next: nested(rest) } } : {}),
});

/** Flattens nested terms buckets into [key path, doc count] rows. */
function flatten(agg: Buckets, prefix: string[] = []): Array<[string[], number]> {
  return agg.buckets.flatMap((x) =>
    x.next
      ? flatten(x.next as Buckets, [...prefix, String(x.key)])
      : [[[...prefix, String(x.key)], x.doc_count] as [string[], number]],
  );
}

/** The metrics block for `index` and the dataset file, as Markdown between the REPORT.md markers. */
export async function buildMetricsBlock(es: Client, index: string, datasetPath: string): Promise<string> {
  const terms = (field: string, size = 20) => ({ terms: { field, size, missing: '(none)' } });
  const res = await es.search({
    index,
    size: 0,
    track_total_hits: true,
    aggs: {
      emotion: terms('emotion.label'),
      stance: terms('stance.label'),
      by_month: {
        date_histogram: { field: 'created_at', calendar_interval: 'month', format: 'yyyy-MM', min_doc_count: 1 },
        aggs: {
          emotion: { value_count: { field: 'emotion.label' } },
          stance: { value_count: { field: 'stance.label' } },
          top_emotion: { terms: { field: 'emotion.label', size: 1 } },
        },
      },
      // Nested terms rather than multi_terms, which needs an x-pack module the minimal distribution lacks.
      emotion_models: nested(['emotion.model', 'emotion.revision', 'emotion.dtype']),
      stance_models: nested(['stance.model', 'stance.revision', 'stance.prompt_version']),
      emotion_latency: { percentiles: { field: 'emotion.inference_ms', percents: [50, 95] } },
      emotion_avg: { avg: { field: 'emotion.inference_ms' } },
      stance_latency: { percentiles: { field: 'stance.inference_ms', percents: [50, 95] } },
      stance_avg: { avg: { field: 'stance.inference_ms' } },
    } as Record<string, estypes.AggregationsAggregationContainer>,
  });
  const aggs = res.aggregations as Record<string, unknown>;
  const total = typeof res.hits.total === 'number' ? res.hits.total : res.hits.total!.value;
  const b = (name: string) => (aggs[name] as Buckets).buckets;

  let valid = 0;
  const invalid: Record<string, number> = {};
  for await (const batch of readTweetBatches(datasetPath)) {
    valid += batch.lines.length;
    for (const record of batch.invalid) {
      const reason = record.reason.replace(/ \(.*\)$/, '');
      invalid[reason] = (invalid[reason] ?? 0) + 1;
    }
  }

  const used = (['emotion', 'stance'] as const).flatMap((task) =>
    flatten(aggs[`${task}_models`] as Buckets).map(([keys, n]) => ({ task, keys, n })),
  );
  const models = used.map(({ task, keys, n }) => `- ${task}: \`${keys.join(' · ')}\` (${n} tweets)`);
  const fixtureOnly = used.every(({ keys }) => keys[0]!.startsWith('fixture/'));
  const count = (name: string, key: string) => b(name).find((x) => x.key === key)?.doc_count ?? 0;

  return [
    START,
    `_Generated ${new Date().toISOString()} from index \`${index}\` and \`${path.relative(process.cwd(), datasetPath) || datasetPath}\`._`,
    '',
    `**Models that produced these labels**`,
    ...(models.length ? models : ['- none yet']),
    ...(fixtureOnly && models.length
      ? [
          '',
          '> Measured with the **test fixture models** only (the real weights cannot be downloaded here): the label',
          '> distributions below say nothing about the tweets. `npm run models && npm run tag -- emotion --sync --limit 100 && npm run tag -- stance --sync --limit 100 && npm run report` regenerates them with the real models.',
        ]
      : []),
    '',
    `**Documents**: ${total} in the index; ${total - count('emotion', '(none)')} with emotion, ${total - count('stance', '(none)')} with stance. Dataset: ${valid} valid records, ${Object.values(invalid).reduce((a, n) => a + n, 0)} skipped as invalid${
      Object.keys(invalid).length
        ? ` (${Object.entries(invalid)
            .map(([r, n]) => `${r}: ${n}`)
            .join('; ')})`
        : ''
    }.`,
    '',
    table(
      ['emotion', 'tweets'],
      b('emotion').map((x) => [x.key, x.doc_count]),
    ),
    '',
    table(
      ['stance', 'tweets'],
      b('stance').map((x) => [x.key, x.doc_count]),
    ),
    '',
    table(
      ['month', 'tweets', 'with emotion', 'with stance', 'top emotion'],
      b('by_month').map((x) => [
        x.key_as_string!,
        x.doc_count,
        (x.emotion as { value: number }).value,
        (x.stance as { value: number }).value,
        ((x.top_emotion as Buckets).buckets[0]?.key as string) ?? '—',
      ]),
    ),
    '',
    "Latency per tweet, from the pipeline's own timings (batch inference time / batch size, stored as `inference_ms`):",
    '',
    table(
      ['task', 'mean ms', 'p50 ms', 'p95 ms', 'tweets/s (1000/mean)'],
      [latency(aggs, 'emotion'), latency(aggs, 'stance')],
    ),
    END,
  ].join('\n');
}

/** Replaces the metrics block of a report's text; the rest of the report is left as written. */
export function replaceMetricsBlock(report: string, block: string): string {
  const start = report.indexOf(START);
  const end = report.indexOf(END);
  if (start < 0 || end < start) throw new Error(`REPORT.md has no ${START} … ${END} block`);
  return report.slice(0, start) + block + report.slice(end + END.length);
}

const USAGE = `usage: npm run report
  Regenerates the metrics block of REPORT.md from the index (ES_URL, ES_INDEX) and DATASET_PATH.`;

async function main() {
  cli({ usage: USAGE });
  const cfg = config();
  const block = await buildMetricsBlock(esClient(), cfg.es.index, cfg.datasetPath);
  const reportPath = path.resolve('REPORT.md');
  fs.writeFileSync(reportPath, replaceMetricsBlock(fs.readFileSync(reportPath, 'utf8'), block));
  console.log(block);
}

if (require.main === module) run('report', main);
