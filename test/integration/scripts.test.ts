import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/env';

/** Runs a script as `npm run` does (tsx), never throwing: exit code and output come back. */
async function script(file: string, args: string[], env: Record<string, string | undefined> = {}) {
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), file, ...args],
      { cwd: ROOT, env: childEnv },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const SCRIPTS = [
  'scripts/check-config.ts',
  'scripts/report.ts',
  'scripts/models/fetch.ts',
  'scripts/models/compare-emotion.ts',
  'scripts/bench/dataset.ts',
  'scripts/tag.ts',
  'scripts/ingest.ts',
  'scripts/reindex.ts',
];

describe('command-line entry points', () => {
  it.each(SCRIPTS)('%s --help prints its usage, does nothing else, exits 0', async (file) => {
    const report = fs.readFileSync(path.join(ROOT, 'REPORT.md'), 'utf8');
    const res = await script(file, ['--help'], { ES_URL: 'http://127.0.0.1:1' }); // nothing may be contacted
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toMatch(/^usage: /);
    expect(fs.readFileSync(path.join(ROOT, 'REPORT.md'), 'utf8')).toBe(report);
  });

  it.each(SCRIPTS)('%s rejects an unknown flag with exit 2 and the usage', async (file) => {
    const res = await script(file, ['--no-such-flag']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("Unknown option '--no-such-flag'");
    expect(res.stderr).toContain('usage: ');
  });

  describe('.env (ENV_FILE names another file, so the project .env is never touched)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'envfile-'));
    const envFile = path.join(dir, '.env');
    fs.writeFileSync(envFile, '# a comment\nES_INDEX=Not A Valid Index\nEMOTION_DTYPE="fp64"\n');

    it('is read by a CLI: its bad values are named', async () => {
      const res = await script('scripts/check-config.ts', [], {
        ENV_FILE: envFile,
        ES_INDEX: undefined,
        EMOTION_DTYPE: undefined,
      });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/ES_INDEX .*EMOTION_DTYPE|EMOTION_DTYPE .*ES_INDEX/);
    });

    it('never overrides a variable already set in the environment', async () => {
      const res = await script('scripts/check-config.ts', [], {
        ENV_FILE: envFile,
        ES_INDEX: 'from-env',
        EMOTION_DTYPE: 'q8',
      });
      expect(res).toMatchObject({ code: 0, stderr: '' });
    });

    it('a named ENV_FILE that does not exist is an error', async () => {
      const res = await script('scripts/check-config.ts', [], { ENV_FILE: path.join(dir, 'missing.env') });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('missing.env: no such file');
    });
  });

  it('a bad combination of Elasticsearch settings stops the start, naming the variables', async () => {
    const res = await script('scripts/check-config.ts', [], {
      ES_URL: 'https://127.0.0.1:9200',
      ES_API_KEY: 'k',
      ES_USERNAME: 'u',
      ES_PASSWORD: 'p',
      ES_CA_CERT: '/nonexistent/ca.pem',
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ES_API_KEY and ES_USERNAME/ES_PASSWORD are two ways to authenticate');
    expect(res.stderr).toContain('ES_CA_CERT: no readable file at /nonexistent/ca.pem');
  });
});

/** `docker compose config` parses the file without an engine; machines without the docker CLI skip this. */
const compose = (() => {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return describe;
  } catch {
    return describe.skip;
  }
})();

compose('docker-compose.yml (docker compose config)', () => {
  const config = (...profile: string[]) =>
    JSON.parse(
      execFileSync('docker', ['compose', ...profile, 'config', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' }),
    ) as { services: Record<string, { environment?: Record<string, string> }> };

  it('is single-node by default; the cluster profile adds three nodes and an API with replicas 1', () => {
    const plain = config();
    expect(Object.keys(plain.services).sort()).toEqual(['api', 'elasticsearch', 'models']);
    expect(plain.services.elasticsearch!.environment!['discovery.type']).toBe('single-node');
    const cluster = config('--profile', 'cluster');
    for (const node of ['es-c1', 'es-c2', 'es-c3']) {
      expect(cluster.services[node]!.environment).toMatchObject({
        'node.name': node,
        'discovery.seed_hosts': 'es-c1,es-c2,es-c3',
        'cluster.initial_master_nodes': 'es-c1,es-c2,es-c3',
      });
    }
    expect(cluster.services['api-cluster']!.environment).toMatchObject({
      ES_URL: 'http://es-c1:9200,http://es-c2:9200,http://es-c3:9200',
      ES_SHARDS: '3',
      ES_REPLICAS: '1',
    });
  });
});
