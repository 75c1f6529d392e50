import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Namespace, Server, ServerOptions } from 'socket.io';
import { SocketEvent } from '@xietong/shared';
import type { SocketLimits } from '../config/config.js';
import { realtimeRedis, realtimeStreamNames } from './stream-emitter.js';

export interface CrossNodeOptions {
  /** REDIS_URL (its maxmemory-policy is checked at boot like the queues'). */
  url: string;
  /** QUEUE_PREFIX: nodes of one deployment share the stream, tests stay apart. */
  prefix: string;
  /** entries the stream keeps (SOCKET_STREAM_MAX_LEN) */
  maxLen: number;
}

/** Entries per XREAD, as the adapter's default; a full batch is what a lagging reader sees. */
const READ_COUNT = 100;

/**
 * Socket.IO server options that depend on configuration (origins, limits). Compression stays
 * off (permessage-deflate is known for memory blow-ups). With Redis, the Redis Streams adapter
 * shares rooms between nodes; without it, the in-memory adapter serves the one node.
 */
export class AppIoAdapter extends IoAdapter {
  private readonly log = new Logger('RealtimeAdapter');
  private redis: Redis | undefined;

  constructor(
    app: INestApplicationContext,
    private readonly origins: string[],
    private readonly limits: Pick<SocketLimits, 'pingIntervalMs' | 'pingTimeoutMs' | 'handshakeTimeoutMs'>,
    private readonly crossNode?: CrossNodeOptions,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const allowed = new Set(this.origins);
    return super.createIOServer(port, {
      ...(options as ServerOptions),
      path: '/socket.io',
      perMessageDeflate: false,
      maxHttpBufferSize: 256 * 1024,
      // Half-open connections: one that stops answering pings (dead TCP, frozen client) is closed
      // after interval + timeout; one that never connects to the namespace after the handshake timeout.
      pingInterval: this.limits.pingIntervalMs,
      pingTimeout: this.limits.pingTimeoutMs,
      connectTimeout: this.limits.handshakeTimeoutMs,
      upgradeTimeout: this.limits.handshakeTimeoutMs,
      cors: { origin: [...allowed], credentials: true },
      // Browsers always send Origin; non-browser clients (tests, integrations) may not. The web app
      // this server serves itself is same-origin, whatever host and port it is reached on.
      allowRequest: (req, callback) => {
        const origin = req.headers.origin;
        callback(null, !origin || allowed.has(origin) || sameOrigin(origin, req.headers.host));
      },
      ...(this.crossNode ? { adapter: this.streamsAdapter(this.crossNode) } : {}),
    });
  }

  /** After every server closed (which stops the adapter's own readers): the publishing connection. */
  override async dispose(): Promise<void> {
    await super.dispose();
    this.redis?.disconnect();
    this.redis = undefined;
  }

  private streamsAdapter(crossNode: CrossNodeOptions): NonNullable<Partial<ServerOptions>['adapter']> {
    // Its own connection: the adapter duplicates it for its blocking XREAD and its subscriber.
    const redis = realtimeRedis(crossNode.url);
    this.redis = redis;
    const names = realtimeStreamNames(crossNode.prefix);
    const factory = createAdapter(redis, { ...names, maxLen: crossNode.maxLen, readCount: READ_COUNT });
    const fullBatch = Math.min(READ_COUNT, crossNode.maxLen);
    const log = this.log;
    const isGone = (offset: string) => this.isGone(redis, names.streamName, offset);
    // A plain function: Socket.IO constructs the adapter with `new`.
    return function streamsAdapterFor(nsp: Namespace) {
      const adapter = factory(nsp);
      watchForTrimmedEntries(adapter, fullBatch, isGone, () => {
        log.warn({ nsp: nsp.name }, 'this node fell behind the stream beyond its trim: clients told to resync');
        nsp.local.emit(SocketEvent.SessionResync, { reason: 'stream_trimmed' });
      });
      return adapter;
    };
  }

  private async isGone(redis: Redis, stream: string, offset: string): Promise<boolean> {
    const entries = await redis.xrange(stream, offset, offset);
    return entries.length === 0;
  }
}

/**
 * How a node notices it missed entries: the adapter reads the stream in XREAD batches (one
 * synchronous burst of `onRawMessage` calls per batch) and does not report gaps itself. Redis
 * trims oldest first, and only once `maxLen` newer entries exist, so an entry can only be lost
 * while this node is at least `min(readCount, maxLen)` entries behind: then the next batch is
 * full. After a full batch we ask whether the entry read just before it still exists: if the
 * stream trimmed it, everything between it and the batch may be gone too (the same test the
 * adapter applies to a recovering session's offset), so this node's sockets must resync.
 */
function watchForTrimmedEntries(
  adapter: { onRawMessage(raw: unknown, offset: string): unknown },
  fullBatch: number,
  isGone: (offset: string) => Promise<boolean>,
  onBehind: () => void,
): void {
  const read = adapter.onRawMessage.bind(adapter);
  let last: string | undefined;
  let batch: { before: string | undefined; size: number } | undefined;
  adapter.onRawMessage = (raw: unknown, offset: string) => {
    if (!batch) {
      const current = { before: last, size: 0 };
      batch = current;
      queueMicrotask(() => {
        batch = undefined;
        if (current.size < fullBatch || current.before === undefined) return;
        isGone(current.before).then(
          (gone) => gone && onBehind(),
          () => undefined, // Redis unreachable: the next full batch asks again
        );
      });
    }
    batch.size++;
    last = offset;
    return read(raw, offset);
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
