import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** The stand-ins' Python (torch, onnxruntime), when `npm run models:standin` has set it up. */
export const STANDIN_PYTHON = process.env.STANDIN_PYTHON ?? '.venv-standin/bin/python';

/** Runs a Python bench script and returns the JSON object it prints last, or undefined without the venv. */
export function runPythonJson<T>(script: string, args: string[]): T | undefined {
  if (!fs.existsSync(STANDIN_PYTHON)) return undefined;
  const out = spawnSync(STANDIN_PYTHON, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) {
    console.error(`${script} failed: ${(out.stderr ?? '').slice(-500)}`);
    return undefined;
  }
  const last = out.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}
