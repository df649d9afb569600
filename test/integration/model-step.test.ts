import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChecksumMismatchError, HubClient, HubError, hubToken } from '../../lib/models/hub';
import { verifyModelFiles } from '../../lib/models/manifest';
import { loadEmotionClassifier } from '../../lib/models/emotion';
import { loadStanceClassifier } from '../../lib/models/stance';
import { fetchEmotionModel, fetchStanceModel, loadModelsSpec, type Exporter } from '../../scripts/models/model-step';
import { FIXTURES } from '../support/env';
import { FakeHub } from '../support/fake-hub';

const spec = loadModelsSpec();
const GGUF = 'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf';
const fixtureFile = (rel: string) => fs.readFileSync(path.join(FIXTURES.emotionDir, rel));

// The hub serves the fixture GGUF under the real file name, and small stand-ins for the official emotion
// repo's files (the real weights can't be downloaded here).
const hub = new FakeHub({
  [spec.stance.repo]: { [GGUF]: fs.readFileSync(FIXTURES.stancePath), 'README.md': Buffer.from('# GGUF\n') },
  [spec.emotion.repo]: {
    'config.json': fixtureFile('config.json'),
    'vocab.json': Buffer.from('{"<s>":0}'),
    'merges.txt': Buffer.from('#version: 0.2\n'),
    'tokenizer_config.json': fixtureFile('tokenizer_config.json'),
    'pytorch_model.bin': Buffer.alloc(4096, 7),
  },
});

// The ONNX export needs the real PyTorch weights and Python's optimum, neither available here: this
// exporter stands in for it by writing the fixture's ONNX files. Everything around it is the real step.
let exports = 0;
const fixtureExporter: Exporter = async (_src, out) => {
  exports++;
  for (const f of [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'onnx/model.onnx',
    'onnx/model_quantized.onnx',
  ]) {
    fs.mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES.emotionDir, f), path.join(out, f));
  }
};

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'models-'));
const fileRequests = (name: string) => hub.requests.filter((r) => r.endsWith(`/${name}`)).length;

beforeAll(() => hub.start());
afterAll(() => hub.stop());
beforeEach(() => hub.tampered.clear());

describe('model step against a local server in the hub URL layout', () => {
  it('fetches the GGUF, verifies its sha256, writes a manifest that loading accepts, and the model runs', async () => {
    const modelsDir = tmp();
    const manifest = await fetchStanceModel(spec.stance, { modelsDir, hub: new HubClient(hub.url) });
    const commit = FakeHub.commitOf(spec.stance.repo, {
      [GGUF]: fs.readFileSync(FIXTURES.stancePath),
      'README.md': Buffer.from('# GGUF\n'),
    });
    expect(manifest).toMatchObject({
      model: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
      revision: `${spec.stance.repo}@${commit}`,
    });
    const file = path.join(modelsDir, 'TinyLlama', GGUF);
    await expect(verifyModelFiles(path.dirname(file), [GGUF], { hash: true })).resolves.toBeTruthy();
    const model = await loadStanceClassifier({ path: file, modelId: 'x', parallel: 1, threads: 2, contextSize: 512 });
    const [r] = await model.classify(['I support this bill']);
    expect(r).toMatchObject({ revision: manifest.revision });

    // A second run downloads nothing.
    const before = fileRequests(GGUF);
    await fetchStanceModel(spec.stance, { modelsDir, hub: new HubClient(hub.url) });
    expect(fileRequests(GGUF)).toBe(before);
  });

  it('rejects a download whose sha256 differs from the hub, leaving no file behind', async () => {
    const modelsDir = tmp();
    hub.tampered.add(GGUF);
    await expect(fetchStanceModel(spec.stance, { modelsDir, hub: new HubClient(hub.url) })).rejects.toThrow(
      ChecksumMismatchError,
    );
    expect(fs.readdirSync(path.join(modelsDir, 'TinyLlama'))).toEqual([]);
  });

  it('verifies small git files by their git blob sha1', async () => {
    hub.tampered.add('config.json');
    await expect(
      fetchEmotionModel(spec.emotion, {
        modelsDir: tmp(),
        hub: new HubClient(hub.url),
        exportEmotion: fixtureExporter,
      }),
    ).rejects.toThrow(/config\.json: git blob .* does not match/);
  });

  it('emotion: downloads the official files (weights: first available of safetensors/bin), exports once, then skips', async () => {
    const modelsDir = tmp();
    exports = 0;
    const manifest = await fetchEmotionModel(spec.emotion, {
      modelsDir,
      hub: new HubClient(hub.url),
      exportEmotion: fixtureExporter,
    });
    expect(fs.existsSync(path.join(modelsDir, '.hub', spec.emotion.repo, 'pytorch_model.bin'))).toBe(true);
    expect(fs.existsSync(path.join(modelsDir, '.hub', spec.emotion.repo, 'tokenizer_config.json'))).toBe(true); // optional, present
    expect(manifest).toMatchObject({ model: spec.emotion.repo, revision: expect.stringMatching(/^[0-9a-f]{40}$/) });

    const dir = path.join(modelsDir, spec.emotion.dir);
    const model = await loadEmotionClassifier({ dir, dtype: 'q8', batchSize: 4 });
    expect(model.marker).toEqual({ model: spec.emotion.repo, revision: manifest.revision });

    await fetchEmotionModel(spec.emotion, { modelsDir, hub: new HubClient(hub.url), exportEmotion: fixtureExporter });
    expect(exports).toBe(1);
  });

  it('says which file a repo lacks, and when the hub cannot be reached', async () => {
    const missing = { ...spec.stance, files: ['nope.gguf'] };
    await expect(fetchStanceModel(missing, { modelsDir: tmp(), hub: new HubClient(hub.url) })).rejects.toThrow(
      /nope.gguf is not in/,
    );
    await expect(
      fetchStanceModel(spec.stance, { modelsDir: tmp(), hub: new HubClient('http://127.0.0.1:1') }),
    ).rejects.toThrow(HubError);
  });
});

