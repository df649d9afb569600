import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * `manifest.json` beside a model's files: written by the model step (download/export) or by the
 * fixture generator, checked before a model is loaded. It is what makes "corrupt" detectable.
 */
export const MANIFEST_FILE = 'manifest.json';

export const manifestSchema = z.object({
  model: z.string(),
  revision: z.string(),
  source: z.string(),
  created_at: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[a-f0-9]{64}$/), size: z.number().int().nonnegative() })),
  notes: z.string().optional(),
});
export type ModelManifest = z.infer<typeof manifestSchema>;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    throw new ModelFilesError(`no ${MANIFEST_FILE} in ${dir}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A truncated or hand-edited manifest is a corrupt model folder (503 + fetch hint), not a bug (500).
    throw new ModelFilesError(`${file} is not valid JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new ModelFilesError(`${file} is not a valid manifest`);
  return parsed.data;
}

export class ModelFilesError extends Error {}

/**
 * Checks that `required` files are listed and that every listed file exists with its size and,
 * with `hash`, its sha256. Throws ModelFilesError naming the first problem.
 */
export async function verifyModelFiles(dir: string, required: string[], options: { hash: boolean }): Promise<ModelManifest> {
  const manifest = await readManifest(dir);
  for (const name of required) {
    if (!manifest.files[name]) throw new ModelFilesError(`${name} is not listed in ${path.join(dir, MANIFEST_FILE)}`);
  }
  for (const [name, expected] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat) throw new ModelFilesError(`${file} is missing`);
    if (stat.size !== expected.size) throw new ModelFilesError(`${file} has ${stat.size} bytes, the manifest says ${expected.size}`);
    if (options.hash && (await sha256File(file)) !== expected.sha256) {
      throw new ModelFilesError(`${file} does not match its sha256 in the manifest (corrupt or replaced)`);
    }
  }
  return manifest;
}

export async function writeManifest(dir: string, fields: Omit<ModelManifest, 'files' | 'created_at'>, files: string[]): Promise<ModelManifest> {
  const manifest: ModelManifest = { ...fields, created_at: new Date().toISOString(), files: {} };
  for (const name of files.sort()) {
    const file = path.join(dir, name);
    manifest.files[name] = { sha256: await sha256File(file), size: (await fs.promises.stat(file)).size };
  }
  await fs.promises.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
