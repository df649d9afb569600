/** Which files are the dataset: DATASET_PATH is a file, a folder or a glob; every file it matches is a source. */
import fs from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { BadRequestError, DependencyUnavailableError, NotFoundError } from '../errors';

/** Tweet files by name: JSON array or JSON Lines, plain or gzip (the content decides the format). */
const TWEET_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;
/** Uploads land here, inside the dataset folder; they are sources whatever DATASET_PATH matches. */
export const UPLOADS_FOLDER = 'uploads';

export interface DatasetLayout {
  /** DATASET_PATH as configured (absolute). */
  pattern: string;
  /** The dataset folder: the folder itself, a file's folder, or a glob's static part. Sources are named from it. */
  folder: string;
  kind: 'file' | 'folder' | 'glob';
}

const unavailable = (what: string) =>
  new DependencyUnavailableError(
    'dataset',
    `The dataset ${what} does not exist or cannot be read.`,
    'Set DATASET_PATH to a readable tweet file, a folder of them, or a glob (see docs/operations.md, "Your own dataset").',
  );

/** The glob's part before its first wildcard segment. */
function staticFolder(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const first = parts.findIndex((p) => isDynamicPattern(p));
  return parts.slice(0, first).join('/') || '/';
}

export async function datasetLayout(datasetPath: string): Promise<DatasetLayout> {
  if (isDynamicPattern(datasetPath)) return { pattern: datasetPath, folder: staticFolder(datasetPath), kind: 'glob' };
  const stats = await fs.promises.stat(datasetPath).catch(() => undefined);
  if (stats?.isDirectory()) return { pattern: datasetPath, folder: datasetPath, kind: 'folder' };
  return { pattern: datasetPath, folder: path.dirname(datasetPath), kind: 'file' };
}

/** A source's name: its path relative to the dataset folder, with forward slashes. */
export const sourceName = (layout: DatasetLayout, file: string) =>
  path.relative(layout.folder, file).split(path.sep).join('/');

const isHidden = (file: string) => path.basename(file).startsWith('.');

/** Every source, sorted by name: the matches of DATASET_PATH and the uploads. Throws when there are none. */
export async function discoverSources(layout: DatasetLayout): Promise<string[]> {
  let matched: string[];
  if (layout.kind === 'file') {
    const stats = await fs.promises.stat(layout.pattern).catch(() => undefined);
    if (!stats?.isFile()) throw unavailable(`file ${layout.pattern}`);
    matched = [layout.pattern];
  } else {
    const pattern = layout.kind === 'folder' ? '**/*' : path.relative(layout.folder, layout.pattern);
    matched = await glob(pattern, { cwd: layout.folder, absolute: true, onlyFiles: true, dot: false });
    if (layout.kind === 'folder') matched = matched.filter((f) => TWEET_FILE.test(f));
  }
  const uploads = await glob('*', { cwd: path.join(layout.folder, UPLOADS_FOLDER), absolute: true, onlyFiles: true });
  const files = [...new Set([...matched, ...uploads].map((f) => path.resolve(f)))].filter((f) => !isHidden(f));
  if (files.length === 0) throw unavailable(`${layout.kind} ${layout.pattern} (no tweet files)`);
  return files.sort((a, b) => sourceName(layout, a).localeCompare(sourceName(layout, b)));
}

const outside = (requested: string) =>
  new BadRequestError(`path ${JSON.stringify(requested)} is not inside the dataset folder`, [
    { field: 'path', message: 'must name a file inside the dataset folder, by its path relative to the folder' },
  ]);

/**
 * The file a caller named, when it lies inside the dataset folder. Decided on the path's text first, so a path
 * outside is refused before any file system access; then symbolic links are resolved and checked the same way.
 */
export async function resolveInside(layout: DatasetLayout, requested: string): Promise<string> {
  // `..` is a segment: a file named `..foo` is inside; the folder itself is inside too, but is not a file.
  const inside = (folder: string, file: string) => {
    const rel = path.relative(folder, file);
    return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  };
  const file = path.resolve(layout.folder, requested);
  if (!inside(layout.folder, file)) throw outside(requested);
  if (requested.includes('\0'))
    throw new NotFoundError(`There is no file ${JSON.stringify(requested)} in the dataset folder.`);
  const [realFolder, realFile] = await Promise.all([
    fs.promises.realpath(layout.folder).catch(() => layout.folder),
    fs.promises.realpath(file).catch(() => undefined),
  ]);
  const isFile = realFile !== undefined && (await fs.promises.stat(realFile)).isFile();
  if (!isFile) throw new NotFoundError(`There is no file ${requested} in the dataset folder.`);
  if (!inside(realFolder, realFile)) throw outside(requested);
  return file;
}
