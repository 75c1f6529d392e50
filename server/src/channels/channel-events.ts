import { Injectable } from '@nestjs/common';
import { rooms, SocketEvent, type ChannelChange, type PresenceState } from '@xietong/shared';
import { RealtimeBus } from '../realtime/realtime.bus.js';

/**
 * Every socket emit and room change of the channels capability, in one place, through the bus
 * (its adapter reaches every node). A process without a socket server emits nothing: the
 * database keeps every change and clients catch up on their next sync.
 */
@Injectable()
export class ChannelEvents {
  constructor(private readonly bus: RealtimeBus) {}

  change(change: ChannelChange): void {
    this.bus.io?.to(rooms.channel(change.channelId)).emit(SocketEvent.ChannelChange, change);
  }

  typing(channelId: string, userId: string, displayName: string): void {
    this.bus.io
      ?.to(rooms.channel(channelId))
      .except(rooms.user(userId))
      .emit(SocketEvent.ChannelTyping, { channelId, userId, displayName });
  }

  presence(channelIds: string[], userId: string, state: PresenceState): void {
    if (channelIds.length === 0) return;
    this.bus.io
      ?.to(channelIds.map(rooms.channel))
      .except(rooms.user(userId))
      .emit(SocketEvent.PresenceChanged, { userId, state });
  }

  /** Members' live sockets (by user or by agency room) join or leave the channel's room at once. */
  join(channelId: string, who: { userIds?: string[]; agencyIds?: string[] }): void {
    const from = [...(who.userIds ?? []).map(rooms.user), ...(who.agencyIds ?? []).map(rooms.agency)];
    if (from.length > 0) this.bus.io?.in(from).socketsJoin(rooms.channel(channelId));
  }

  leave(channelId: string, who: { userIds?: string[]; agencyIds?: string[] }): void {
    const from = [...(who.userIds ?? []).map(rooms.user), ...(who.agencyIds ?? []).map(rooms.agency)];
    if (from.length > 0) this.bus.io?.in(from).socketsLeave(rooms.channel(channelId));
  }
}
