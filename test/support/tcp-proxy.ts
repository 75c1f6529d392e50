import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between clients and one server port, standing for the clients' network: it can
 * cut every connection at once (and refuse new ones for a while), or freeze them (nothing
 * passes either way, nothing is closed: TCP keeps the bytes until it thaws).
 */
export class TcpProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private refusingUntil = 0;
  private frozen = false;
  /** connections cut by `cut()` so far */
  cutConnections = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => ok());
    });
    const address = server.address();
    const proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0, {
      host: targetHost,
      port: targetPort,
    });
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Resets every connection now; new ones are refused (closed on arrival) for `refuseMs`. */
  cut(refuseMs = 0): void {
    this.refusingUntil = Date.now() + refuseMs;
    for (const p of [...this.pairs]) {
      this.cutConnections++;
      p.client.resetAndDestroy();
      p.upstream.destroy();
    }
    this.pairs.clear();
  }

  /** Stops passing bytes on every connection (open and new) until `thaw()`. */
  freeze(): void {
    this.frozen = true;
    for (const p of this.pairs) {
      p.client.pause();
      p.upstream.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    for (const p of this.pairs) {
      p.client.resume();
      p.upstream.resume();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (Date.now() < this.refusingUntil) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.target);
    upstream.on('error', () => undefined);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    client.once('close', end);
    upstream.once('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.frozen) {
      client.pause();
      upstream.pause();
    }
  }
}
