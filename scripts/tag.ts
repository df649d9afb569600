/**
 * npm run tag -- emotion|stance [--limit N] [--from DATE] [--to DATE] [--force]
 * Runs the same pipeline as POST /emotion and /stance, with a progress bar, then prints the summary.
 */
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { zodProblems } from '../lib/http/middleware';
import { runTask, tagParams } from '../lib/pipeline/tasks';
import { toHttpError } from '../lib/http/error-mapping';
import { tagQuery } from '../lib/schemas';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { limit: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const task = positionals[0];
  if (task !== 'emotion' && task !== 'stance') throw new Error('usage: npm run tag -- emotion|stance [--limit N] [--from DATE] [--to DATE] [--force]');
  const parsed = tagQuery().safeParse({
    ...(values.limit ? { limit: values.limit } : {}),
    ...(values.from ? { start_date: values.from } : {}),
    ...(values.to ? { end_date: values.to } : {}),
    force: values.force,
  });
  if (!parsed.success) throw new Error(zodProblems(parsed.error.issues as never).map((p) => `${p.field} ${p.message}`).join('; '));

  const bar = new SingleBar({ format: `${task} [{bar}] {value}/{total} tweets | classified {classified} | skipped {skipped} | failed {failed} | {eta_formatted} left` }, Presets.shades_classic);
  let started = false;
  const summary = await runTask(task, tagParams(parsed.data), (p) => {
    if (!started) {
      bar.start(p.total, 0, { classified: 0, skipped: 0, failed: 0 });
      started = true;
    }
    bar.update(p.done, { classified: p.classified, skipped: p.skipped, failed: p.failed });
  });
  if (started) bar.stop();
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((error) => {
  const http = toHttpError(error as Error);
  console.error(`tag failed: ${http.status === 500 ? (error as Error).message : http.message}${http.details && typeof http.details === 'object' && 'hint' in http.details ? `\n${(http.details as { hint: string }).hint}` : ''}`);
  process.exit(1);
});
