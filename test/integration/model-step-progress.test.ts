import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadModelsSpec } from '../../scripts/models/model-step';
import { FIXTURES, ROOT } from '../support/env';
import { FakeHub } from '../support/fake-hub';

// `npm run models` as the compose `models` service runs it: stdout is a pipe, not a terminal. Every line the user
// needs (size, progress, rate, the messages) must come out of it.
const spec = loadModelsSpec();
const GGUF = 'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf';
const SIZE = 3_000_000; // many network chunks, so the 10 % steps are visible
const hub = new FakeHub({ [spec.stance.repo]: { [GGUF]: randomBytes(SIZE) } });
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'models-piped-'));

async function modelStep(args: string[], env: Record<string, string> = {}) {
  const childEnv = { ...process.env, HF_ENDPOINT: hub.url, MODELS_DIR: modelsDir, HF_HUB_OFFLINE: '0', ...env };
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/models/fetch.ts', ...args],
    { cwd: ROOT, env: childEnv },
  );
  return { stdout, stderr };
}

beforeAll(() => hub.start());
afterAll(async () => {
  await hub.stop();
  fs.rmSync(modelsDir, { recursive: true, force: true });
});

describe('model step with stdout piped (no TTY)', () => {
  it('prints the size, every 10 % with the rate, and each message, as plain lines', async () => {
    const { stdout } = await modelStep(['stance']);
    const lines = stdout.split('\n');
    expect(lines).toContain(`  ${GGUF}: downloading 3.0 MB`);
    const steps = lines
      .map((l) => new RegExp(`^  ${GGUF.replace(/\./g, '\\.')}: (\\d+)% \\([\\d.]+/3\\.0 MB, [\\d.]+ MB/s\\)$`).exec(l))
      .filter((m) => m !== null)
      .map((m) => Number(m[1]));
    expect(steps[steps.length - 1]).toBe(100);
    expect(steps.length).toBeGreaterThanOrEqual(3); // intermediate steps, not only the end
    expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b)); // each step once, in order
    expect(stdout).toContain(`${GGUF}: downloaded and verified (sha256)`);
    expect(stdout).toMatch(new RegExp(`stance: ${spec.stance.repo}@[0-9a-f]{40} ready in ${modelsDir}/TinyLlama`));
    expect(stdout).not.toContain('\u001b['); // no terminal control codes in a log
  });

  it('a second run says the file is already verified, then ready', async () => {
    const { stdout } = await modelStep(['stance']);
    expect(stdout).toContain(`${GGUF}: already verified, skipped`);
    expect(stdout).not.toContain('downloading');
    expect(stdout).toMatch(/stance: .* ready in /);
  });

  it('offline, both models say they use the verified local files, then ready', async () => {
    fs.cpSync(FIXTURES.emotionDir, path.join(modelsDir, spec.emotion.dir), { recursive: true });
    const { stdout } = await modelStep([], { HF_HUB_OFFLINE: '1' });
    expect(stdout.match(/warning: HF_HUB_OFFLINE is set; using the verified local files/g)).toHaveLength(2);
    expect(stdout).toMatch(/emotion: .* ready in /);
    expect(stdout).toMatch(/stance: .* ready in /);
  });
});
