import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/env';
import { anchorsOf, brokenLinks, linksOf } from '../support/markdown';

// The docs stay honest: every relative link (and #anchor into a Markdown file) in README.md, REPORT.md and docs/
// resolves, every docs/ page is linked from the README, and the README and the report keep their length budgets.
const BUDGET = { 'README.md': 150, 'REPORT.md': 100 };

const DOCS = fs
  .readdirSync(path.join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => path.join(ROOT, 'docs', f));
const FILES = [path.join(ROOT, 'README.md'), path.join(ROOT, 'REPORT.md'), ...DOCS];

describe('the docs', () => {
  it.each(FILES.map((f) => path.relative(ROOT, f)))('%s: every relative link and anchor resolves', (file) => {
    expect(brokenLinks(path.join(ROOT, file))).toEqual([]);
  });

  it.each(Object.entries(BUDGET))('%s stays within %i lines', (file, budget) => {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n').length;
    expect(lines).toBeLessThanOrEqual(budget);
  });

  it('the README links every page of docs/', () => {
    const linked = new Set(
      linksOf(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).map((l) =>
        path.resolve(ROOT, decodeURIComponent(l.target.split('#')[0]!)),
      ),
    );
    expect(DOCS.filter((d) => !linked.has(d)).map((d) => path.relative(ROOT, d))).toEqual([]);
  });

  it('the README shows no machine path (checkouts, temp dirs) in its samples', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme.match(/(?:\/work|\/tmp|\/home|\/root|\/Users)\/[^\s"'`)]*/g) ?? []).toEqual([]);
  });

  // The checker itself, on made-up pages: it must be able to fail.
  describe('link checker', () => {
    const page = (text: string) => brokenLinks(path.join(ROOT, 'docs/page.md'), text);
    const api = fs.readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');

    it('reports a missing file, a missing anchor, and nothing for what exists', () => {
      expect(page('[a](nope.md) and ![b](../missing.png)')).toEqual([
        'docs/page.md:1 nope.md (no such file)',
        'docs/page.md:1 ../missing.png (no such file)',
      ]);
      expect(page('\n[a](../README.md#no-such-heading)')).toEqual([
        'docs/page.md:2 ../README.md#no-such-heading (no heading with this anchor in README.md)',
      ]);
      expect(page('# Here\n[ok](../README.md#architecture) [web](https://example.com/x) [img](dashboard.png)')).toEqual(
        [],
      );
      expect(page('# Here\n[self](#here) [self](#there)')).toEqual([
        'docs/page.md:2 #there (no heading with this anchor in docs/page.md)',
      ]);
    });

    it('ignores links in code, and reads anchors as GitHub makes them', () => {
      expect(page('```\n[a](nope.md)\n```\n`[b](nope.md)`')).toEqual([]);
      expect(anchorsOf(api).has('get-tweets--ingested-tweets-tagged-or-not-newest-first')).toBe(true);
      expect(anchorsOf('```bash\n# a comment, not a heading\n```\n# Real `code`')).toEqual(new Set(['real-code']));
      expect(anchorsOf('# A\n# A\n## Docker: ports, API key, .env, images')).toEqual(
        new Set(['a', 'a-1', 'docker-ports-api-key-env-images']),
      );
    });
  });
});
