import net from 'node:net';

/**
 * A TCP proxy in front of the real Elasticsearch that a test can cut and restore: the store sees
 * exactly what it sees when the node goes down (connection refused/reset), with no mock involved.
 */
export class TcpProxy {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  /** Connections accepted while frozen: their requests were swallowed. */
  private held = new Set<net.Socket>();
  private frozen = false;
  private down = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = net.createServer((client) => {
      if (this.down) return void client.destroy(); // reset at once, like a node that is not there
      if (this.frozen) return this.hold(client);
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port || this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Accepts and reads, never answers: a frozen node (SIGSTOP), unlike a refused connection. */
  freeze(): void {
    this.frozen = true;
    for (const s of this.sockets) s.destroy(); // kept-alive connections reconnect, and are held
  }

  private hold(client: net.Socket): void {
    this.held.add(client);
    client.on('close', () => this.held.delete(client));
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.resume(); // swallow the request
  }

  /**
   * Drops open connections and resets new ones. The port stays bound: closing it would let the OS hand it out
   * as the source port of some other connection, and restore() would then fail with EADDRINUSE.
   */
  async cut(): Promise<void> {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  /** Forwards again. Connections held while frozen are closed: their requests are lost, the client reconnects. */
  async restore(): Promise<void> {
    this.frozen = false;
    this.down = false;
    for (const s of this.held) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = undefined;
  }
}
