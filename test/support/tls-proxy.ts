import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Pki {
  dir: string;
  /** PEM paths: the CA, and the server's key and certificate (signed by the CA, for 127.0.0.1 and localhost). */
  caCert: string;
  serverKey: string;
  serverCert: string;
  /** The CA's SHA-256 fingerprint, as `openssl x509 -fingerprint -sha256` prints it. */
  caFingerprint: string;
}

const openssl = (dir: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A throw-away CA and a server certificate it signs, made with the openssl CLI in a temp folder. */
export function makePki(name: string): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pte-pki-${name}-`));
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    dir,
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
    '-out',
    'server.pem',
  );
  const fingerprint = openssl(dir, 'x509', '-in', 'ca.pem', '-noout', '-fingerprint', '-sha256').trim();
  return {
    dir,
    caCert: path.join(dir, 'ca.pem'),
    serverKey: path.join(dir, 'server.key'),
    serverCert: path.join(dir, 'server.pem'),
    caFingerprint: fingerprint.replace(/^.*=/, ''),
  };
}

/**
 * A TLS-terminating proxy in front of a plain Elasticsearch node, as the x-pack security of a real cluster
 * behaves towards a client: HTTPS with a certificate from its own CA, and 401 (security_exception) unless the
 * request carries `Authorization: ApiKey <key>` or `Basic <user:password>` it knows. `present()` swaps the
 * certificate it shows (to one of an untrusted CA) and drops open connections, so the next ones see it.
 */
export class TlsAuthProxy {
  private server?: https.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** Requests answered 401, and let through. */
  readonly seen = { refused: 0, passed: 0 };

  constructor(
    private readonly target: URL,
    private accepted: { apiKey: string; basic: { username: string; password: string } },
  ) {}

  /** From now on, accept these credentials instead (a key rotated or revoked on the cluster). */
  accept(change: Partial<TlsAuthProxy['accepted']>): void {
    this.accepted = { ...this.accepted, ...change };
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  private authorised(header: string | undefined): boolean {
    const { apiKey, basic } = this.accepted;
    const basicToken = Buffer.from(`${basic.username}:${basic.password}`).toString('base64');
    return header === `ApiKey ${apiKey}` || header === `Basic ${basicToken}`;
  }

  async start(pki: Pki): Promise<void> {
    this.server = https.createServer(this.tlsOptions(pki), (req, res) => {
      if (!this.authorised(req.headers.authorization)) {
        this.seen.refused++;
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': 'ApiKey, Basic realm="security"',
        });
        const reason = 'unable to authenticate with provided credentials and anonymous access is not allowed';
        return void res.end(JSON.stringify({ error: { type: 'security_exception', reason }, status: 401 }));
      }
      this.seen.passed++;
      const upstream = http.request(
        { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    this.server.on('secureConnection', (s: net.Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('tlsClientError', () => undefined); // a client refusing our certificate: expected in a test
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private tlsOptions(pki: Pki) {
    const chain = fs.readFileSync(pki.serverCert, 'utf8') + fs.readFileSync(pki.caCert, 'utf8');
    return { key: fs.readFileSync(pki.serverKey), cert: chain };
  }

  /** From now on, show the certificate of `pki` (e.g. an untrusted CA's). */
  present(pki: Pki): void {
    this.server!.setSecureContext(this.tlsOptions(pki));
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
