import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildMetricsBlock, replaceMetricsBlock } from '../../scripts/report';
import { deleteIndex, rawClient } from '../support/es';
import { FIXTURES, ROOT, testIndex } from '../support/env';
import { MULTILINGUAL, multilingualRecords } from '../support/multilingual';

const index = testIndex('cli');
const env = {
  ...process.env,
  ES_INDEX: index,
  DATASET_PATH: FIXTURES.dataset,
  EMOTION_MODEL_DIR: FIXTURES.emotionDir,
  LOG_LEVEL: 'silent',
};
const tag = (args: string[]) =>
  promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/tag.ts', ...args], {
    cwd: ROOT,
    env,
  });

afterAll(() => deleteIndex(index));

describe('command-line tools', () => {
  it('npm run tag -- --sync runs the pipeline in this process and prints the summary', async () => {
    const { stdout } = await tag(['emotion', '--sync', '--limit', '3', '--start-date', '2025-01-01']);
    const summary = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(summary).toMatchObject({
      task: 'emotion',
      requested: 3,
      classified: 3,
      remaining: 3,
      ingest: { indexed: 8 },
    });
    expect((await rawClient().count({ index })).count).toBe(7);
  });

  it('npm run ingest -- FILE... ingests the files given, each a source', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/ingest.ts', MULTILINGUAL, FIXTURES.sample],
      { cwd: ROOT, env: { ...env, ES_INDEX: `${index}-files` } }, // its own index: the report test counts this one
    );
    await deleteIndex(`${index}-files`);
    const summary = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(summary.sources.map((s: { source: string; unchanged: boolean }) => [s.source, s.unchanged])).toEqual([
      [FIXTURES.sample, false], // outside the dataset folder: named by its absolute path
      [path.relative(path.dirname(FIXTURES.dataset), MULTILINGUAL), false],
    ]);
    expect(summary.indexed).toBe(multilingualRecords().length + 30);
  });

  it("npm run tag rejects bad arguments with the API's message and exit code 1", async () => {
    const err = await tag(['emotion', '--limit', '0']).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('--limit must be at least 1');
  });

  it('npm run report builds the metrics table from the index and replaces only its block', async () => {
    await rawClient().indices.refresh({ index });
    const block = await buildMetricsBlock(rawClient(), index, FIXTURES.dataset);
    expect(block).toContain(
      '**Documents**: 7 in the index; 3 with emotion, 0 with stance. Dataset: 8 valid records, 6 skipped as invalid',
    );
    expect(block).toContain('- emotion: `fixture/emotion-tiny ·');
    expect(block).toMatch(/\| emotion \| \d+\.\d \| \d+\.\d \| \d+\.\d \| \d+\.\d \|/);
    const report = '# R\n<!-- metrics:start (npm run report) -->\nold\n<!-- metrics:end -->\n## After\n';
    const updated = replaceMetricsBlock(report, block);
    expect(updated).toMatch(/^# R\n<!-- metrics:start/);
    expect(updated).not.toContain('old');
    expect(updated.endsWith('## After\n')).toBe(true);
  });
});
