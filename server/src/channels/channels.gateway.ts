import { Logger, UseFilters, UseGuards } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Socket } from 'socket.io';
import {
  EditMessagePayload,
  MarkReadPayload,
  MessageRefPayload,
  PresencePayload,
  rooms,
  SendMessagePayload,
  SocketEvent,
  SyncPayload,
  TypingPayload,
  type ClientToServerEvents,
  type InterServerEvents,
  type MessageAck,
  type MessageView,
  type PresenceState,
  type ServerToClientEvents,
  type SocketAck,
  type SyncResult,
} from '@xietong/shared';
import { DomainError } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { PolicyGuard } from '../common/policy/policy.guard.js';
import { ZodPipe } from '../common/zod.js';
import type { AppServer, SocketData } from '../realtime/realtime.bus.js';
import { SocketErrorFilter } from '../realtime/realtime.gateway.js';
import { ChannelAccess } from './channel-access.js';
import { ChannelEvents } from './channel-events.js';
import { MessagesService } from './messages.service.js';
import { PostGrants } from './post-grants.js';
import { PresenceService } from './presence.service.js';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
const ok = <T>(data: T): SocketAck<T> => ({ ok: true, data });
const CHANNEL_ROOM = rooms.channel('');

/**
 * Channel events on the socket. The handshake (token check) is the realtime gateway's
 * middleware; every event is validated with its shared schema (a bad payload is an error ack
 * naming the field) and authorised by the policy layer, like REST.
 */