describe('model step without the hub (second start offline)', () => {
  const stanceRepo = { [GGUF]: fs.readFileSync(FIXTURES.stancePath), 'README.md': Buffer.from('# GGUF\n') };

  it('a hub that no longer answers: verified local files are used, with a warning', async () => {
    const own = new FakeHub({ [spec.stance.repo]: stanceRepo });
    await own.start();
    const modelsDir = tmp();
    const first = await fetchStanceModel(spec.stance, { modelsDir, hub: new HubClient(own.url) });
    await own.stop(); // the hub is gone: connection refused, as without network
    const lines: string[] = [];
    const second = await fetchStanceModel(spec.stance, {
      modelsDir,
      hub: new HubClient(own.url),
      log: (l) => lines.push(l),
    });
    expect(second.revision).toBe(first.revision);
    expect(lines.join('\n')).toMatch(/warning: cannot reach http:\/\/127\.0\.0\.1:\d+ .*verified local files/);
  });

  it('HF_HUB_OFFLINE: never asks the hub; emotion export reused; corrupt or missing files are refused', async () => {
    const modelsDir = tmp();
    await fetchEmotionModel(spec.emotion, { modelsDir, hub: new HubClient(hub.url), exportEmotion: fixtureExporter });
    const asked = hub.requests.length;
    const lines: string[] = [];
    const manifest = await fetchEmotionModel(spec.emotion, {
      modelsDir,
      hub: new HubClient(hub.url),
      offline: true,
      exportEmotion: fixtureExporter,
      log: (l) => lines.push(l),
    });
    expect(hub.requests.length).toBe(asked);
    expect(manifest.model).toBe(spec.emotion.repo);
    expect(lines.join('\n')).toContain('warning: HF_HUB_OFFLINE is set');

    fs.appendFileSync(path.join(modelsDir, spec.emotion.dir, 'config.json'), ' ');
    await expect(
      fetchEmotionModel(spec.emotion, { modelsDir, hub: new HubClient(hub.url), offline: true }),
    ).rejects.toThrow(/HF_HUB_OFFLINE is set, and there are no verified local files .*config\.json/);
    await expect(
      fetchStanceModel(spec.stance, { modelsDir: tmp(), hub: new HubClient(hub.url), offline: true }),
    ).rejects.toThrow(/no manifest\.json/);
  });

  it('a pinned commit that differs from the local files is refused offline', async () => {
    const modelsDir = tmp();
    await fetchStanceModel(spec.stance, { modelsDir, hub: new HubClient(hub.url) });
    const pinned = { ...spec.stance, revision: 'f'.repeat(40) };
    await expect(fetchStanceModel(pinned, { modelsDir, hub: new HubClient(hub.url), offline: true })).rejects.toThrow(
      /not the pinned f{40}/,
    );
  });

  it('HF_TOKEN, else the token file in HF_HOME, as Hugging Face tools read them', () => {
    const home = tmp();
    expect(hubToken({ endpoint: 'x', token: undefined, home, offline: false })).toBeUndefined();
    fs.writeFileSync(path.join(home, 'token'), 'hf_fromfile\n');
    expect(hubToken({ endpoint: 'x', token: undefined, home, offline: false })).toBe('hf_fromfile');
    expect(hubToken({ endpoint: 'x', token: 'hf_env', home, offline: false })).toBe('hf_env');
  });
});
