import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../lib/config';
import { emotionModelFiles } from '../../lib/models/files';
import { fetchRepoFiles, HubError, HubUnreachableError, type DownloadProgress, type HubClient } from '../../lib/models/hub';
import { readManifest, verifyModelFiles, writeManifest, type ModelManifest } from '../../lib/models/manifest';

export interface RepoSpec {
  repo: string;
  revision: string;
  files: Array<string | string[]>;
  optional?: string[];
  dir: string;
  base_model?: string;
}
export interface ModelsSpec {
  emotion: RepoSpec;
  stance: RepoSpec;
}

export type Exporter = (srcDir: string, outDir: string) => Promise<void>;

export interface ModelStepOptions {
  modelsDir: string;
  hub: HubClient;
  /** Turns the official weights into ONNX; by default the Python export script. */
  exportEmotion?: Exporter;
  /** HF_HUB_OFFLINE: never ask the hub; verified local files must do. */
  offline?: boolean;
  onProgress?: (p: DownloadProgress) => void;
  log?: (line: string) => void;
}

const REPO_ROOT = path.resolve(__dirname, '../..');

export const loadModelsSpec = (file = path.join(REPO_ROOT, 'models/models.json')): ModelsSpec => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Runs scripts/models/export_emotion.py (needs Python with scripts/models/requirements-export.txt). */
export const pythonExporter: Exporter = async (srcDir, outDir) => {
  const script = path.join(REPO_ROOT, 'scripts/models/export_emotion.py');
  // Streamed, not buffered: the export takes minutes, and its lines are the only sign it is alive.
  const child = spawn(config().python, ['-u', script, srcDir, outDir], { stdio: ['ignore', 'inherit', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderr.push(chunk.toString('utf8'));
  });
  const started = Date.now();
  const heartbeat = setInterval(() => console.log(`  still exporting (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  }).finally(() => clearInterval(heartbeat));
  if (exit.code === 0) return;
  const tail = (exit.error?.message ?? stderr.join('')).trim().split('\n').slice(-3).join(' | ');
  throw new Error(
    `the ONNX export failed: ${tail}\n` +
      'It needs Python with `pip install -r scripts/models/requirements-export.txt` (the `models` container has it).',
  );
};

async function alreadyVerified(dir: string, revision: string, required: string[]): Promise<ModelManifest | undefined> {
  try {
    const manifest = await readManifest(dir);
    if (manifest.revision !== revision) return undefined;
    return await verifyModelFiles(dir, required, { hash: true });
  } catch {
    return undefined;
  }
}

/** The manifest of verified local files standing in for the hub, with a warning; else why they cannot. */
async function localFallback(spec: RepoSpec, dir: string, required: string[], reason: string, options: ModelStepOptions): Promise<ModelManifest> {
  let manifest: ModelManifest;
  try {
    manifest = await verifyModelFiles(dir, required, { hash: true });
  } catch (error) {
    throw new HubError(`${reason}, and there are no verified local files to use instead (${(error as Error).message})`);
  }
  // A pinned commit must be the one on disk; a branch (main) cannot be checked without the hub.
  if (/^[0-9a-f]{40}$/.test(spec.revision) && !manifest.revision.endsWith(spec.revision)) {
    throw new HubError(`${reason}, and the local files are ${manifest.revision}, not the pinned ${spec.revision}`);
  }
  options.log?.(`  warning: ${reason}; using the verified local files of ${manifest.revision} (not compared with the hub)`);
  return manifest;
}

/** Asks the hub (`online`) unless offline; when the hub cannot be reached, verified local files are enough. */
async function withHubOrLocal(spec: RepoSpec, dir: string, required: string[], options: ModelStepOptions, online: () => Promise<ModelManifest>) {
  if (options.offline) return localFallback(spec, dir, required, 'HF_HUB_OFFLINE is set', options);
  try {
    return await online();
  } catch (error) {
    if (!(error instanceof HubUnreachableError)) throw error;
    return localFallback(spec, dir, required, error.message, options);
  }
}

/** GGUF for the stance model: download, verify against the hub's sha256, write the manifest loading checks. */
export async function fetchStanceModel(spec: RepoSpec, options: ModelStepOptions): Promise<ModelManifest> {
  const destDir = path.join(options.modelsDir, spec.dir);
  const names = spec.files.map((f) => (Array.isArray(f) ? f[0]! : f));
  return withHubOrLocal(spec, destDir, names, options, () => fetchStanceOnline(spec, destDir, names, options));
}

async function fetchStanceOnline(spec: RepoSpec, destDir: string, names: string[], options: ModelStepOptions): Promise<ModelManifest> {
  const result = await fetchRepoFiles({ hub: options.hub, repo: spec.repo, revision: spec.revision, files: spec.files, destDir, onProgress: options.onProgress, log: options.log });
  const revision = `${spec.repo}@${result.commit}`;
  const existing = result.downloaded.length === 0 ? await alreadyVerified(destDir, revision, names) : undefined;
  if (existing) return existing;
  return writeManifest(destDir, { model: spec.base_model ?? spec.repo, revision, source: options.hub.fileUrl(spec.repo, result.commit, names[0]!) }, names);
}

/**
 * Emotion model: download the official weights at the pinned revision (verified), export them to ONNX,
 * record sha256 sums. A second run with nothing new downloaded and a verified export skips the export.
 */
export async function fetchEmotionModel(spec: RepoSpec, options: ModelStepOptions): Promise<ModelManifest> {
  const outDir = path.join(options.modelsDir, spec.dir);
  return withHubOrLocal(spec, outDir, EMOTION_OUTPUT, options, () => fetchEmotionOnline(spec, outDir, options));
}

const EMOTION_OUTPUT = [...new Set([...emotionModelFiles('fp32'), ...emotionModelFiles('q8')])];

async function fetchEmotionOnline(spec: RepoSpec, outDir: string, options: ModelStepOptions): Promise<ModelManifest> {
  const srcDir = path.join(options.modelsDir, '.hub', spec.repo);
  const result = await fetchRepoFiles({ hub: options.hub, repo: spec.repo, revision: spec.revision, files: spec.files, optional: spec.optional, destDir: srcDir, onProgress: options.onProgress, log: options.log });
  const files = EMOTION_OUTPUT;
  if (result.downloaded.length === 0) {
    const existing = await alreadyVerified(outDir, result.commit, files);
    if (existing) {
      options.log?.(`  ONNX export of ${result.commit} already verified, skipped`);
      return existing;
    }
  }
  options.log?.('  exporting to ONNX (fp32 + int8)...');
  await fs.promises.mkdir(outDir, { recursive: true });
  await (options.exportEmotion ?? pythonExporter)(srcDir, outDir);
  return writeManifest(outDir, { model: spec.repo, revision: result.commit, source: `ONNX export of ${options.hub.fileUrl(spec.repo, result.commit, '')}` }, files);
}
