import { randomUUID } from 'node:crypto';
import {
  SocketEvent,
  type ChannelChange,
  type MessageAck,
  type SendMessagePayload,
  type SocketAck,
  type SyncResult,
} from '@xietong/shared';
import type { ClientSocket } from './app.js';

/**
 * A channel client that keeps itself in step the way the web app's ChannelStore does
 * (client/src/channels/store.ts): live changes applied in `changeSeq` order from a cursor, a
 * gap or a reconnect answered by `channel.sync` from the cursor, and sends that lost their ack
 * sent again with the same clientId after reconnecting. It records what arrived live, to tell
 * a duplicate delivery from the overlap of a sync.
 */
export class ChannelClient {
  /** what the client shows: every change applied, in order, each once */
  readonly applied: ChannelChange[] = [];
  /** every `channel.change` that arrived live, duplicates included */
  readonly live: ChannelChange[] = [];
  /** sends not yet acknowledged, by clientId */
  readonly pending = new Map<string, SendMessagePayload>();
  /** how many times the socket connected again (it was connected when handed over) */
  reconnects = 0;
  private syncing: Promise<void> | undefined;
  private again = false;

  constructor(
    readonly socket: ClientSocket,
    readonly channelId: string,
    private cursor: number,
  ) {
    socket.on(SocketEvent.ChannelChange, (change: ChannelChange) => {
      if (change.channelId !== channelId) return;
      this.live.push(change);
      if (change.changeSeq <= this.cursor) return;
      if (change.changeSeq > this.cursor + 1 || this.syncing) void this.sync();
      else this.apply(change);
    });
    // The namespace's own connect (the manager's `reconnect` comes before the socket may emit).
    socket.on('connect', () => {
      this.reconnects++;
      void this.sync();
      for (const payload of this.pending.values()) void this.deliver(payload);
    });
  }

  get lastSeq(): number {
    return this.cursor;
  }

  /** Sends a new message (its clientId made here); resolves once it was acknowledged, however many tries that took. */
  send(text: string): Promise<MessageAck | undefined> {
    const payload = { channelId: this.channelId, clientId: randomUUID(), text };
    this.pending.set(payload.clientId, payload);
    return this.deliver(payload);
  }

  /** Every change after the cursor, page by page; one sync at a time, another queued behind it. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const ack = await this.request<SyncResult>(SocketEvent.ChannelSync, {
              cursors: [{ channelId: this.channelId, after: this.cursor }],
            });
            if (!ack.ok) throw new Error(`sync refused: ${JSON.stringify(ack.error)}`);
            const answer = ack.data.channels.find((c) => c.channelId === this.channelId);
            for (const change of answer?.changes ?? []) if (change.changeSeq > this.cursor) this.apply(change);
            if (!answer?.hasMore) break;
          }
        } while (this.again);
      } catch {
        // no answer (the connection went): the next reconnect syncs from the same cursor
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  private apply(change: ChannelChange): void {
    this.cursor = change.changeSeq;
    this.applied.push(change);
  }

  private async deliver(payload: SendMessagePayload): Promise<MessageAck | undefined> {
    if (!this.socket.connected) return undefined; // sent again on reconnect
    try {
      const ack = await this.request<MessageAck>(SocketEvent.ChannelSend, payload);
      if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
      this.pending.delete(payload.clientId);
      return ack.data;
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('send refused')) throw e;
      return undefined; // the ack was lost with the connection: sent again on reconnect
    }
  }

  private async request<T>(event: string, payload: unknown): Promise<SocketAck<T>> {
    return (await (this.socket.timeout(10_000) as unknown as ClientSocket).emitWithAck(
      event as typeof SocketEvent.Ping,
      payload,
    )) as unknown as SocketAck<T>;
  }
}
