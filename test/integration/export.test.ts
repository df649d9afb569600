import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { exportToStream } from '../../lib/pipeline/export';
import { ElasticsearchTweetStore } from '../../lib/store';
import { deleteIndex, rawClient } from '../support/es';
import { ROOT, testIndex } from '../support/env';
import { loadTagged } from '../support/load-tagged';
import { taggedDataset, taggedTweet, TAGGED_COUNT } from '../support/tagged-tweets';

const index = testIndex('export');
const store = new ElasticsearchTweetStore(rawClient(), index);
const env = { ...process.env, ES_INDEX: index, LOG_LEVEL: 'silent' };
const exportCli = (args: string[]) =>
  promisify(execFile)(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/export.ts', ...args],
    { cwd: ROOT, env },
  );

beforeAll(() => loadTagged(store));
afterAll(() => deleteIndex(index));

describe('streamed export (npm run export)', () => {
  it('pages through every tweet with search_after, in the sort order, reporting progress', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    const progress: number[] = [];
    const rows = await exportToStream(store, {}, 'retweets', 'ndjson', out, (p) => progress.push(p.written), 5);
    expect(rows).toBe(TAGGED_COUNT);
    expect(progress).toEqual([5, 10, 15, 20, 24]);
    const ids = chunks
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).id);
    const byRetweets = [...taggedDataset()].sort(
      (a, b) => taggedTweet(b).metrics.retweets - taggedTweet(a).metrics.retweets || b - a,
    );
    expect(ids).toEqual(byRetweets.map((i) => taggedTweet(i).id));
  });

  it('npm run export writes a CSV file of the matching tweets', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'export-')), 'bob.csv');
    const { stdout } = await exportCli(['--out', file, '--author', 'bob']);
    const bob = taggedDataset().filter((i) => i % 4 === 1).length;
    expect(stdout).toContain(`${bob} tweets written to ${file} (csv)`);
    expect(fs.readFileSync(file, 'utf8').trimEnd().split('\r\n')).toHaveLength(bob + 1);
  });

  it('npm run export refuses bad flags with the API’s message', async () => {
    const err = await exportCli(['--out', '/tmp/x.csv', '--min-score', '1.5']).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('--min-score must be a number between 0 and 1');
  });
});
