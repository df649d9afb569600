import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './env';

export interface OfflineServer {
  url: string;
  stop(): Promise<void>;
  logFile: string;
}

/** Starts `serverless offline` (the real HTTP server users run) with the given environment. */
export async function startOffline(env: Record<string, string>, port: number): Promise<OfflineServer> {
  const logFile = path.join(ROOT, '.esbuild', `offline-test-${port}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/serverless/bin/serverless.js'), 'offline', 'start'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        HOST: '127.0.0.1',
        PORT: String(port),
        LAMBDA_PORT: String(port + 2),
        // The warm-up's 60 calls at start only add load to a shared test machine; bench:tweets measures it.
        WARM_UP: '0',
        ...env,
      },
      stdio: ['ignore', out, out],
      detached: true, // its own process group, so stop() also ends what it spawned
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health`);
      if (res.status < 500 || res.status === 503) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (child.exitCode !== null || Date.now() >= deadline) {
    throw new Error(
      `serverless offline did not start; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
    );
  }
  return {
    url,
    logFile,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer); // a pending timer would keep jest from exiting
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    },
  };
}