@WebSocketGateway()
@UseFilters(new SocketErrorFilter())
@UseGuards(PolicyGuard)
export class ChannelsGateway
  implements OnGatewayInit<AppServer>, OnGatewayConnection<AppSocket>, OnGatewayDisconnect<AppSocket>
{
  private readonly logger = new Logger(ChannelsGateway.name);
  /** Each socket's post grants; they go with the socket. */
  private readonly grants = new WeakMap<AppSocket, PostGrants>();

  constructor(
    private readonly em: EntityManager,
    private readonly access: ChannelAccess,
    private readonly messages: MessagesService,
    private readonly presence: PresenceService,
    private readonly events: ChannelEvents,
  ) {}

  /**
   * A socket that leaves a channel's room (removed from the channel, on whichever node the removal
   * ran: the adapter applies it here) loses its grant to post there at once.
   */
  afterInit(server: AppServer): void {
    server.of('/').adapter.on('leave-room', (room: string, socketId: string) => {
      if (!room.startsWith(CHANNEL_ROOM)) return;
      const socket = server.of('/').sockets.get(socketId);
      if (socket) this.grants.get(socket)?.drop(room.slice(CHANNEL_ROOM.length));
    });
  }

  private grantsOf(socket: AppSocket): PostGrants {
    let grants = this.grants.get(socket);
    if (!grants) {
      grants = new PostGrants((channelId) => socket.rooms.has(rooms.channel(channelId)));
      this.grants.set(socket, grants);
    }
    return grants;
  }

  /** A member's sockets are in their channels' rooms from the start; presence goes online. */
  async handleConnection(socket: AppSocket): Promise<void> {
    const actor = socket.data.actor;
    if (!actor) return;
    try {
      const ids = await this.access.memberChannelIds(this.em.fork(), actor);
      if (socket.connected) await socket.join(ids.map(rooms.channel));
      // A removal that committed after that read told this socket to leave before it had joined:
      // read again and leave what it no longer may hear. A join a worker made meanwhile (an add
      // that committed after the read) is kept: connection-state recovery is off, so every other
      // channel room a new socket is in came from such a join.
      const still = await this.access.stillMemberOf(this.em.fork(), actor, ids);
      for (const id of ids) if (!still.has(id)) await socket.leave(rooms.channel(id));
      await this.setPresence(actor, socket.id, 'online', ids);
    } catch (err) {
      this.logger.warn({ err, userId: actor.userId }, 'channel rooms not joined');
    }
  }

  async handleDisconnect(socket: AppSocket): Promise<void> {
    const actor = socket.data.actor;
    if (!actor) return;
    await this.setPresence(actor, socket.id, 'offline').catch(() => undefined);
  }

  @SubscribeMessage(SocketEvent.ChannelSend)
  @Policy('channel.post')
  async send(
    @ConnectedSocket() socket: AppSocket,
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(SendMessagePayload)) body: SendMessagePayload,
  ): Promise<SocketAck<MessageAck>> {
    return ok(await this.messages.send(actor, body, this.grantsOf(socket)));
  }

  @SubscribeMessage(SocketEvent.ChannelEdit)
  @Policy('channel.post')
  async edit(
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(EditMessagePayload)) body: EditMessagePayload,
  ): Promise<SocketAck<MessageView>> {
    return ok(await this.messages.edit(actor, body));
  }

  @SubscribeMessage(SocketEvent.ChannelRetract)
  @Policy('channel.post')
  async retract(
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(MessageRefPayload)) body: MessageRefPayload,
  ): Promise<SocketAck<MessageView>> {
    return ok(await this.messages.retract(actor, body));
  }

  @SubscribeMessage(SocketEvent.ChannelRead)
  @Policy('channel.post')
  async read(
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(MarkReadPayload)) body: MarkReadPayload,
  ): Promise<SocketAck<{ readSeq: number }>> {
    return ok(await this.messages.markRead(actor, body));
  }

  @SubscribeMessage(SocketEvent.ChannelAcknowledge)
  @Policy('channel.post')
  async acknowledge(
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(MessageRefPayload)) body: MessageRefPayload,
  ): Promise<SocketAck<{ ackedAt: string }>> {
    return ok(await this.messages.acknowledge(actor, body));
  }

  @SubscribeMessage(SocketEvent.ChannelCloseAck)
  @Policy('channel.post')
  async closeAck(
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(MessageRefPayload)) body: MessageRefPayload,
  ): Promise<SocketAck<MessageView>> {
    return ok(await this.messages.closeAck(actor, body));
  }

  /** Catch-up after (re)connecting: joins the readable channels' rooms, then answers every change after each cursor. */
  @SubscribeMessage(SocketEvent.ChannelSync)
  @Policy('channel.read')
  async sync(
    @ConnectedSocket() socket: AppSocket,
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(SyncPayload)) body: SyncPayload,
  ): Promise<SocketAck<SyncResult>> {
    return ok(await this.messages.sync(actor, body, (ids) => Promise.resolve(socket.join(ids.map(rooms.channel)))));
  }

  /** Ephemeral: throttled per user and channel, sent to the channel's other sockets, never stored. */
  @SubscribeMessage(SocketEvent.ChannelTyping)
  @Policy('presence.self')
  async typing(
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(TypingPayload)) body: TypingPayload,
  ): Promise<SocketAck<{ sent: boolean }>> {
    if (!this.presence.typingAllowed(actor.userId, body.channelId)) return ok({ sent: false });
    const em = this.em.fork();
    const ctx = await this.access.postable(em, actor, body.channelId);
    const [u] = await em.execute<{ display_name: string }[]>(`select display_name from app_user where id = ?`, [
      actor.userId,
    ]);
    this.events.typing(ctx.channel.id, actor.userId, u?.display_name ?? actor.username);
    return ok({ sent: true });
  }

  @SubscribeMessage(SocketEvent.PresenceSet)
  @Policy('presence.self')
  async setPresenceEvent(
    @ConnectedSocket() socket: AppSocket,
    @CurrentActor() actor: Actor,
    @MessageBody(new ZodPipe(PresencePayload)) body: PresencePayload,
  ): Promise<SocketAck<{ state: PresenceState }>> {
    return ok({ state: await this.setPresence(actor, socket.id, body.state) });
  }

  private async setPresence(
    actor: Actor,
    socketId: string,
    state: PresenceState,
    channelIds?: string[],
  ): Promise<PresenceState> {
    try {
      const { before, after } = await this.presence.set(actor.userId, socketId, state);
      if (before !== after) {
        const ids = channelIds ?? (await this.access.memberChannelIds(this.em.fork(), actor));
        this.events.presence(ids, actor.userId, after);
      }
      return after;
    } catch (err) {
      if (err instanceof DomainError) throw err;
      this.logger.warn({ err }, 'presence not recorded');
      return state;
    }
  }
}
