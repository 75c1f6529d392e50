import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MessageType, type ClusterMessage } from 'socket.io-adapter';

/** Names the Socket.IO Redis Streams adapter uses, one set per deployment (the queue prefix). */
export interface RealtimeStreamNames {
  streamName: string;
  channelPrefix: string;
  sessionKeyPrefix: string;
}

export function realtimeStreamNames(prefix: string): RealtimeStreamNames {
  return {
    streamName: `${prefix}:socket.io`,
    channelPrefix: `${prefix}:socket.io`,
    sessionKeyPrefix: `${prefix}:sio:session:`,
  };
}

/** A Redis connection for realtime traffic: commands wait out a Redis blip instead of failing. */
export function realtimeRedis(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  client.on('error', () => undefined); // reconnects by itself; health reports Redis
  return client;
}

/** Socket.IO's EVENT packet type (socket.io-parser), the packet every broadcast carries. */
const EVENT_PACKET = 2;
const NAMESPACE = '/';

type StreamMessage = Extract<
  ClusterMessage,
  {
    type: MessageType.BROADCAST | MessageType.SOCKETS_JOIN | MessageType.SOCKETS_LEAVE | MessageType.DISCONNECT_SOCKETS;
  }
>;

/**
 * Lets a process without a socket server (a worker) reach sockets on every API node.
 *
 * There is no published emitter for `@socket.io/redis-streams-adapter` (the classic
 * `@socket.io/redis-emitter` speaks Pub/Sub to the classic adapter only). This appends to the
 * adapter's stream exactly what a node's own adapter appends: a `ClusterMessage` (the public type
 * of `socket.io-adapter`, so the compiler checks the shape) encoded as the adapter's
 * `RawClusterMessage` (`uid`, `nsp`, `type` as a decimal string, `data` as JSON), trimmed with
 * the same `MAXLEN ~`. Only the message types the adapter itself sends through the stream are
 * used (broadcast without ack, join, leave, disconnect); every node applies them as if a peer
 * had sent them. The adapter version is pinned and e2e tests cross real processes through it.
 */
export class RealtimeStreamEmitter {
  /** Never equal to a node's uid, so every node (including one in this process) applies it. */
  private readonly uid = `emitter-${randomBytes(8).toString('hex')}`;

  constructor(
    private readonly redis: Redis,
    private readonly names: RealtimeStreamNames,
    private readonly maxLen: number,
  ) {}

  broadcast(rooms: readonly string[], event: string, payload: unknown): Promise<void> {
    return this.append({
      uid: this.uid,
      nsp: NAMESPACE,
      type: MessageType.BROADCAST,
      data: { opts: target(rooms), packet: { type: EVENT_PACKET, data: [event, payload], nsp: NAMESPACE } },
    });
  }

  socketsJoin(of: readonly string[], join: readonly string[]): Promise<void> {
    return this.append({
      uid: this.uid,
      nsp: NAMESPACE,
      type: MessageType.SOCKETS_JOIN,
      data: { opts: target(of), rooms: [...join] },
    });
  }

  socketsLeave(of: readonly string[], leave: readonly string[]): Promise<void> {
    return this.append({
      uid: this.uid,
      nsp: NAMESPACE,
      type: MessageType.SOCKETS_LEAVE,
      data: { opts: target(of), rooms: [...leave] },
    });
  }

  disconnectSockets(of: readonly string[]): Promise<void> {
    return this.append({
      uid: this.uid,
      nsp: NAMESPACE,
      type: MessageType.DISCONNECT_SOCKETS,
      data: { opts: target(of), close: true },
    });
  }

  private async append(message: StreamMessage): Promise<void> {
    await this.redis.xadd(
      this.names.streamName,
      'MAXLEN',
      '~',
      this.maxLen,
      '*',
      'uid',
      message.uid,
      'nsp',
      message.nsp,
      'type',
      String(message.type),
      'data',
      JSON.stringify(message.data),
    );
  }

  close(): void {
    this.redis.disconnect();
  }
}

/** An empty room list would mean "every socket": callers always name rooms. */
function target(rooms: readonly string[]): { rooms: string[]; except: string[]; flags: Record<string, never> } {
  if (rooms.length === 0) throw new Error('realtime: name at least one room');
  return { rooms: [...rooms], except: [], flags: {} };
}
