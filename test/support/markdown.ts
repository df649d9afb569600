import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './env';

// Reading Markdown for test/unit/docs.test.ts: links outside code, GitHub's heading anchors, and broken links.

export interface Link {
  line: number;
  target: string;
}

/**
 * The lines outside fenced code blocks (those blanked, so line numbers stay), with inline code spans removed, or
 * replaced by their text (`spans: 'text'`, as a heading renders them).
 */
function prose(markdown: string, spans: 'drop' | 'text' = 'drop'): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (opening && opening[1]![0] === fence[0] && opening[1]!.length >= fence.length) fence = null;
      return '';
    }
    if (opening) {
      fence = opening[1]!;
      return '';
    }
    return line.replace(/(`+)([\s\S]*?)\1/g, (_, _ticks, code: string) => (spans === 'text' ? code : ''));
  });
}

/** Inline links and images `[text](target "title")` and reference definitions `[id]: target`, outside code. */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  prose(markdown).forEach((text, i) => {
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      links.push({ line: i + 1, target: m[1]! });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(text);
    if (definition) links.push({ line: i + 1, target: definition[1]! });
  });
  return links;
}

/** GitHub's heading anchors: the heading's text, lower-cased, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown, 'text')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link shows its text
      .replace(/<[^>]+>/g, '')
      .replace(/[*_~]+(?=\S)|(?<=\S)[*_~]+/g, ''); // emphasis markers
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every broken relative link of one Markdown file (its text given or read), as "file:line target (reason)". */
export function brokenLinks(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const problems: string[] = [];
  const where = path.relative(ROOT, file);
  for (const { line, target } of linksOf(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // http:, https:, mailto: ...
    const hash = target.indexOf('#');
    const rawPath = hash < 0 ? target : target.slice(0, hash);
    const anchor = hash < 0 ? '' : decodeURIComponent(target.slice(hash + 1));
    const resolved = rawPath ? path.resolve(path.dirname(file), decodeURIComponent(rawPath)) : file;
    if (rawPath && !fs.existsSync(resolved)) {
      problems.push(`${where}:${line} ${target} (no such file)`);
      continue;
    }
    if (!anchor || !resolved.endsWith('.md')) continue;
    const anchors = anchorsOf(rawPath ? fs.readFileSync(resolved, 'utf8') : text);
    if (!anchors.has(anchor)) {
      problems.push(`${where}:${line} ${target} (no heading with this anchor in ${path.relative(ROOT, resolved)})`);
    }
  }
  return problems;
}
