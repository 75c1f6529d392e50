import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { RATE_LIMITED_ACK } from '@xietong/shared';
import { AppConfig } from '../config/app-config.provider.js';
import type { SocketLimits } from '../config/config.js';
import { admitEvent, freshFloodState, socketsOverCap, type FloodLimits } from './socket-flood.rules.js';

/** What the guard did on this node since it started (exported as metrics). */
export interface SocketGuardCounts {
  /** events dropped with a RATE_LIMITED ack */
  rateLimited: number;
  /** sockets disconnected for flooding */
  floodDisconnects: number;
  /** a user's oldest sockets closed to stay within SOCKET_MAX_PER_USER */
  evicted: number;
}

/**
 * Flood protection of one socket server: every incoming event of a socket goes through its token
 * bucket before any handler (or the policy guard) sees it. An event over the limit is answered
 * with a RATE_LIMITED ack and goes no further; a socket that keeps flooding is disconnected. Only
 * that socket is touched: its user's other sockets, and everyone else's, carry on.
 */
@Injectable()
export class SocketFloodGuard {
  readonly counts: SocketGuardCounts = { rateLimited: 0, floodDisconnects: 0, evicted: 0 };
  private readonly log = new Logger('SocketFlood');
  private readonly config: SocketLimits;
  private readonly limits: FloodLimits;

  constructor(@Inject(AppConfig) app: AppConfig) {
    const config = app.sockets;
    this.config = config;
    this.limits = {
      ratePerSecond: config.eventRate,
      burst: config.eventBurst,
      disconnectAfterMs: config.floodDisconnectMs,
    };
  }

  /** Call synchronously on `connection`, before the socket's first packet can be read. */
  attach(socket: Socket): void {
    let state = freshFloodState(this.limits, Date.now());
    let warned = false;
    socket.use((packet, next) => {
      const r = admitEvent(state, Date.now(), this.limits);
      state = r.state;
      if (r.verdict === 'pass') {
        warned = false;
        next();
        return;
      }
      this.counts.rateLimited++;
      // One line per flood run, not one per dropped event.
      if (!warned) {
        warned = true;
        this.log.warn({ socketId: socket.id, userId: userOf(socket), event: packet[0] }, 'socket over its event limit');
      }
      const ack: unknown = packet[packet.length - 1];
      if (typeof ack === 'function') (ack as (res: typeof RATE_LIMITED_ACK) => void)(RATE_LIMITED_ACK);
      if (r.verdict === 'disconnect' && socket.connected) {
        this.counts.floodDisconnects++;
        this.log.warn({ socketId: socket.id, userId: userOf(socket) }, 'socket kept flooding: disconnected');
        socket.disconnect(true);
      }
    });
  }

  /**
   * Keeps a user within SOCKET_MAX_PER_USER sockets on this node by closing the oldest: sockets in
   * a room are kept in join order, and each socket joins its user's room once, on connecting.
   */
  capUser(socket: Socket, userRoom: string): void {
    const ids = socket.nsp.adapter.rooms.get(userRoom);
    if (!ids || ids.size <= this.config.maxPerUser) return;
    for (const id of socketsOverCap([...ids], this.config.maxPerUser)) {
      const old = socket.nsp.sockets.get(id);
      if (!old) continue;
      this.counts.evicted++;
      old.disconnect(true);
    }
    this.log.warn(
      { userId: userOf(socket), max: this.config.maxPerUser },
      'too many sockets for one user: oldest closed',
    );
  }
}

function userOf(socket: Socket): string | undefined {
  return (socket.data as { actor?: { userId: string } } | undefined)?.actor?.userId;
}
