import { Catch, Logger, UseFilters, UseGuards, type ArgumentsHost } from '@nestjs/common';
import {
  BaseWsExceptionFilter,
  ConnectedSocket,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import {
  HandshakeError,
  rooms,
  SocketEvent,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketAck,
} from '@xietong/shared';
import { AuthService } from '../auth/auth.service.js';
import { DomainError } from '../common/errors.js';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '../common/exception.filter.js';
import { Policy } from '../common/policy/policy.decorator.js';
import { PolicyGuard } from '../common/policy/policy.guard.js';
import { RealtimeBus, type AppServer, type SocketData } from './realtime.bus.js';
import { SocketFloodGuard } from './socket-flood.js';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Turns errors in socket handlers into an error ack; nobody else's connection is touched. */
@Catch()
export class SocketErrorFilter extends BaseWsExceptionFilter {
  private readonly logger = new Logger('SocketErrors');
  override catch(exception: unknown, host: ArgumentsHost): void {
    const ack = host.getArgs().find((a): a is (r: SocketAck<never>) => void => typeof a === 'function');
    const error =
      exception instanceof DomainError
        ? {
            code: exception.code,
            message: exception.message,
            ...(exception.details ? { details: exception.details } : {}),
          }
        : isDatabaseUnavailable(exception)
          ? // What REST answers with 503: retryable, and nothing about the internals.
            { code: 'Service Unavailable', message: DATABASE_UNAVAILABLE }
          : { code: 'Internal Server Error', message: 'internal error' };
    if (error.code === 'Service Unavailable') this.logger.warn({ err: exception }, 'database unavailable');
    else if (!(exception instanceof DomainError)) this.logger.error({ err: exception }, 'socket handler failed');
    if (ack) ack({ ok: false, error });
  }
}

/**
 * Socket.IO on the HTTP port. The access token is checked at the handshake (`auth.token`), the
 * caller lands in `socket.data.actor` and joins `user:`, `agency:` and `session:` rooms.
 */
@WebSocketGateway()
@UseFilters(new SocketErrorFilter())
@UseGuards(PolicyGuard)
export class RealtimeGateway implements OnGatewayInit<AppServer>, OnGatewayConnection<AppSocket> {
  private readonly logger = new Logger(RealtimeGateway.name);

  constructor(
    private readonly auth: AuthService,
    private readonly bus: RealtimeBus,
    private readonly flood: SocketFloodGuard,
  ) {}

  afterInit(server: AppServer): void {
    this.bus.attach(server);
    // Before any handler is bound: every event of every socket passes the flood guard first.
    server.on('connection', (socket) => this.flood.attach(socket));
    server.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
      if (typeof token !== 'string' || token.length === 0) {
        next(new Error(HandshakeError.MissingToken));
        return;
      }
      this.auth.authenticate(token).then(
        (actor) => {
          socket.data.actor = actor;
          next();
        },
        () => next(new Error(HandshakeError.InvalidToken)),
      );
    });
  }

  async handleConnection(socket: AppSocket): Promise<void> {
    const actor = socket.data.actor;
    if (!actor) {
      socket.disconnect(true);
      return;
    }
    await socket.join([rooms.user(actor.userId), rooms.agency(actor.agencyId), rooms.session(actor.sessionId)]);
    this.flood.capUser(socket, rooms.user(actor.userId));
    const user = await this.auth.me(actor).catch(() => undefined);
    if (!user) {
      socket.disconnect(true);
      return;
    }
    socket.emit(SocketEvent.Welcome, { user, serverTime: new Date().toISOString() });
  }

  @SubscribeMessage(SocketEvent.Ping)
  @Policy('socket.ping')
  ping(@ConnectedSocket() _socket: AppSocket): SocketAck<{ serverTime: string }> {
    return { ok: true, data: { serverTime: new Date().toISOString() } };
  }
}
