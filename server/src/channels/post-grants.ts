import type { ChannelContext } from './channel-access.js';

/**
 * The channels one socket may post in, as the policy layer decided the last time it checked: a
 * plain send into one of them skips the access query. A grant holds only while the socket is in
 * the channel's room, and goes as soon as it leaves it: a removal makes the removed members'
 * sockets leave the room on every node (through the adapter), so the cache follows removals
 * across nodes. It is an optimisation, not the check: the batch statement stores a send only if
 * its sender is a member at that moment, and a refused send drops the grant and asks the policy
 * layer again (see `MessagesService.send`).
 */
export class PostGrants {
  private readonly granted = new Map<string, ChannelContext>();

  constructor(private readonly inRoom: (channelId: string) => boolean) {}

  get(channelId: string): ChannelContext | undefined {
    const ctx = this.granted.get(channelId);
    if (ctx && this.inRoom(channelId)) return ctx;
    if (ctx) this.granted.delete(channelId);
    return undefined;
  }

  /** Remembers a decision of the policy layer (only while the socket is in the channel's room). */
  set(ctx: ChannelContext): void {
    if (this.inRoom(ctx.channel.id)) this.granted.set(ctx.channel.id, ctx);
  }

  drop(channelId: string): void {
    this.granted.delete(channelId);
  }

  get size(): number {
    return this.granted.size;
  }
}
