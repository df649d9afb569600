import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/env';

// What `docker compose` hands the containers, read back with `docker compose config` (no engine needed, only the
// CLI). Skipped where the CLI is missing, as in CI.
const hasCompose = (() => {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();
if (!hasCompose) console.log('compose-config tests skipped: `docker compose` is not installed');

type Service = {
  environment: Record<string, string>;
  ports?: Array<{ host_ip?: string; published: string }>;
};
/** The resolved file, with `dir` as the project directory (its .env is what compose reads). */
async function composeConfig(dir: string, env: Record<string, string> = {}) {
  const { stdout } = await promisify(execFile)(
    'docker',
    ['compose', '--project-directory', dir, '-f', path.join(ROOT, 'docker-compose.yml'), 'config', '--format', 'json'],
    { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
  );
  return JSON.parse(stdout) as { services: Record<string, Service> };
}
const projectDir = (dotenv?: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-'));
  if (dotenv !== undefined) fs.writeFileSync(path.join(dir, '.env'), dotenv);
  return dir;
};

(hasCompose ? describe : describe.skip)('docker compose config', () => {
  it('.env values reach the api and models services; container-fixed ones win', async () => {
    const dir = projectDir(
      'DEFAULT_TAG_LIMIT=7\nEMOTION_BATCH_SIZE=3\nAPI_KEY=from-dotenv-123\nHF_ENDPOINT=https://mirror.example\n' +
        'ES_URL=http://127.0.0.1:9200\nMODELS_DIR=models\n',
    );
    const { services } = await composeConfig(dir);
    expect(services.api!.environment).toMatchObject({
      DEFAULT_TAG_LIMIT: '7',
      EMOTION_BATCH_SIZE: '3',
      API_KEY: 'from-dotenv-123',
      ES_URL: 'http://elasticsearch:9200', // .env's ES_URL is for running without Docker
      MODELS_DIR: '/models',
    });
    expect(services.models!.environment).toMatchObject({
      HF_ENDPOINT: 'https://mirror.example',
      MODELS_DIR: '/models',
    });
  });

  it('no .env is fine (required: false), and API_KEY can come from the shell', async () => {
    const { services } = await composeConfig(projectDir(), { API_KEY: 'from-shell-123' });
    expect(services.api!.environment.API_KEY).toBe('from-shell-123');
    expect(services.api!.environment.DEFAULT_TAG_LIMIT).toBeUndefined();
  });

  it('published ports bind to 127.0.0.1 by default; BIND_ADDRESS changes them all', async () => {
    const local = await composeConfig(projectDir(), { PORT: '3616', ES_PORT: '9266' });
    expect(local.services.api!.ports).toEqual([expect.objectContaining({ host_ip: '127.0.0.1', published: '3616' })]);
    expect(local.services.elasticsearch!.ports).toEqual([
      expect.objectContaining({ host_ip: '127.0.0.1', published: '9266' }),
    ]);
    const open = await composeConfig(projectDir(), { BIND_ADDRESS: '0.0.0.0' });
    for (const name of ['api', 'elasticsearch']) {
      expect(open.services[name]!.ports!.map((p) => p.host_ip)).toEqual(['0.0.0.0']);
    }
  });
});
