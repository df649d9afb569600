import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { config } from '../config';

/** A file of a hub repo at one commit, with what the hub says its content hashes to. */
export interface HubFile {
  path: string;
  size: number;
  /** sha256 of the content, for LFS files (weights). */
  sha256?: string;
  /** git blob sha1, for small files kept in git (configs, tokenizers). */
  gitSha1?: string;
}

const revisionInfo = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  siblings: z.array(
    z.object({
      rfilename: z.string(),
      size: z.number().optional(),
      blobId: z.string().optional(),
      lfs: z.object({ sha256: z.string(), size: z.number() }).optional(),
    }),
  ),
});

export class ChecksumMismatchError extends Error {}
export class HubError extends Error {}
/** The hub did not answer at all (no network, DNS, refused, timed out): local files may still do. */
export class HubUnreachableError extends HubError {}

/** How long the revision lookup may take before the hub counts as unreachable. */
const RESOLVE_TIMEOUT_MS = 15_000;

/** HF_TOKEN, else the token `huggingface-cli login` saved in `<HF_HOME>/token`, as Hugging Face tools do. */
export function hubToken(hub = config().hub): string | undefined {
  if (hub.token) return hub.token;
  try {
    return fs.readFileSync(path.join(hub.home, 'token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface DownloadProgress {
  file: string;
  received: number;
  total: number;
}

/** The Hugging Face hub's HTTP API (or anything that serves its URL layout, as the tests' local hub does). */
export class HubClient {
  constructor(
    readonly endpoint: string = config().hub.endpoint,
    private readonly token: string | undefined = hubToken(),
  ) {}

  private headers(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Resolves a branch, tag or commit to a commit sha and lists its files with their hashes. */
  async resolve(repo: string, revision: string): Promise<{ commit: string; files: HubFile[] }> {
    const url = `${this.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    const res = await fetch(url, { headers: this.headers(), signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS) }).catch((e: Error) => {
      const why = (e.cause as Error | undefined)?.message ?? e.message;
      throw new HubUnreachableError(`cannot reach ${this.endpoint} (${why}); set HF_ENDPOINT for a mirror`);
    });
    if (!res.ok) throw new HubError(`${url} answered ${res.status}${res.status === 401 || res.status === 403 ? ' (set HF_TOKEN?)' : ''}`);
    const info = revisionInfo.parse(await res.json());
    return {
      commit: info.sha,
      files: info.siblings.map((s) => ({
        path: s.rfilename,
        size: s.lfs?.size ?? s.size ?? -1,
        ...(s.lfs ? { sha256: s.lfs.sha256 } : s.blobId ? { gitSha1: s.blobId } : {}),
      })),
    };
  }

  fileUrl(repo: string, commit: string, file: string): string {
    return `${this.endpoint}/${repo}/resolve/${commit}/${file.split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * Streams a file to `dest` through a `.part` file, hashing on the way; only a file whose hash matches
   * what the hub published is renamed into place. A mismatch deletes the download and throws.
   */
  async download(repo: string, commit: string, file: HubFile, dest: string, onProgress?: (p: DownloadProgress) => void): Promise<void> {
    const res = await fetch(this.fileUrl(repo, commit, file.path), { headers: this.headers(), redirect: 'follow' });
    if (!res.ok || !res.body) throw new HubError(`download of ${file.path} answered ${res.status}`);
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    const part = `${dest}.part`;
    const sha256 = createHash('sha256');
    const sha1 = createHash('sha1').update(`blob ${file.size}\0`);
    let received = 0;
    const total = Number(res.headers.get('content-length') ?? file.size);
    const body = Readable.fromWeb(res.body as never);
    body.on('data', (chunk: Buffer) => {
      sha256.update(chunk);
      sha1.update(chunk);
      received += chunk.length;
      onProgress?.({ file: file.path, received, total });
    });
    try {
      await pipeline(body, fs.createWriteStream(part));
      const problem = checkDigest(file, received, sha256.digest('hex'), sha1.digest('hex'));
      if (problem) throw new ChecksumMismatchError(`${file.path}: ${problem}`);
      await fs.promises.rename(part, dest);
    } catch (error) {
      await fs.promises.rm(part, { force: true });
      throw error;
    }
  }
}

function checkDigest(file: HubFile, size: number, sha256: string, gitSha1: string): string | undefined {
  if (file.size >= 0 && size !== file.size) return `got ${size} bytes, the hub lists ${file.size}`;
  if (file.sha256 && sha256 !== file.sha256) return `sha256 ${sha256} does not match the hub's ${file.sha256}`;
  if (!file.sha256 && file.gitSha1 && gitSha1 !== file.gitSha1) return `git blob ${gitSha1} does not match the hub's ${file.gitSha1}`;
  if (!file.sha256 && !file.gitSha1) return 'the hub published no hash for it, so it cannot be verified';
  return undefined;
}

/** True when a local file already has the content the hub lists (so a second run skips it). */
export async function isVerified(file: HubFile, local: string): Promise<boolean> {
  const stat = await fs.promises.stat(local).catch(() => undefined);
  if (!stat || (file.size >= 0 && stat.size !== file.size)) return false;
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1').update(`blob ${stat.size}\0`);
  for await (const chunk of fs.createReadStream(local)) {
    sha256.update(chunk as Buffer);
    sha1.update(chunk as Buffer);
  }
  return checkDigest(file, stat.size, sha256.digest('hex'), sha1.digest('hex')) === undefined;
}

export interface FetchRepoFilesOptions {
  hub: HubClient;
  repo: string;
  revision: string;
  /** Each entry: a file name, or alternatives of which the first the repo has is taken. */
  files: Array<string | string[]>;
  /** Downloaded when the repo has them. */
  optional?: string[];
  destDir: string;
  onProgress?: (p: DownloadProgress) => void;
  log?: (line: string) => void;
}

/** Downloads and verifies `files` of `repo` at `revision`; files already verified are skipped. */
export async function fetchRepoFiles(options: FetchRepoFilesOptions): Promise<{ commit: string; downloaded: string[]; skipped: string[] }> {
  const { hub, repo, revision, destDir } = options;
  const log = options.log ?? (() => undefined);
  const { commit, files } = await options.hub.resolve(repo, revision);
  log(`${repo}@${revision} is commit ${commit}`);
  const downloaded: string[] = [];
  const skipped: string[] = [];
  const wanted: HubFile[] = [];
  for (const entry of options.files) {
    const names = Array.isArray(entry) ? entry : [entry];
    const file = names.map((n) => files.find((f) => f.path === n)).find(Boolean);
    if (!file) throw new HubError(`${names.join(' or ')} is not in ${repo} at ${commit}`);
    wanted.push(file);
  }
  wanted.push(...files.filter((f) => options.optional?.includes(f.path)));
  for (const file of wanted) {
    const name = file.path;
    const dest = path.join(destDir, name);
    if (await isVerified(file, dest)) {
      log(`  ${name}: already verified, skipped`);
      skipped.push(name);
      continue;
    }
    await hub.download(repo, commit, file, dest, options.onProgress);
    log(`  ${name}: downloaded and verified (${file.sha256 ? 'sha256' : 'git blob sha1'})`);
    downloaded.push(name);
  }
  return { commit, downloaded, skipped };
}
