import { Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import {
  rooms,
  SocketEvent,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
} from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';

/** What a socket carries on the server: the caller authenticated at the handshake. */
export interface SocketData {
  actor?: Actor;
}
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * What the rest of the app uses to reach connected clients. Emitting through the server's
 * adapter reaches every node's sockets; services never hold a socket of their own.
 */
@Injectable()
export class RealtimeBus {
  private readonly logger = new Logger(RealtimeBus.name);
  private server: AppServer | undefined;

  attach(server: AppServer): void {
    this.server = server;
  }

  get io(): AppServer | undefined {
    return this.server;
  }

  /** Ends every socket of a revoked session, on every node. */
  endSession(sessionId: string, reason: string): void {
    if (!this.server) return;
    const room = rooms.session(sessionId);
    this.server.to(room).emit(SocketEvent.SessionRevoked, { reason });
    this.server.in(room).disconnectSockets(true);
    this.logger.log({ sessionId, reason }, 'session sockets ended');
  }

  connectedCount(): number {
    return this.server?.engine?.clientsCount ?? 0;
  }
}
