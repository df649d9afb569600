/**
 * npm run bench [-- --quick] — every bench in sequence (each its own process, so one's memory and threads do
 * not disturb the next), then one table: each row ours, its anchor measured in the same run, the ratio. Starts
 * with the machine: cores and the measured fp32 GEMM rate. --quick uses smaller sizes (under ~3 minutes).
 * The model benches run on the stand-ins (npm run models:standin) and are skipped without them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, PROJECT_ROOT, run } from '../lib/cli';
import { runPythonJson } from './python';
import { ROWS_MARKER, rowsTable, type BenchRow } from './rows';

const USAGE = `usage: npm run bench -- [--quick]`;
const STANDIN = path.join(PROJECT_ROOT, 'models/standin');
const STANCE_GGUF = path.join(STANDIN, 'stance-tinyllama/tinyllama-standin.Q4_K_M.gguf');
const EMOTION_DIR = path.join(STANDIN, 'emotion-distilroberta');

interface Step {
  name: string;
  script: string;
  args: string[];
  env?: Record<string, string>;
  needs?: string;
}

function steps(quick: boolean): Step[] {
  return [
    { name: 'ingest', script: 'ingest.ts', args: ['--records', quick ? '60000' : '120000', '--tag', '0'] },
    {
      name: 'tweets',
      script: 'tweets.ts',
      args: quick ? ['--tweets', '30000', '--seconds', '5'] : ['--tweets', '120000', '--seconds', '10'],
    },
    {
      name: 'stance',
      script: 'stance.ts',
      args: [],
      env: { STANCE_MODEL_PATH: STANCE_GGUF, BENCH_N: quick ? '4' : '30', BENCH_PARALLEL: quick ? '0' : '0,1,2' },
      needs: STANCE_GGUF,
    },
    {
      name: 'emotion',
      script: 'emotion.ts',
      args: [],
      env: {
        EMOTION_MODEL_DIR: EMOTION_DIR,
        BENCH_N: quick ? '40' : '100',
        BENCH_ROUNDS: quick ? '1' : '2',
        BENCH_TOKENS: quick ? '1024' : '256,1024',
        ...(quick ? { BENCH_BATCHES: '8' } : {}),
      },
      needs: path.join(EMOTION_DIR, 'manifest.json'),
    },
  ];
}

/** Runs one bench, echoing its output; resolves the rows it printed. */
function runStep(step: Step): Promise<BenchRow[]> {
  const tsx = path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs');
  const child = spawn(process.execPath, [tsx, path.join(__dirname, step.script), ...step.args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...step.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rows: BenchRow[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith(ROWS_MARKER)) rows.push(...(JSON.parse(line.slice(ROWS_MARKER.length)) as BenchRow[]));
      else console.log(`  [${step.name}] ${line}`);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(rows) : reject(new Error(`bench ${step.name} exited ${code}`))));
  });
}

async function main() {
  const { values } = cli({ usage: USAGE, options: { quick: { type: 'boolean' } } });
  const t0 = performance.now();
  const gemm = runPythonJson<{ gflops: number }>('scripts/bench/gemm_limit.py', ['0', '512']);
  const machine = `${os.availableParallelism()} cores, fp32 GEMM ${gemm ? `${gemm.gflops.toFixed(1)} GFLOP/s` : 'not measured (no stand-in venv)'}, load average ${os.loadavg()[0]!.toFixed(1)}`;
  console.log(`machine: ${machine}`);
  const rows: BenchRow[] = [];
  const skipped: string[] = [];
  for (const step of steps(values.quick === true)) {
    if (step.needs && !fs.existsSync(step.needs)) {
      skipped.push(`${step.name} (no ${path.relative(PROJECT_ROOT, step.needs)}: npm run models:standin)`);
      continue;
    }
    console.log(`== ${step.name}`);
    rows.push(...(await runStep(step)));
  }
  console.log(
    `\nmachine: ${machine}; ${Math.round((performance.now() - t0) / 1000)} s in all${values.quick ? ' (--quick)' : ''}`,
  );
  if (skipped.length) console.log(`skipped: ${skipped.join('; ')}`);
  console.log(rowsTable(rows));
}

run('bench', main);
