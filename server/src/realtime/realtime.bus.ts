import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Server } from 'socket.io';
import {
  rooms as roomNames,
  SocketEvent,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerEventName,
  type ServerEventPayload,
  type ServerToClientEvents,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { AppConfig } from '../config/app-config.provider.js';
import { RealtimeStreamEmitter, realtimeRedis, realtimeStreamNames } from './stream-emitter.js';

/** What a socket carries on the server: the caller authenticated at the handshake. */
export interface SocketData {
  actor?: Actor;
}
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** One room (`rooms.agency(id)`, `rooms.user(id)`, … from `@xietong/shared`) or several. */
export type Rooms = string | readonly string[];

/**
 * The one way the app reaches connected clients, the same in every process:
 *
 * - in a process with a socket server (PROCESS_ROLE=all or api) it goes through the server's
 *   adapter: the in-memory one on a single node, the Redis Streams adapter across nodes;
 * - in a worker process (no socket server) it appends to the same Redis stream through
 *   `RealtimeStreamEmitter`, and every API node applies it to its own sockets.
 *
 * Every method names its target rooms and reaches matching sockets on every node. The promise
 * settles once the message is handed to the adapter or written to Redis (a failure rejects, so
 * a queue job retries); clients de-duplicate by the ids events carry.
 */
@Injectable()
export class RealtimeBus implements OnModuleDestroy {
  private readonly logger = new Logger(RealtimeBus.name);
  private server: AppServer | undefined;
  private emitter: RealtimeStreamEmitter | undefined;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  attach(server: AppServer): void {
    this.server = server;
  }

  /** The socket server of this process, if it has one (the gateway's own use). */
  get io(): AppServer | undefined {
    return this.server;
  }

  /** Sends `event` to every socket in any of `to`, e.g. `emit(rooms.agency(id), SocketEvent.ReferralDelivered, e)`. */
  async emit<E extends ServerEventName>(to: Rooms, event: E, payload: ServerEventPayload<E>): Promise<void> {
    const target = list(to);
    if (target.length === 0) return;
    if (this.server) {
      // The typed emit's rest-parameter form cannot be expressed for a generic event name.
      (this.server.to(target).emit as (e: string, p: unknown) => boolean)(event, payload);
      return;
    }
    await this.viaStream('emit', (s) => s.broadcast(target, event, payload));
  }

  /** Makes every socket in `of` join `join`, on every node: `socketsJoin(rooms.user(u), rooms.channel(c))`. */
  async socketsJoin(of: Rooms, join: Rooms): Promise<void> {
    if (list(of).length === 0) return;
    if (this.server) return this.server.in(list(of)).socketsJoin(list(join));
    await this.viaStream('socketsJoin', (s) => s.socketsJoin(list(of), list(join)));
  }

  /** Makes every socket in `of` leave `leave` at once, on every node (membership removed). */
  async socketsLeave(of: Rooms, leave: Rooms): Promise<void> {
    if (list(of).length === 0) return;
    if (this.server) return this.server.in(list(of)).socketsLeave(list(leave));
    await this.viaStream('socketsLeave', (s) => s.socketsLeave(list(of), list(leave)));
  }

  /** Closes every socket in `of`, on every node. */
  async disconnectSockets(of: Rooms): Promise<void> {
    if (list(of).length === 0) return;
    if (this.server) return this.server.in(list(of)).disconnectSockets(true);
    await this.viaStream('disconnectSockets', (s) => s.disconnectSockets(list(of)));
  }

  /**
   * Ends every socket of a revoked session, on every node: tells it why, then closes it (in
   * that order on every node, as both go down the same stream).
   */
  endSession(sessionId: string, reason: string): void {
    const room = roomNames.session(sessionId);
    this.emit(room, SocketEvent.SessionRevoked, { reason })
      .then(() => this.disconnectSockets(room))
      .then(
        () => this.logger.log({ sessionId, reason }, 'session sockets ended'),
        (err: unknown) => this.logger.error({ err, sessionId }, 'could not end the session sockets'),
      );
  }

  connectedCount(): number {
    return this.server?.engine?.clientsCount ?? 0;
  }

  onModuleDestroy(): void {
    this.emitter?.close();
    this.emitter = undefined;
  }

  private async viaStream(what: string, send: (emitter: RealtimeStreamEmitter) => Promise<void>): Promise<void> {
    const { redisUrl } = this.config;
    if (!redisUrl) {
      // Only a process that has no socket server and no Redis gets here: nobody could listen.
      this.logger.warn({ what }, 'no socket server and no Redis in this process: not sent');
      return;
    }
    this.emitter ??= new RealtimeStreamEmitter(
      realtimeRedis(redisUrl),
      realtimeStreamNames(this.config.queuePrefix),
      this.config.socketStreamMaxLen,
    );
    await send(this.emitter);
  }
}

/** An empty list targets nobody (Socket.IO would read it as "everyone"). */
function list(rooms: Rooms): string[] {
  return typeof rooms === 'string' ? [rooms] : [...rooms];
}
