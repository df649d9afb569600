import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './env';

/** `serverless invoke local -f <fn> --data <json>`, as a user runs it; returns the handler's response. */
export async function invokeLocal(fn: string, data: unknown, env: Record<string, string> = {}) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/serverless/bin/serverless.js'),
      'invoke',
      'local',
      '-f',
      fn,
      '--data',
      JSON.stringify(data),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'silent', ...env },
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  // The response is the last JSON object printed.
  const start = stdout.lastIndexOf('\n{');
  const response = JSON.parse(stdout.slice(start + 1)) as { statusCode: number; body: string };
  return { statusCode: response.statusCode, json: JSON.parse(response.body) };
}
