/**
 * The parser thread's entry under an esbuild bundle: the handler's bundle is the only file, so it re-enters
 * itself as the worker (PARSER_ENTRY = __filename). Built with the project's esbuild options, run by plain node.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { FIXTURES, ROOT } from '../support/env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const projectOptions = require(path.join(ROOT, 'esbuild.config.ts'))();

const ENTRY = `
import { isMainThread } from 'node:worker_threads';
import { readTweetBatches } from ${JSON.stringify(path.join(ROOT, 'lib/dataset'))};

async function main(file: string) {
  const reader = readTweetBatches(file, { batchSize: 5 });
  let step = await reader.next();
  const ids: string[] = [];
  for (; !step.done; step = await reader.next()) ids.push(...step.value.lines.ids);
  console.log(JSON.stringify({ ids, summary: step.value }));
}
// The bundle runs again as the parser thread: top-level work must be guarded.
if (isMainThread) main(process.argv[2]!).catch((e) => { console.error(e); process.exit(1); });
`;

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataset-bundle-test-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('a CJS bundle built with the project options reads a file in its parser thread', async () => {
  const { exclude, packagerOptions: _p, ...options } = projectOptions;
  fs.writeFileSync(path.join(dir, 'entry.ts'), ENTRY);
  const outfile = path.join(dir, 'out', 'entry.js');
  await build({ ...options, external: exclude, entryPoints: [path.join(dir, 'entry.ts')], outfile, logLevel: 'error' });

  // Plain node, no tsx: a worker pointed at a .ts file would fail here.
  const out = execFileSync(process.execPath, [outfile, FIXTURES.dataset], { cwd: dir, encoding: 'utf8' });
  const { ids, summary } = JSON.parse(out);
  expect(ids).toEqual(['1790123456789012345', '1790123456789012346', '3', '4', '5', '4', '13', '14']);
  expect(summary).toMatchObject({ format: 'json-array', records: 14, invalid: 6 });
});
