import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local server with the Hugging Face hub's URL layout, serving in-memory repos. */
export class FakeHub {
  private server?: http.Server;
  readonly requests: string[] = [];
  /** Files served with one byte flipped (same size), to test checksum verification. */
  readonly tampered = new Set<string>();
  url = '';

  constructor(private readonly repos: Record<string, Record<string, Buffer>>) {}

  static commitOf(repo: string, files: Record<string, Buffer>): string {
    const h = createHash('sha1').update(repo);
    for (const [name, content] of Object.entries(files).sort()) h.update(name).update(content);
    return h.digest('hex');
  }

  private isLfs = (name: string) => /\.(gguf|onnx|bin|safetensors)$/.test(name);

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url!, this.url);
    this.requests.push(url.pathname);
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Repository not found"}');
    };

    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) {
      const [, repo, revision] = api;
      const files = this.repos[repo!];
      if (!files) return notFound();
      const commit = FakeHub.commitOf(repo!, files);
      if (revision !== 'main' && revision !== commit) return notFound();
      const siblings = Object.entries(files).map(([name, content]) => ({
        rfilename: name,
        size: content.length,
        blobId: createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex'),
        ...(this.isLfs(name)
          ? {
              lfs: {
                sha256: createHash('sha256').update(content).digest('hex'),
                size: content.length,
                pointerSize: 134,
              },
            }
          : {}),
      }));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: repo, sha: commit, siblings }));
      return;
    }

    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([0-9a-f]{40}|main)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const [, repo, , file] = resolve;
      const name = decodeURIComponent(file!);
      const content = this.repos[repo!]?.[name];
      if (!content) return notFound();
      if (this.isLfs(name) && !url.searchParams.has('cdn')) {
        // The hub redirects LFS files to its CDN; the client must follow.
        res.writeHead(302, { location: `${url.pathname}?cdn=1` }).end();
        return;
      }
      const body = Buffer.from(content);
      if (this.tampered.has(name)) body[body.length >> 1] = body[body.length >> 1]! ^ 0xff;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
      return;
    }
    notFound();
  }
}
