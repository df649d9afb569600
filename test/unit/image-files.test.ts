/**
 * The api image (Dockerfile, stage `api`) holds every local file serverless.yml makes serverless load at start: its
 * local plugins and the esbuild config. A file left out only shows when `docker compose up` exits at start, and CI
 * has no Docker engine, so this reads the two files instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/env';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The sources of the COPY lines of one stage (not `--from` copies), as paths relative to the build context. */
function copiedInto(stage: string): string[] {
  const lines = read('Dockerfile').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^FROM .* AS ${stage}$`, 'i').test(l));
  const end = lines.findIndex((l, i) => i > start && /^FROM /i.test(l));
  return lines
    .slice(start, end < 0 ? undefined : end)
    .filter((l) => /^COPY /i.test(l) && !/--from=/i.test(l))
    .flatMap((l) => l.trim().split(/\s+/).slice(1, -1));
}

/** The local files serverless.yml points at: plugins given as paths (resolved as .js) and `config:` files. */
function localFilesOfServerlessYml(): string[] {
  const yml = read('serverless.yml');
  const plugins = [...yml.matchAll(/^\s*-\s*(\.\/\S+)\s*$/gm)].map((m) => `${m[1]}.js`);
  const configs = [...yml.matchAll(/^\s*config:\s*(\.\/\S+)\s*$/gm)].map((m) => m[1]!);
  return [...plugins, ...configs].map((f) => path.normalize(f!));
}

describe('the api image', () => {
  it('copies every local file serverless.yml loads at start, and each exists', () => {
    const copied = copiedInto('api');
    const needed = localFilesOfServerlessYml();
    expect(needed).toEqual(expect.arrayContaining(['scripts/serverless/warm-up.js', 'esbuild.config.ts']));
    for (const file of needed) {
      expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
      const covered = copied.some((src) => file === path.normalize(src) || file.startsWith(`${path.normalize(src)}/`));
      expect({ file, covered }).toEqual({ file, covered: true });
    }
  });

  it('keeps them in the build context (.dockerignore does not drop them)', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('!') && !l.startsWith('#'));
    for (const file of localFilesOfServerlessYml())
      expect(
        ignored.filter((pattern) => file === pattern || file.startsWith(`${pattern.replace(/\/?\*$/, '')}/`)),
      ).toEqual([]);
  });
});
